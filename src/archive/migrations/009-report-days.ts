/**
 * 009: leg_class_days — the report's counts per UTC day and per value of every dimension it groups by (category
 * counted, confidence, review state, country, arrival, departure, border city), kept by triggers on leg_classes
 * so classification, review or a hand edit can never leave it out of step. A month's report sums about a
 * third as many rows as it has legs, and the weekly chart reads one row per day instead of every removal.
 * Nullable dimensions are stored as '' (a key column must not be null to match in ON CONFLICT). The carriers
 * table groups removals by airframe, which day counts cannot shorten (about one removal per airframe and day):
 * leg_classes_removals lets that query read the removals alone instead of every leg of the range.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const DIMENSIONS: [column: string, from: string][] = [
  ['category', 'counted_category'],
  ['confidence', 'confidence'],
  ['review_state', 'review_state'],
  ['country', 'destination_country'],
  ['airport', 'arrival_icao'],
  ['departure', 'departure_icao'],
  ['city', 'border_city'],
];
const KEY = ['day', ...DIMENSIONS.map(([c]) => c)];
const SOURCE_COLUMNS = ['at', ...DIMENSIONS.map(([, from]) => from)];

/** The key of a leg_classes row (`r` = new or old) as leg_class_days stores it. */
const keyOf = (r: string) => [`substr(${r}.at, 1, 10)`, ...DIMENSIONS.map(([, from]) => `coalesce(${r}.${from}, '')`)];
const matchOf = (r: string) =>
  keyOf(r)
    .map((v, i) => `${KEY[i]} = ${v}`)
    .join(' and ');
const add = (r: string) =>
  `insert into leg_class_days (${KEY.join(', ')}, n) values (${keyOf(r).join(', ')}, 1) ` +
  `on conflict (${KEY.join(', ')}) do update set n = leg_class_days.n + 1;`;
const remove = (r: string) =>
  `update leg_class_days set n = n - 1 where ${matchOf(r)}; delete from leg_class_days where n <= 0 and ${matchOf(r)};`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql
    .raw(
      `create table leg_class_days (${KEY.map((c) => `${c} text not null`).join(', ')}, n integer not null, ` +
        `primary key (${KEY.join(', ')}))${postgres ? '' : ' without rowid'}`,
    )
    .execute(db);
  await sql
    .raw(
      `insert into leg_class_days (${KEY.join(', ')}, n) select ${keyOf('leg_classes').join(', ')}, count(*) ` +
        `from leg_classes group by ${KEY.map((_, i) => i + 1).join(', ')}`,
    )
    .execute(db);
  await db.schema
    .createIndex('leg_classes_removals')
    .on('leg_classes')
    .columns(['counted_category', 'at', 'confidence', 'review_state', 'hex'])
    .execute();
  const changed = SOURCE_COLUMNS.join(', ');
  if (postgres) {
    await sql
      .raw(
        `create function leg_class_days_keep() returns trigger language plpgsql as $$ begin ` +
          `if tg_op in ('UPDATE', 'DELETE') then ${remove('old')} end if; ` +
          `if tg_op in ('UPDATE', 'INSERT') then ${add('new')} end if; return null; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger leg_class_days_keep after insert or delete or update of ${changed} on leg_classes ` +
          `for each row execute function leg_class_days_keep()`,
      )
      .execute(db);
    return;
  }
  await sql.raw(`create trigger leg_class_days_insert after insert on leg_classes begin ${add('new')} end`).execute(db);
  await sql
    .raw(`create trigger leg_class_days_delete after delete on leg_classes begin ${remove('old')} end`)
    .execute(db);
  await sql
    .raw(
      `create trigger leg_class_days_update after update of ${changed} on leg_classes ` +
        `begin ${remove('old')} ${add('new')} end`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql.raw('drop trigger leg_class_days_keep on leg_classes').execute(db);
    await sql.raw('drop function leg_class_days_keep()').execute(db);
  } else for (const t of ['insert', 'delete', 'update']) await sql.raw(`drop trigger leg_class_days_${t}`).execute(db);
  await db.schema.dropIndex('leg_classes_removals').execute();
  await db.schema.dropTable('leg_class_days').execute();
}
