/**
 * The Trips list: trips with at least one leg matching the filter, newest matching leg first, keyset-paged.
 * Legs are read newest first along the leg_classes index in chunks and folded into distinct trips until a page
 * is full, so a page costs about its own size whatever the date range (a year of history holds 100,000+ legs;
 * grouping them all per request would not). A trip sits on the page of its newest matching leg; a later page
 * leaves out trips with a matching leg at or before its start (listed already).
 */
import type { Kysely } from 'kysely';
import type { RecordDatabase, ReviewState } from '../../archive/record-schema';
import type { LegFilter } from './filters';
import { afterKeyset, atOrBeforeKeyset, legFilterWhere, type Keyset } from './leg-filter-sql';

export interface TripLegSummary {
  id: string;
  departure_icao: string | null;
  arrival_icao: string | null;
  departed_at: string | null;
  arrived_at: string | null;
  counted_category: string | null;
  confidence: string | null;
  review_state: ReviewState | null;
}

export interface TripSummary {
  id: string;
  hex: string;
  status: string;
  route: string;
  countries: string[];
  registration: string | null;
  operator: string | null;
  type_code: string | null;
  /** The newest matching leg's time: what the list is ordered by. */
  at: string;
  legs: TripLegSummary[];
}

export interface TripPage {
  trips: TripSummary[];
  next: Keyset | null;
}

type Db = Kysely<RecordDatabase>;
const CHUNK = 250;

/** A leg ⨝ its classification as the Trips list and the Aircraft page show it. */
const LEG_COLUMNS = [
  'l.id',
  'l.departure_icao',
  'l.arrival_icao',
  'l.departed_at',
  'l.arrived_at',
  'c.counted_category',
  'c.confidence',
  'c.review_state',
] as const;

const list = (s: string): string[] => {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** The next `size + 1` distinct trips after `start`, each at its newest matching leg. */
interface TripHit extends Keyset {
  trip: string;
}

async function scanTrips(db: Db, f: LegFilter, start: Keyset | null, size: number): Promise<TripHit[]> {
  const found = new Map<string, Keyset>();
  let after = start;
  for (;;) {
    const rows = await db
      .selectFrom('leg_classes as c')
      .innerJoin('legs as l', 'l.id', 'c.leg_id')
      .select(['c.leg_id as id', 'c.at', 'l.trip_id'])
      .where((eb) => legFilterWhere(eb, f))
      .where('l.trip_id', 'is not', null)
      .$if(!!after, (q) => q.where((eb) => afterKeyset(eb, after!)))
      .orderBy('c.at', 'desc')
      .orderBy('c.leg_id', 'desc')
      .limit(CHUNK)
      .execute();
    const fresh = rows.filter((r) => r.trip_id && !found.has(r.trip_id));
    const candidates = [...new Set(fresh.map((r) => r.trip_id!))];
    const listed = start ? await listedBefore(db, f, start, candidates) : new Set<string>();
    for (const r of fresh) {
      if (found.size > size) break;
      if (!listed.has(r.trip_id!) && !found.has(r.trip_id!)) found.set(r.trip_id!, { at: r.at, id: r.id });
    }
    const last = rows[rows.length - 1];
    if (found.size > size || rows.length < CHUNK || !last) break;
    after = { at: last.at, id: last.id };
  }
  return [...found.entries()].map(([trip, k]) => ({ ...k, trip }));
}

/** Of `tripIds`, those with a matching leg at or before `start`: an earlier page listed them. */
async function listedBefore(db: Db, f: LegFilter, start: Keyset, tripIds: string[]): Promise<Set<string>> {
  if (tripIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('leg_classes as c')
    .innerJoin('legs as l', 'l.id', 'c.leg_id')
    .select('l.trip_id')
    .distinct()
    .where((eb) => legFilterWhere(eb, f))
    .where('l.trip_id', 'in', tripIds)
    .where((eb) => atOrBeforeKeyset(eb, start))
    .execute();
  return new Set(rows.map((r) => r.trip_id!));
}

/** The legs of the given trips, each with its classification, in flight order. */
export const legsOfTrips = (db: Db, tripIds: string[]) =>
  db
    .selectFrom('legs as l')
    .leftJoin('leg_classes as c', 'c.leg_id', 'l.id')
    .select([...LEG_COLUMNS, 'l.trip_id'])
    .where('l.trip_id', 'in', tripIds)
    .orderBy('l.departed_at')
    .orderBy('l.id')
    .execute();

/** One airframe's legs with their classification, newest first, at most `limit`. */
export const legsOfAircraft = (db: Db, hex: string, limit: number) =>
  db
    .selectFrom('legs as l')
    .leftJoin('leg_classes as c', 'c.leg_id', 'l.id')
    .select([...LEG_COLUMNS, 'l.trip_id', 'l.callsign', 'c.category'])
    .where('l.hex', '=', hex)
    .orderBy('l.departed_at', 'desc')
    .limit(limit)
    .execute();

export async function listTrips(
  db: Db,
  f: LegFilter,
  o: { after?: Keyset | null; size?: number } = {},
): Promise<TripPage> {
  const size = o.size ?? 25;
  const hits = await scanTrips(db, f, o.after ?? null, size);
  const page = hits.slice(0, size);
  if (page.length === 0) return { trips: [], next: null };
  const ids = page.map((h) => h.trip);
  const trips = await db
    .selectFrom('trips as t')
    .leftJoin('aircraft as a', 'a.hex', 't.hex')
    .select(['t.id', 't.hex', 't.status', 't.route', 't.countries', 'a.registration', 'a.operator', 'a.type_code'])
    .where('t.id', 'in', ids)
    .execute();
  const legs = await legsOfTrips(db, ids);
  const byId = new Map(trips.map((t) => [t.id, t]));
  const summaries = page.flatMap((h): TripSummary[] => {
    const t = byId.get(h.trip);
    if (!t) return []; // a leg pointing at a trip row not (yet) archived
    const { countries, ...rest } = t;
    return [{ ...rest, countries: list(countries), at: h.at, legs: legs.filter((l) => l.trip_id === t.id) }];
  });
  const last = page[page.length - 1];
  return { trips: summaries, next: hits.length > size && last ? { at: last.at, id: last.id } : null };
}
