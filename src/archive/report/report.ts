/**
 * The periodic report the monitoring groups publish (docs/record.md, "Report"): legs by category (reviewed
 * values where a person decided; rejected legs not counted), confirmed vs estimated; removals by country of
 * return, by arrival airport, by carrier and by departure hub; domestic transfers (shuffles), returns and
 * lateral flights by arrival airport; every row against its weekly rate in the six weeks before.
 *
 * Grouped queries over leg_class_days (migration 009: counts per day and dimension, kept by triggers on
 * leg_classes) for every table but the carriers, which group the period's removals by airframe on the covering
 * index of leg_classes. A period that does not start and end at midnight UTC (none the CLI, console or digests
 * make) is counted from leg_classes alone, as `source: 'legs'` does: the slower path the fast one must equal.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordDatabase } from '../record-schema';
import { priorSixWeeks, weeksIn, type Period } from './period';
import {
  categoryRates,
  foldPeriod,
  rowsOf,
  weeklyBuckets,
  type WeekBucket,
  type CountRow,
  type Folded,
  type Group,
} from './fold';

export type { CountRow } from './fold';

export interface CarrierShare extends CountRow {
  /** The operator as the aircraft table names it; "unknown" when the airframe has none. */
  operator: string;
  removals: number;
  /** Of the period's removals, 0..1 (two decimals). */
  share: number;
}

export interface Report {
  period: Period;
  prior: Period;
  /** Counted legs (rejected excluded) by category. */
  categories: CountRow[];
  /** Removals by country of return (ISO 3166-1 alpha-2, "unknown"). */
  removalsByCountry: CountRow[];
  /** Removals by arrival airport (ICAO): the city people were flown to. */
  removalsByAirport: CountRow[];
  /** Removals by carrier (aircraft table's operator). */
  carrierShares: CarrierShare[];
  /** Removals by departure airport: the hubs they left from. */
  hubs: CountRow[];
  /** Domestic transfers between hubs (shuffles) by arrival airport. */
  domesticTransfers: CountRow[];
  /** Returns and positioning legs by arrival airport. */
  returns: CountRow[];
  /** Lateral flights (to a border city for expulsion over land) by arrival airport; label = the border city. */
  lateral: CountRow[];
  /** Per category: legs per week in the period and in the six weeks before. */
  versusPriorSixWeeks: { category: string; perWeek: number; priorPerWeek: number }[];
  /** Removals in 7-day steps from the six weeks before to the period's end (the last step may be shorter). */
  removalsPerWeek: WeekBucket[];
  rejected: number;
  unreviewed: number;
}

type Raw = Omit<Group, 'n'> & { n: number | string };

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The period's (or the prior weeks') legs by every dimension the report shows, from the covering index alone
 * (migration 005): one range, a few hundred groups.
 */
function groups(db: Kysely<RecordDatabase>, p: Period) {
  return db
    .selectFrom('leg_classes')
    .select([
      'counted_category as category',
      'confidence',
      'review_state as state',
      'destination_country as country',
      'arrival_icao as airport',
      'departure_icao as departure',
      'border_city as city',
      sql<number>`count(*)`.as('n'),
    ])
    .where('at', '>=', p.from)
    .where('at', '<', p.to)
    .groupBy([
      'counted_category',
      'confidence',
      'review_state',
      'destination_country',
      'arrival_icao',
      'departure_icao',
      'border_city',
    ])
    .execute();
}

/**
 * Removals by airframe, from the same index: the carrier is the airframe's operator, looked up once per
 * airframe afterwards (grouping the first query by airframe too would make a group of nearly every leg).
 */
function removalsByAirframe(db: Kysely<RecordDatabase>, p: Period) {
  return db
    .selectFrom('leg_classes')
    .select(['confidence', 'review_state as state', 'hex', sql<number>`count(*)`.as('n')])
    .where('at', '>=', p.from)
    .where('at', '<', p.to)
    .where('counted_category', '=', 'removal')
    .groupBy(['confidence', 'review_state', 'hex'])
    .execute();
}

/** Removals per UTC day from the six weeks before to the period's end: the weekly chart. */
function removalsByDay(db: Kysely<RecordDatabase>, from: string, to: string) {
  return db
    .selectFrom('leg_classes')
    .select([sql<string>`substr(at, 1, 10)`.as('day'), sql<number>`count(*)`.as('n')])
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('counted_category', '=', 'removal')
    .groupBy(sql`substr(at, 1, 10)`)
    .execute();
}

/**
 * The six weeks before, with only what a rate needs (no confidence or review state: fewer sort keys on the
 * larger range). Rejected legs have no counted category, so they drop out with the category.
 */
function priorGroups(db: Kysely<RecordDatabase>, p: Period) {
  return db
    .selectFrom('leg_classes')
    .select([
      'counted_category as category',
      'destination_country as country',
      'arrival_icao as airport',
      'departure_icao as departure',
      sql<number>`count(*)`.as('n'),
    ])
    .where('at', '>=', p.from)
    .where('at', '<', p.to)
    .where('counted_category', 'is not', null)
    .groupBy(['counted_category', 'destination_country', 'arrival_icao', 'departure_icao'])
    .execute();
}

/** A period's groups from the day counts; '' back to null (migration 009 stores null dimensions as ''). */
async function dayGroups(db: Kysely<RecordDatabase>, p: Period, counted: boolean): Promise<Raw[]> {
  let q = db
    .selectFrom('leg_class_days')
    .select([
      'category',
      'confidence',
      'review_state as state',
      'country',
      'airport',
      'departure',
      'city',
      sql<number>`sum(n)`.as('n'),
    ])
    .where('day', '>=', p.from.slice(0, 10))
    .where('day', '<', p.to.slice(0, 10));
  if (counted) q = q.where('category', '<>', '');
  const rows = await q
    .groupBy(['category', 'confidence', 'review_state', 'country', 'airport', 'departure', 'city'])
    .execute();
  return rows.map((r) => ({
    ...r,
    category: r.category || null,
    country: r.country || null,
    airport: r.airport || null,
    departure: r.departure || null,
    city: r.city || null,
  }));
}

/** Removals per UTC day from the day counts. */
function removalsByDayFromDays(db: Kysely<RecordDatabase>, from: string, to: string) {
  return db
    .selectFrom('leg_class_days')
    .select(['day', sql<number>`sum(n)`.as('n')])
    .where('day', '>=', from.slice(0, 10))
    .where('day', '<', to.slice(0, 10))
    .where('category', '=', 'removal')
    .groupBy('day')
    .execute();
}

const atMidnight = (iso: string) => iso.endsWith('T00:00:00.000Z');

/** Operators of the airframes that flew removals (the aircraft table; at most a few hundred rows). */
async function operators(db: Kysely<RecordDatabase>, hexes: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < hexes.length; i += 500)
    for (const a of await db
      .selectFrom('aircraft')
      .select(['hex', 'operator'])
      .where('hex', 'in', hexes.slice(i, i + 500))
      .execute())
      out.set(a.hex, a.operator);
  return out;
}

const asGroups = (rows: Raw[]): Group[] => rows.map((r) => ({ ...r, n: Number(r.n) }));

/**
 * The report for one period. Legs count in the period of their departure (of their arrival when the departure
 * time is unknown). Call `classifyStaleLegs` first: legs not yet classified are not counted. `source: 'legs'`
 * counts everything from leg_classes, without the day counts (the slower path, for comparison).
 */
export async function buildReport(
  db: Kysely<RecordDatabase>,
  period: Period,
  o: { source?: 'days' | 'legs' } = {},
): Promise<Report> {
  const prior = priorSixWeeks(period);
  const byDay = o.source !== 'legs' && atMidnight(period.from) && atMidnight(period.to);
  // Sequential on purpose: SQLite serves one statement at a time, and PostgreSQL's pool is small.
  const now = asGroups(byDay ? await dayGroups(db, period, false) : await groups(db, period));
  const before = asGroups(
    (byDay
      ? await dayGroups(db, prior, true)
      : ((await priorGroups(db, prior)) as Omit<Raw, 'confidence' | 'state'>[])
    ).map((g) => ({ ...g, confidence: '', state: '' })),
  );
  const airframesNow = asGroups(await removalsByAirframe(db, period));
  const airframesBefore = asGroups(await removalsByAirframe(db, prior));
  const days = await (byDay ? removalsByDayFromDays : removalsByDay)(db, prior.from, period.to);
  const hexes = new Set([...airframesNow, ...airframesBefore].map((g) => g.hex ?? ''));
  const ops = await operators(db, [...hexes].filter(Boolean));
  const withOperator = (gs: Group[]) => gs.map((g) => ({ ...g, operator: ops.get(g.hex ?? '') ?? null }));

  const weeks = weeksIn(period);
  const priorWeeks = weeksIn(prior);
  const cur = foldPeriod(now, withOperator(airframesNow));
  const old = foldPeriod(before, withOperator(airframesBefore));
  const rows = (pick: (f: Folded) => Map<string, CountRow>) => rowsOf(pick(cur), pick(old), weeks, priorWeeks);
  const removals = [...cur.carriers.values()].reduce((sum, r) => sum + r.legs, 0);
  return {
    period,
    prior,
    categories: rows((f) => f.categories),
    removalsByCountry: rows((f) => f.removalsByCountry),
    removalsByAirport: rows((f) => f.arrivals.removal),
    carrierShares: rows((f) => f.carriers).map((r) => ({
      ...r,
      operator: r.key,
      removals: r.legs,
      share: removals ? round(r.legs / removals) : 0,
    })),
    hubs: rows((f) => f.hubs),
    domesticTransfers: rows((f) => f.arrivals.shuffle),
    returns: rows((f) => f.arrivals.return),
    lateral: rows((f) => f.arrivals.lateral).map((r) => {
      const label = cur.borderCities.get(r.key);
      return label ? { ...r, label } : r;
    }),
    versusPriorSixWeeks: categoryRates(cur, old, weeks, priorWeeks),
    removalsPerWeek: weeklyBuckets(
      prior,
      period,
      days.map((d) => ({ day: d.day, n: Number(d.n) })),
    ),
    rejected: cur.rejected,
    unreviewed: cur.unreviewed,
  };
}
