/**
 * Keeps the fleet priors' legs (src/trips/fleet-priors.ts) current: read from the archive once it is open and
 * every `everyMs` after, handed to the detector's trips extension as plain data through `current()`. A failed
 * read is logged once per problem and the last good legs stay in use; prediction never waits for it.
 */
import type { FleetLegs } from '../trips/fleet-priors';
import type { Logger } from '../util/log';

export interface FleetRefresh {
  current(): FleetLegs | undefined;
  /** Resolves after a read that starts now (tests; the worker never waits on it). */
  refreshNow(): Promise<void>;
  stop(): void;
}

export function startFleetRefresh(o: { read: () => Promise<FleetLegs>; everyMs: number; log: Logger }): FleetRefresh {
  let legs: FleetLegs | undefined;
  let lastProblem: string | undefined;
  let running: Promise<void> | undefined;
  const refresh = (): Promise<void> =>
    (running ??= o
      .read()
      .then((l) => {
        if (!legs) o.log.info({ legs: l.legs.length }, 'fleet priors loaded from the archive');
        legs = l;
        lastProblem = undefined;
      })
      .catch((e: unknown) => {
        const msg = (e as Error).message;
        if (msg !== lastProblem) o.log.warn({ err: msg }, 'fleet priors not refreshed (the last ones stay in use)');
        lastProblem = msg;
      })
      .finally(() => (running = undefined)));
  void refresh();
  const timer = setInterval(() => void refresh(), o.everyMs);
  timer.unref();
  return {
    current: () => legs,
    refreshNow: () => (running ?? Promise.resolve()).then(refresh),
    stop: () => clearInterval(timer),
  };
}
