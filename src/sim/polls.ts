/**
 * Turns traces into what the detector sees: one batch of matched aircraft per poll, including empty batches
 * when nothing was heard (coverage gaps), so tests and demos exercise "not heard" exactly like the worker.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { MatchedAircraft, WatchHit } from '../domain/watchlist';

export interface Poll {
  /** Poll time (epoch ms): the `now` passed to Detector.process. */
  now: number;
  batch: MatchedAircraft[];
}

export interface PollOptions {
  intervalS?: number;
  /** Watch hit attached to every state (the sim does not run the matcher). */
  watch?: WatchHit;
  /** First and last poll time; default: the span of the states. */
  from?: number;
  to?: number;
}

export function matched(s: AircraftState, watch: WatchHit = { ids: ['sim'], tags: [] }): MatchedAircraft {
  return { ...s, watch };
}

/** Every state goes into the first poll at or after its observedAt; polls with nothing heard are empty. */
export function toPolls(states: readonly AircraftState[], opts: PollOptions = {}): Poll[] {
  const intervalMs = (opts.intervalS ?? 30) * 1000;
  const sorted = [...states].sort((a, b) => a.observedAt - b.observedAt);
  const from = opts.from ?? sorted[0]?.observedAt;
  const to = opts.to ?? sorted.at(-1)?.observedAt;
  if (from === undefined || to === undefined) return [];
  const polls: Poll[] = [];
  let i = 0;
  const nextAt = () => sorted[i]?.observedAt ?? Infinity;
  while (nextAt() < from) i++;
  for (let now = from; now <= to; now += intervalMs) {
    const batch: MatchedAircraft[] = [];
    while (nextAt() <= now) batch.push(matched(sorted[i++]!, opts.watch)); // nextAt() is finite: row i exists
    polls.push({ now, batch });
  }
  return polls;
}

/** Merges several aircraft's states into one time-ordered list (one poll then carries all of them). */
export function mergeStates(...traces: readonly (readonly AircraftState[])[]): AircraftState[] {
  return traces.flat().sort((a, b) => a.observedAt - b.observedAt);
}
