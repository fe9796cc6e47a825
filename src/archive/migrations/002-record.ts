/**
 * 002: classification and review of legs (docs/record.md). Kept in tables of their own, keyed by leg id, so
 * the archiver's upserts of `legs` never touch a person's review, and reclassifying never touches either.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leg_classes')
    .addColumn('leg_id', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('destination_country', 'text')
    .addColumn('border_city', 'text')
    .addColumn('rules_hash', 'text', (c) => c.notNull())
    .addColumn('leg_updated_at', 'text', (c) => c.notNull())
    .addColumn('classified_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    // What the report counts, kept beside the class so a monthly report reads one index range of one table:
    // when the leg counts (departure, else arrival time), the airframe, the arrival, the review state and the
    // category it counts as (the reviewer's correction, the class otherwise; null when rejected).
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('arrival_icao', 'text')
    .addColumn('review_state', 'text', (c) => c.notNull().defaultTo('unreviewed'))
    .addColumn('counted_category', 'text')
    .execute();
  await db.schema
    .createIndex('leg_classes_report')
    .on('leg_classes')
    .columns(['at', 'counted_category', 'confidence', 'review_state', 'destination_country', 'arrival_icao', 'hex'])
    .execute();

  await db.schema
    .createTable('leg_reviews')
    .addColumn('leg_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('note', 'text')
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('leg_review_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('leg_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('reviewer', 'text', (c) => c.notNull())
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('leg_review_log_leg').on('leg_review_log').columns(['leg_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['leg_review_log', 'leg_reviews', 'leg_classes']) await db.schema.dropTable(t).execute();
}
