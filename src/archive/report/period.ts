/** Report periods: a calendar month (UTC) and the six weeks before it that the groups compare against. */

export interface Period {
  /** ISO-8601 UTC, inclusive. */
  from: string;
  /** ISO-8601 UTC, exclusive. */
  to: string;
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
  };
}

/** The six weeks ending where `p` starts. */
export function priorSixWeeks(p: Period): Period {
  const start = Date.parse(p.from);
  return { from: new Date(start - 6 * WEEK_MS).toISOString(), to: p.from };
}

export const weeksIn = (p: Period) => (Date.parse(p.to) - Date.parse(p.from)) / WEEK_MS;
