/**
 * Folding the report's grouped rows into its tables: pure, so the counting rules (rejected legs never count,
 * confirmed vs estimated, reviewed) are one place whatever engine produced the groups.
 */

export interface CountRow {
  key: string;
  /** A name for the key where the record has one (a lateral arrival's border city). */
  label?: string;
  legs: number;
  confirmed: number;
  estimated: number;
  /** Legs a person confirmed or corrected. */
  reviewed: number;
  /** Legs per week in the period, and in the six weeks before (two decimals). */
  perWeek: number;
  priorPerWeek: number;
}

/** One grouped row of a report query; the columns it was not grouped by are absent. */
export interface Group {
  category?: string | null;
  confidence: string;
  state: string;
  country?: string | null;
  airport?: string | null;
  departure?: string | null;
  /** Lateral: the border city. */
  city?: string | null;
  hex?: string | null;
  /** The airframe's operator (looked up by hex). */
  operator?: string | null;
  n: number;
}

/** Categories whose legs the report breaks down by arrival airport. */
export const BY_ARRIVAL = ['removal', 'shuffle', 'return', 'lateral'] as const;

export interface Folded {
  categories: Map<string, CountRow>;
  removalsByCountry: Map<string, CountRow>;
  arrivals: Record<(typeof BY_ARRIVAL)[number], Map<string, CountRow>>;
  carriers: Map<string, CountRow>;
  hubs: Map<string, CountRow>;
  /** Lateral arrival airport → its border city. */
  borderCities: Map<string, string>;
  rejected: number;
  unreviewed: number;
}

function add(map: Map<string, CountRow>, key: string, g: Group): void {
  const row = map.get(key) ?? { key, legs: 0, confirmed: 0, estimated: 0, reviewed: 0, perWeek: 0, priorPerWeek: 0 };
  row.legs += g.n;
  if (g.confidence === 'confirmed') row.confirmed += g.n;
  else row.estimated += g.n;
  if (g.state !== 'unreviewed') row.reviewed += g.n;
  map.set(key, row);
}

const isByArrival = (c: string): c is (typeof BY_ARRIVAL)[number] => (BY_ARRIVAL as readonly string[]).includes(c);

/**
 * One period's groups folded into every table of the report: `legs` by category, state, countries and airports;
 * `airframes` the removals by airframe with its operator.
 */
export function foldPeriod(legs: readonly Group[], airframes: readonly Group[]): Folded {
  const f: Folded = {
    categories: new Map(),
    removalsByCountry: new Map(),
    arrivals: { removal: new Map(), shuffle: new Map(), return: new Map(), lateral: new Map() },
    carriers: new Map(),
    hubs: new Map(),
    borderCities: new Map(),
    rejected: 0,
    unreviewed: 0,
  };
  for (const g of legs) {
    if (g.state === 'rejected') {
      f.rejected += g.n;
      continue;
    }
    if (g.state === 'unreviewed') f.unreviewed += g.n;
    const cat = g.category ?? 'unclassified';
    add(f.categories, cat, g);
    if (cat === 'removal') add(f.removalsByCountry, g.country ?? 'unknown', g);
    if (isByArrival(cat)) add(f.arrivals[cat], g.airport ?? 'unknown', g);
    if (cat === 'removal') add(f.hubs, g.departure ?? 'unknown', g);
    if (cat === 'lateral' && g.city) f.borderCities.set(g.airport ?? 'unknown', g.city);
  }
  for (const g of airframes) if (g.state !== 'rejected') add(f.carriers, g.operator ?? 'unknown', g);
  return f;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The period's rows, most legs first, each with its weekly rate now and in the six weeks before. */
export function rowsOf(
  now: Map<string, CountRow>,
  before: Map<string, CountRow>,
  weeks: number,
  priorWeeks: number,
): CountRow[] {
  return [...now.values()]
    .map((r) => ({
      ...r,
      perWeek: round(r.legs / weeks),
      priorPerWeek: round((before.get(r.key)?.legs ?? 0) / priorWeeks),
    }))
    .sort((a, b) => b.legs - a.legs || a.key.localeCompare(b.key));
}

/** Per category: the rate now and before, for every category seen in either. */
export function categoryRates(now: Folded, before: Folded, weeks: number, priorWeeks: number) {
  const cats = new Set([...now.categories.keys(), ...before.categories.keys()]);
  return [...cats].sort().map((category) => ({
    category,
    perWeek: round((now.categories.get(category)?.legs ?? 0) / weeks),
    priorPerWeek: round((before.categories.get(category)?.legs ?? 0) / priorWeeks),
  }));
}

export interface WeekBucket {
  /** First day (YYYY-MM-DD, UTC). */
  from: string;
  /** 7, or fewer for the period's last step. */
  days: number;
  legs: number;
  /** In the six weeks before the period. */
  prior: boolean;
}

const DAY_MS = 86_400_000;

/** Daily counts into 7-day steps from `prior.from`: six prior weeks, then the period from its first day. */
export function weeklyBuckets(
  prior: { from: string; to: string },
  period: { from: string; to: string },
  days: readonly { day: string; n: number }[],
): WeekBucket[] {
  const out: WeekBucket[] = [];
  const end = Date.parse(period.to);
  for (let t = Date.parse(prior.from); t < end; t += 7 * DAY_MS) {
    const stop = Math.min(t + 7 * DAY_MS, end);
    out.push({
      from: new Date(t).toISOString().slice(0, 10),
      days: Math.round((stop - t) / DAY_MS),
      legs: 0,
      prior: t < Date.parse(prior.to),
    });
  }
  const first = Date.parse(prior.from);
  for (const d of days) {
    const i = Math.floor((Date.parse(`${d.day}T00:00:00Z`) - first) / (7 * DAY_MS));
    const b = out[i];
    if (b) b.legs += d.n;
  }
  return out;
}
