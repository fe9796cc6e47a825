/**
 * Request budgets, pure arithmetic: how many cycles the poll schedule runs per day, what each source's planned
 * requests cost per cycle and per day, and whether that fits the source's limits (1 request/s for the keyless
 * readsb APIs, `dailyRequestBudget`, OpenSky daily credits).
 */
import { parse as parseCron } from 'node-cron';
import type { SourceConfig } from '../config/schema';
import type { PlannedRequest } from '../sources/source';
import { guessProvider } from '../sources/readsb/source';
import { ANONYMOUS_DAILY_CREDITS, USER_DAILY_CREDITS } from '../sources/opensky/credits';

export interface ScheduleStats {
  /** Cycles on a day the schedule runs (the busiest day: budgets are per day). */
  cyclesPerDay: number;
  /** Shortest gap between two consecutive cycles, seconds (a cycle's requests must fit in it). */
  minIntervalS: number;
  /** Days of the week (0 = Sunday; node-cron's "5#2"/"5L" kept as text) the schedule runs on, when restricted. */
  daysOfWeek?: (number | string)[];
  /** Days of the month ("L" = last) the schedule runs on, when restricted. */
  daysOfMonth?: (number | string)[];
  /** Months the schedule runs in, when restricted. */
  months?: number[];
}

const SECONDS_PER_DAY = 86_400;

/**
 * Enumerates the times of day a node-cron expression (5 fields, or 6 with seconds) fires. Uses node-cron's own
 * parser so `*`, `*\/n`, `a-b`, `a-b/n`, lists and names mean exactly what the scheduler will do.
 * Throws with node-cron's message when the expression is invalid.
 */
export function scheduleStats(expression: string): ScheduleStats {
  const f = parseCron(expression);
  const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  const seconds = uniq(f.second);
  const minutes = uniq(f.minute);
  const hours = uniq(f.hour);
  const times: number[] = [];
  for (const h of hours) for (const m of minutes) for (const s of seconds) times.push(h * 3600 + m * 60 + s);
  times.sort((a, b) => a - b);
  let minIntervalS = SECONDS_PER_DAY; // one cycle a day: the next one is tomorrow
  times.forEach((t, i) => {
    if (i > 0) minIntervalS = Math.min(minIntervalS, t - times[i - 1]!);
  });
  // Across midnight to the first cycle of the next day (assumes the next day runs too: the worst case).
  const [firstTime, lastTime] = [times[0], times.at(-1)];
  if (times.length > 1 && firstTime !== undefined && lastTime !== undefined)
    minIntervalS = Math.min(minIntervalS, firstTime + SECONDS_PER_DAY - lastTime);
  // Day fields may hold node-cron's special forms ("L", "5#2"): any of those restricts the days.
  const days = (xs: (number | string)[], all: number, norm = (d: number) => d) => {
    const nums = uniq(xs.filter((x): x is number => typeof x === 'number').map(norm));
    const special = xs.filter((x): x is string => typeof x === 'string');
    return nums.length < all || special.length ? [...nums, ...special] : undefined;
  };
  const dow = days(f.dayOfWeek, 7, (d) => d % 7);
  const dom = days(f.dayOfMonth, 31);
  const mon = uniq(f.month);
  return {
    cyclesPerDay: times.length,
    minIntervalS,
    ...(dow ? { daysOfWeek: dow } : {}),
    ...(dom ? { daysOfMonth: dom } : {}),
    ...(mon.length < 12 ? { months: mon } : {}),
  };
}

/** The public limits we know per provider (data-sources.md §1): keyless readsb APIs allow 1 request/s. */
const KEYLESS_RATE: Record<string, { name: string; requestsPerSecond: number }> = {
  adsblol: { name: 'adsb.lol', requestsPerSecond: 1 },
  adsbfi: { name: 'adsb.fi', requestsPerSecond: 1 },
  airplaneslive: { name: 'airplanes.live', requestsPerSecond: 1 },
};

/** Which public service a readsb-v2 source talks to: explicit `provider`, else the adapter's guess from the host. */
export function readsbProviderOf(s: Extract<SourceConfig, { kind: 'readsb-v2' }>): string {
  return s.provider ?? guessProvider(s.baseUrl);
}

/** OpenSky /states credits per UTC day: `dailyCredits`, else 4,000 with OAuth2 credentials, else 400 anonymous. */
export function openskyDailyCredits(s: Extract<SourceConfig, { kind: 'opensky' }>): { credits: number; basis: string } {
  if (s.dailyCredits !== undefined) return { credits: s.dailyCredits, basis: 'dailyCredits' };
  if (s.clientIdEnv) return { credits: USER_DAILY_CREDITS, basis: 'OAuth2 standard user' };
  return { credits: ANONYMOUS_DAILY_CREDITS, basis: 'anonymous' };
}

export interface SourceBudget {
  sourceId: string;
  kind: SourceConfig['kind'];
  requestsPerCycle: number;
  /** Sum of request `cost` per cycle: OpenSky credits, 1 per request elsewhere. */
  costPerCycle: number;
  requestsPerDay: number;
  costPerDay: number;
  /** The rate the source is held to: the configured one, capped by the provider's published limit. */
  requestsPerSecond: number;
  /** Seconds one cycle's requests take at that rate, against the shortest gap between cycles. */
  secondsPerCycle: number;
  /** Daily limits this source is measured against. */
  limits: { what: 'requests' | 'credits'; perDay: number; basis: string }[];
  warnings: string[];
}

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 1 });

/**
 * Requests and cost per cycle and per day for one source, checked against every limit that applies.
 * Reported as if this source served every cycle: with failover any source may have to.
 */
export function sourceBudget(
  source: SourceConfig,
  requests: readonly PlannedRequest[],
  schedule: ScheduleStats,
): SourceBudget {
  const id = source.id;
  const requestsPerCycle = requests.length;
  const costPerCycle = requests.reduce((sum, r) => sum + r.cost, 0);
  const requestsPerDay = requestsPerCycle * schedule.cyclesPerDay;
  const costPerDay = costPerCycle * schedule.cyclesPerDay;
  const warnings: string[] = [];
  const limits: SourceBudget['limits'] = [];

  let rps = source.requestsPerSecond;
  if (source.kind === 'readsb-v2') {
    const known = KEYLESS_RATE[readsbProviderOf(source)];
    if (known) {
      if (source.requestsPerSecond > known.requestsPerSecond)
        warnings.push(
          `${id}: requestsPerSecond ${n(source.requestsPerSecond)} is above ${known.name}'s limit of ` +
            `${known.requestsPerSecond} request/s; planning with ${known.requestsPerSecond}/s`,
        );
      rps = Math.min(rps, known.requestsPerSecond);
      limits.push({
        what: 'requests',
        perDay: known.requestsPerSecond * SECONDS_PER_DAY,
        basis: `${known.name} ${known.requestsPerSecond} request/s`,
      });
    }
  }
  if (source.dailyRequestBudget !== undefined)
    limits.push({ what: 'requests', perDay: source.dailyRequestBudget, basis: 'dailyRequestBudget' });
  if (source.kind === 'opensky') {
    const { credits, basis } = openskyDailyCredits(source);
    limits.push({ what: 'credits', perDay: credits, basis: `OpenSky ${basis}` });
  }

  for (const l of limits) {
    const used = l.what === 'credits' ? costPerDay : requestsPerDay;
    if (used > l.perDay) {
      // The longest interval that would fit: cycles/day must drop to perDay / per-cycle use.
      const perCycle = l.what === 'credits' ? costPerCycle : requestsPerCycle;
      const maxCycles = Math.floor(l.perDay / perCycle);
      const every = maxCycles > 0 ? Math.ceil(SECONDS_PER_DAY / maxCycles) : undefined;
      warnings.push(
        `${id}: ${n(used)} ${l.what}/day (${n(perCycle)} per cycle × ${n(schedule.cyclesPerDay)} cycles) exceeds ` +
          `the ${n(l.perDay)}/day of ${l.basis}` +
          (every
            ? `; poll at most ${n(maxCycles)} times a day (every ${n(every)} s or slower)`
            : '; a single cycle is already over'),
      );
    }
  }

  const secondsPerCycle = requestsPerCycle / rps;
  if (requestsPerCycle > 0 && secondsPerCycle > schedule.minIntervalS)
    warnings.push(
      `${id}: ${n(requestsPerCycle)} requests per cycle take ${n(secondsPerCycle)} s at ${n(rps)} request/s, ` +
        `longer than the ${n(schedule.minIntervalS)} s between cycles; cycles will overlap or be skipped`,
    );

  return {
    sourceId: id,
    kind: source.kind,
    requestsPerCycle,
    costPerCycle,
    requestsPerDay,
    costPerDay,
    requestsPerSecond: rps,
    secondsPerCycle,
    limits,
    warnings,
  };
}
