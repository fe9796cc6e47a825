/**
 * Report periods: a calendar month or an ISO-8601 week (UTC, Monday to Monday), and the six weeks before it that
 * the groups compare against.
 */

export interface Period {
  /** ISO-8601 UTC, inclusive. */
  from: string;
  /** ISO-8601 UTC, exclusive. */
  to: string;
  /** "2026-11" or "2026-W48" when the period is a month or a week: what links and file names use. */
  label?: string;
}

export class PeriodError extends Error {
  override name = 'PeriodError';
}

const WEEK_MS = 7 * 86_400_000;

/** "2026-11" → [2026-11-01T00:00Z, 2026-12-01T00:00Z). */
export function monthPeriod(month: string): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const mon = Number(m?.[2]);
  if (!m || mon < 1 || mon > 12) throw new PeriodError(`--month "${month}" is not a month (YYYY-MM)`);
  return {
    from: new Date(Date.UTC(year, mon - 1, 1)).toISOString(),
    to: new Date(Date.UTC(year, mon, 1)).toISOString(),
    label: month,
  };
}

/**
 * "2026-W48" → [Monday 2026-11-23T00:00Z, Monday 2026-11-30T00:00Z): ISO-8601 weeks, the first of a year being
 * the one with its Thursday (so 2026-W01 starts 2025-12-29, and a year has 52 or 53 weeks).
 */
export function weekPeriod(week: string): Period {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  const year = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || n > isoWeeksIn(year)) throw new PeriodError(`--week "${week}" is not a week (YYYY-Www, ISO-8601)`);
  const from = week1Monday(year) + (n - 1) * WEEK_MS;
  return { from: new Date(from).toISOString(), to: new Date(from + WEEK_MS).toISOString(), label: week };
}

/** "2026-11" (a month) or "2026-W48" (an ISO week); `what` names the input in the error ("--period"). */
export function parsePeriodLabel(label: string, what = 'period'): Period {
  const v = label.trim();
  if (/^\d{4}-\d{2}$/.test(v)) return rename(() => monthPeriod(v), what);
  if (/^\d{4}-W\d{2}$/.test(v)) return rename(() => weekPeriod(v), what);
  throw new PeriodError(`${what} "${label}" is not a month (YYYY-MM) or an ISO week (YYYY-Www)`);
}

function rename(f: () => Period, what: string): Period {
  try {
    return f();
  } catch (e) {
    if (e instanceof PeriodError) throw new PeriodError(e.message.replace(/^--(month|week)/, what));
    throw e;
  }
}

/** The month or ISO week holding `at` (UTC), as a label: the digest's "last complete period" starts here. */
export function periodLabelOf(kind: 'month' | 'week', at: Date): string {
  if (kind === 'month') return at.toISOString().slice(0, 7);
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * 86_400_000;
  const year = new Date(thursday).getUTCFullYear();
  const n = Math.floor((thursday - week1Monday(year)) / WEEK_MS) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

/** Monday of ISO week 1: the week holding 4 January. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * 86_400_000;
}

const isoWeeksIn = (year: number) => Math.round((week1Monday(year + 1) - week1Monday(year)) / WEEK_MS);

/** The six weeks ending where `p` starts. */
export function priorSixWeeks(p: Period): Period {
  const start = Date.parse(p.from);
  return { from: new Date(start - 6 * WEEK_MS).toISOString(), to: p.from };
}

export const weeksIn = (p: Period) => (Date.parse(p.to) - Date.parse(p.from)) / WEEK_MS;
