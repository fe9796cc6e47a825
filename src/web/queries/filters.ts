/**
 * The leg filters shared by /trips and /legs (and the links a report number points to), read from the query
 * string. Each value is checked where it enters; a bad one is reported by name and left out of the query,
 * so a mistyped link shows the form with the problem rather than an error page or a silently wrong list.
 */
import { LEG_CATEGORIES, LEG_CONFIDENCES } from '../../domain/leg-classification';
import { REVIEW_STATES } from '../../archive/record-schema';
import { monthPeriod, weekPeriod, type Period } from '../../archive/report/period';

export interface LegFilter {
  /** ISO-8601 UTC, inclusive / exclusive: from `from`/`to` days, or `period`. */
  from?: string;
  to?: string;
  /** Destination country, ISO 3166-1 alpha-2 (the classification's). */
  country?: string;
  /** The aircraft table's operator, exact. */
  operator?: string;
  /** Airframe: ICAO hex, lowercase. */
  aircraft?: string;
  /** The category the leg counts as (the reviewer's correction, else the class). */
  category?: string;
  confidence?: string;
  review?: string;
  /** Arrival airport, ICAO (/legs only). */
  airport?: string;
}

export interface ParsedFilter {
  filter: LegFilter;
  /** The values as given (for the form), valid or not. */
  given: Record<string, string>;
  /** One message per rejected field, naming it. */
  errors: string[];
}

export const FILTER_FIELDS = [
  'from',
  'to',
  'period',
  'country',
  'operator',
  'aircraft',
  'category',
  'confidence',
  'review',
  'airport',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string, field: string, errors: string[]): string | undefined {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (DAY.test(value) && Number.isFinite(t) && new Date(t).toISOString().startsWith(value)) return value;
  errors.push(`${field}: "${value}" is not a date (YYYY-MM-DD)`);
  return undefined;
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();

function oneOf(value: string, field: string, allowed: readonly string[], errors: string[]): string | undefined {
  if (allowed.includes(value)) return value;
  errors.push(`${field}: "${value}" is not one of ${allowed.join(', ')}`);
  return undefined;
}

function pattern(value: string, field: string, re: RegExp, what: string, errors: string[]): string | undefined {
  if (re.test(value)) return value;
  errors.push(`${field}: "${value}" is not ${what}`);
  return undefined;
}

function period(value: string, errors: string[]): Period | undefined {
  try {
    return /W/.test(value) ? weekPeriod(value) : monthPeriod(value);
  } catch {
    errors.push(`period: "${value}" is not a month (YYYY-MM) or an ISO week (YYYY-Www)`);
    return undefined;
  }
}

/** Reads the filter fields of a query string; empty fields are absent. */
export function parseLegFilter(query: URLSearchParams, fields: readonly string[] = FILTER_FIELDS): ParsedFilter {
  const errors: string[] = [];
  const given: Record<string, string> = {};
  for (const name of fields) {
    const v = query.get(name)?.trim();
    if (v) given[name] = v.slice(0, 200);
  }
  const f: LegFilter = {};
  const g = given;
  if (g.from) {
    const d = day(g.from, 'from', errors);
    if (d) f.from = `${d}T00:00:00.000Z`;
  }
  if (g.to) {
    const d = day(g.to, 'to', errors);
    if (d) f.to = nextDay(d); // the "to" day is included
  }
  if (g.period) {
    const p = period(g.period, errors);
    if (p) {
      // A period narrows from/to when both are given: the intersection.
      if (!f.from || p.from > f.from) f.from = p.from;
      if (!f.to || p.to < f.to) f.to = p.to;
    }
  }
  if (g.country)
    f.country = pattern(g.country.toUpperCase(), 'country', /^[A-Z]{2}$/, 'an ISO country code (GT)', errors);
  if (g.operator) f.operator = g.operator;
  if (g.aircraft)
    f.aircraft = pattern(g.aircraft.toLowerCase(), 'aircraft', /^~?[0-9a-f]{6}$/, 'an ICAO hex (a1b2c3)', errors);
  if (g.category) f.category = oneOf(g.category, 'category', LEG_CATEGORIES, errors);
  if (g.confidence) f.confidence = oneOf(g.confidence, 'confidence', LEG_CONFIDENCES, errors);
  if (g.review) f.review = oneOf(g.review, 'review', REVIEW_STATES, errors);
  if (g.airport)
    f.airport = pattern(g.airport.toUpperCase(), 'airport', /^[A-Z0-9]{3,4}$/, 'an ICAO code (MGGT)', errors);
  for (const k of Object.keys(f) as (keyof LegFilter)[]) if (f[k] === undefined) delete f[k];
  return { filter: f, given, errors };
}
