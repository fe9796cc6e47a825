/**
 * The `poll cycle` log line, summarized: one line per cycle is 30 lines a minute at a 2 s schedule and says
 * nothing the metrics do not. Each cycle is logged at debug; at info, one `poll cycles` line per period
 * (default a minute) with counts, emitted by the first cycle that starts after the period (no timer: a worker
 * that stops polling stops summarizing, and the incident log says why). Failures have their own lines.
 */
import type { PollCycleResult } from '../ingest/poll-cycle';
import type { Logger } from '../util/log';

export const POLL_SUMMARY_PERIOD_MS = 60_000;

export interface PollSummary {
  /** Records one cycle; logs it at debug and, when the period is over, the summary at info. */
  record(r: PollCycleResult): void;
}

export function createPollSummary(log: Logger, periodMs = POLL_SUMMARY_PERIOD_MS): PollSummary {
  let since: number | undefined;
  let cycles = 0;
  let unserved = 0;
  let maxMatched = 0;
  let maxStates = 0;
  let totalMs = 0;
  let maxMs = 0;
  let servedBy: Record<string, number> = {};
  const reset = (at: number) => {
    since = at;
    cycles = unserved = maxMatched = maxStates = totalMs = maxMs = 0;
    servedBy = {};
  };
  return {
    record(r) {
      const failed = r.attempts.filter((a) => !a.ok).map((a) => a.sourceId);
      log.debug(
        { servedBy: r.servedBy, matched: r.matched.length, states: r.states, ms: r.durationMs, failed },
        'poll cycle',
      );
      if (since !== undefined && r.startedAt - since >= periodMs && cycles > 0)
        log.info(
          {
            cycles,
            servedBy,
            unserved,
            maxMatched,
            maxStates,
            meanMs: Math.round(totalMs / cycles),
            maxMs,
            periodS: Math.round((r.startedAt - since) / 1000),
          },
          'poll cycles',
        );
      if (since === undefined || r.startedAt - since >= periodMs) reset(r.startedAt);
      cycles++;
      if (r.servedBy) servedBy[r.servedBy] = (servedBy[r.servedBy] ?? 0) + 1;
      else unserved++;
      maxMatched = Math.max(maxMatched, r.matched.length);
      maxStates = Math.max(maxStates, r.states);
      totalMs += r.durationMs;
      maxMs = Math.max(maxMs, r.durationMs);
    },
  };
}
