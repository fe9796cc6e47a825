/**
 * Keeps the event history within `pipeline.historyMaxEntries` (its age is bounded at each append by
 * `alerts.historyRetention`). A timer on every replica: trimming is idempotent, so replicas need no
 * coordination. Entries the flight record has not archived stay (its lag alert says when that persists).
 */
import type { Redis } from 'ioredis';
import { keys } from '../alerting/keys';
import { trimHistory, type TrimResult } from '../pipeline/history';
import type { Logger } from '../util/log';

export interface HistoryTrimOptions {
  redis: Redis;
  prefix: string;
  maxEntries: () => number;
  /** The archive's cursor (see trimHistory); undefined when the flight record is off. */
  archivedUpTo: () => Promise<string | null | undefined>;
  log: Logger;
  everyMs?: number;
}

export interface HistoryTrim {
  runOnce(): Promise<TrimResult>;
  stop(): void;
}

export function startHistoryTrim(o: HistoryTrimOptions): HistoryTrim {
  const k = keys(o.prefix);
  let heldBack = false;
  const runOnce = async () => {
    const r = await trimHistory(o.redis, k, o.maxEntries(), await o.archivedUpTo());
    if (r.removed) o.log.info({ removed: r.removed, maxEntries: o.maxEntries() }, 'history trimmed to its bound');
    // One line per incident, not per minute.
    if (r.heldBack && !heldBack)
      o.log.warn(
        { notArchived: r.heldBack, maxEntries: o.maxEntries() },
        'history over its bound: entries the archive has not taken yet are kept',
      );
    heldBack = r.heldBack > 0;
    return r;
  };
  const timer = setInterval(
    () =>
      void runOnce().catch((e: unknown) => o.log.warn({ err: (e as Error).message }, 'history trim failed (retried)')),
    o.everyMs ?? 60_000,
  );
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
