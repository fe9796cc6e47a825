/**
 * The periodic report the monitoring groups publish (docs/record.md, "Report"): legs by category (reviewed
 * values where a person decided; rejected legs not counted), confirmed vs estimated, removals by country of
 * return and by arrival airport, carrier shares of removals, and each category's weekly rate against the six
 * weeks before. Three grouped queries over one covering index of leg_classes (which classification and review
 * keep in step): a month of a year of history reads a few thousand index entries and returns a few dozen groups.
 */
import { sql, type Kysely } from 'kysely';
import type { RecordDatabase } from '../record-schema';
import { priorSixWeeks, weeksIn, type Period } from './period';

export interface CountRow {
  key: string;
  legs: number;
  confirmed: number;
  estimated: number;
  reviewed: number;
}

export interface Report {
  period: Period;
  prior: Period;
  /** Counted legs (rejected excluded) by category. */
  categories: CountRow[];
  /** Removals by country of return. */
  removalsByCountry: CountRow[];
  /** Removals by arrival airport (the city). */
  removalsByAirport: CountRow[];
  /** Share of removals per operator (aircraft table), "unknown" when the airframe has none. */
  carrierShares: { operator: string; removals: number; share: number }[];
  /** Per category: legs per week in the period and in the six weeks before. */
  versusPriorSixWeeks: { category: string; perWeek: number; priorPerWeek: number }[];
  rejected: number;
  unreviewed: number;
}

interface CategoryGroup {
  category: string | null;
  confidence: string;
  state: string;
  n: number | string;
}

interface RemovalGroup {
  confidence: string;
  state: string;
  country: string | null;
  airport: string | null;
  operator: string | null;
  n: number | string;
}

function add(map: Map<string, CountRow>, key: string, g: { confidence: string; state: string }, n: number): void {
  const row = map.get(key) ?? { key, legs: 0, confirmed: 0, estimated: 0, reviewed: 0 };
  row.legs += n;
  if (g.confidence === 'confirmed') row.confirmed += n;
  else row.estimated += n;
  if (g.state !== 'unreviewed') row.reviewed += n;
  map.set(key, row);
}

const sorted = (m: Map<string, CountRow>) =>
  [...m.values()].sort((a, b) => b.legs - a.legs || a.key.localeCompare(b.key));
const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The report for one period. Legs count in the period of their departure (of their arrival when the
 * departure time is unknown). Call `classifyStaleLegs` first: legs not yet classified are not counted.
 */
export async function buildReport(db: Kysely<RecordDatabase>, period: Period): Promise<Report> {
  const prior = priorSixWeeks(period);
  // Three grouped ranges over the covering index leg_classes_report, each a few dozen groups: the period's
  // categories, the six weeks before, the period's removals by country, airport and carrier. (One query with a
  // CASE for the two periods took four times as long on SQLite: grouping by an expression.)
  const byCategory = (await db
    .selectFrom('leg_classes')
    .select(['counted_category as category', 'confidence', 'review_state as state', sql<number>`count(*)`.as('n')])
    .where('at', '>=', period.from)
    .where('at', '<', period.to)
    .groupBy(['counted_category', 'confidence', 'review_state'])
    .execute()) as CategoryGroup[];
  const priorGroups = await db
    .selectFrom('leg_classes')
    .select(['counted_category as category', sql<number>`count(*)`.as('n')])
    .where('at', '>=', prior.from)
    .where('at', '<', prior.to)
    .where('review_state', '!=', 'rejected')
    .groupBy('counted_category')
    .execute();
  const removalGroups = (await db
    .selectFrom('leg_classes as c')
    .leftJoin('aircraft as a', 'a.hex', 'c.hex')
    .select([
      'c.confidence',
      'c.review_state as state',
      'c.destination_country as country',
      'c.arrival_icao as airport',
      'a.operator as operator',
      sql<number>`count(*)`.as('n'),
    ])
    .where('c.at', '>=', period.from)
    .where('c.at', '<', period.to)
    .where('c.counted_category', '=', 'removal')
    .groupBy(['c.confidence', 'c.review_state', 'c.destination_country', 'c.arrival_icao', 'a.operator'])
    .execute()) as RemovalGroup[];

  const categories = new Map<string, CountRow>();
  const byCountry = new Map<string, CountRow>();
  const byAirport = new Map<string, CountRow>();
  const carriers = new Map<string, number>();
  const priorCounts = new Map<string, number>();
  let rejected = 0;
  let unreviewed = 0;
  for (const g of priorGroups) priorCounts.set(g.category ?? 'unclassified', Number(g.n));
  for (const g of byCategory) {
    const n = Number(g.n);
    const cat = g.category ?? 'unclassified';
    if (g.state === 'rejected') {
      rejected += n;
      continue;
    }
    if (g.state === 'unreviewed') unreviewed += n;
    add(categories, cat, g, n);
  }
  for (const g of removalGroups) {
    const n = Number(g.n);
    add(byCountry, g.country ?? 'unknown', g, n);
    add(byAirport, g.airport ?? 'unknown', g, n);
    const op = g.operator ?? 'unknown';
    carriers.set(op, (carriers.get(op) ?? 0) + n);
  }
  const removals = [...carriers.values()].reduce((s, x) => s + x, 0);
  const weeks = weeksIn(period);
  const priorWeeks = weeksIn(prior);
  const cats = new Set([...categories.keys(), ...priorCounts.keys()]);
  return {
    period,
    prior,
    categories: sorted(categories),
    removalsByCountry: sorted(byCountry),
    removalsByAirport: sorted(byAirport),
    carrierShares: [...carriers.entries()]
      .map(([operator, n]) => ({ operator, removals: n, share: removals ? round(n / removals) : 0 }))
      .sort((a, b) => b.removals - a.removals || a.operator.localeCompare(b.operator)),
    versusPriorSixWeeks: [...cats].sort().map((c) => ({
      category: c,
      perWeek: round((categories.get(c)?.legs ?? 0) / weeks),
      priorPerWeek: round((priorCounts.get(c) ?? 0) / priorWeeks),
    })),
    rejected,
    unreviewed,
  };
}
