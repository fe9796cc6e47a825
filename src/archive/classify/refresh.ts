/**
 * Keeps `leg_classes` fresh without a reader: the worker reclassifies the legs the archiver changed shortly
 * after it changes them, so someone querying the database directly (a notebook, a BI tool, psql) sees current
 * categories, not only the CLI (which also refreshes before every read). Runs once at start (the rules may
 * have changed since the last run) and then whenever the archiver wrote events since the last refresh.
 * Idempotent and keyed by leg: replicas doing it at once write the same rows. A failure is logged once per
 * problem and retried at the next tick; archiving and alerts go on.
 */
import type { Kysely } from 'kysely';
import type { ClassifyRules } from '../../domain/leg-classification';
import type { Logger } from '../../util/log';
import type { RecordDatabase } from '../record-schema';
import { classifyStaleLegs } from './store';

export interface ClassifyRefreshOptions {
  db: Kysely<RecordDatabase>;
  rules: ClassifyRules;
  /** A counter that moves when the archiver writes (its `status().archived`). */
  written: () => number;
  log: Logger;
  /** How often to look for new writes (default 5 s). */
  intervalMs?: number;
}

export interface ClassifyRefresh {
  /** Resolves after the next refresh that starts from now (tests; the worker never waits on it). */
  refreshNow(): Promise<number>;
  stop(): Promise<void>;
}

export function startClassifyRefresh(o: ClassifyRefreshOptions): ClassifyRefresh {
  let seen: number | undefined;
  let running: Promise<number> | undefined;
  let lastProblem: string | undefined;
  let stopped = false;

  const refresh = (): Promise<number> => {
    if (running) return running.then(refresh);
    seen = o.written();
    running = classifyStaleLegs(o.db, o.rules)
      .then((n) => {
        if (lastProblem) o.log.info('leg classification refresh working again');
        lastProblem = undefined;
        if (n) o.log.debug({ legs: n }, 'legs reclassified');
        return n;
      })
      .catch((e: unknown) => {
        const msg = (e as Error).message;
        if (msg !== lastProblem)
          o.log.warn({ err: msg }, 'leg classification refresh failed (retried; the CLI refreshes before reading)');
        lastProblem = msg;
        seen = undefined; // try again at the next tick
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  };

  const tick = () => {
    if (stopped || running) return;
    if (seen === undefined || o.written() !== seen) void refresh();
  };
  tick();
  const timer = setInterval(tick, o.intervalMs ?? 5000);
  timer.unref();

  return {
    refreshNow: refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
