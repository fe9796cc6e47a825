/** The filtered leg list (/legs, what a report number links to): newest first, keyset-paged, with its count. */
import { sql, type Kysely } from 'kysely';
import type { RecordDatabase, ReviewState } from '../../archive/record-schema';
import type { LegFilter } from './filters';
import { afterKeyset, legFilterWhere, type Keyset } from './leg-filter-sql';

export interface LegListRow {
  id: string;
  at: string;
  hex: string;
  trip_id: string | null;
  departure_icao: string | null;
  arrival_icao: string | null;
  departed_at: string | null;
  arrived_at: string | null;
  callsign: string | null;
  category: string;
  counted_category: string | null;
  confidence: string;
  review_state: ReviewState;
  destination_country: string | null;
  registration: string | null;
  operator: string | null;
  type_code: string | null;
}

export interface LegPage {
  legs: LegListRow[];
  /** Where the next page starts; null on the last page. */
  next: Keyset | null;
}

export async function listLegs(
  db: Kysely<RecordDatabase>,
  f: LegFilter,
  o: { after?: Keyset | null; size?: number } = {},
): Promise<LegPage> {
  const size = o.size ?? 100;
  const rows = await db
    .selectFrom('leg_classes as c')
    .innerJoin('legs as l', 'l.id', 'c.leg_id')
    .leftJoin('aircraft as a', 'a.hex', 'c.hex')
    .select([
      'c.leg_id as id',
      'c.at',
      'c.hex',
      'l.trip_id',
      'l.departure_icao',
      'l.arrival_icao',
      'l.departed_at',
      'l.arrived_at',
      'l.callsign',
      'c.category',
      'c.counted_category',
      'c.confidence',
      'c.review_state',
      'c.destination_country',
      'a.registration',
      'a.operator',
      'a.type_code',
    ])
    .where((eb) => legFilterWhere(eb, f))
    .$if(!!o.after, (q) => q.where((eb) => afterKeyset(eb, o.after!)))
    .orderBy('c.at', 'desc')
    .orderBy('c.leg_id', 'desc')
    .limit(size + 1)
    .execute();
  const legs = rows.slice(0, size);
  const last = legs[legs.length - 1];
  return { legs, next: rows.length > size && last ? { at: last.at, id: last.id } : null };
}

/** How many legs match (the figure the report showed, when the filter is a report number's). */
export async function countLegs(db: Kysely<RecordDatabase>, f: LegFilter): Promise<number> {
  const r = await db
    .selectFrom('leg_classes as c')
    .select(sql<number | string>`count(*)`.as('n'))
    .where((eb) => legFilterWhere(eb, f))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
