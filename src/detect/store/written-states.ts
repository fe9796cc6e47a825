/**
 * The states a Redis track store last wrote, with the version it wrote them at: while the stored version is
 * still that one, the state in Redis is this very state, so the next step can start from it without reading
 * and parsing the record. The compare-and-set that saves the step checks the version in Redis anyway: when
 * another replica (or anything else) wrote the aircraft since, the save fails and the step re-runs on the
 * record read afresh, exactly as after a lost race. So the memory is an optimisation, never a source of truth.
 *
 * A state is taken out while a step runs (the step may mutate it) and put back only once its save committed:
 * a failed or lost save can never leave a state here that Redis does not hold. Bounded: least recently
 * written first out, and nothing older than `maxAgeMs` (its key's TTL, refreshed by that write) is used.
 */
import type { TrackState } from '../track-state';

export interface WrittenState {
  /** The version the store wrote with this state (the hash's `v`). */
  v: string;
  state: TrackState;
  /** When it was written (ms). */
  at: number;
}

export class WrittenStates {
  /** Insertion order is write order: the first entry is the least recently written. */
  private readonly byHex = new Map<string, WrittenState>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  /** Removes and returns the state last written for `hex`, when there is one young enough to use. */
  take(hex: string, now: number): WrittenState | undefined {
    const w = this.byHex.get(hex);
    if (!w) return undefined;
    this.byHex.delete(hex);
    return now - w.at < this.maxAgeMs ? w : undefined;
  }

  has(hex: string): boolean {
    return this.byHex.has(hex);
  }

  /** Remembers a committed write (`state` undefined: the track was deleted, nothing to remember). */
  put(hex: string, v: string, state: TrackState | undefined, now: number): void {
    this.byHex.delete(hex);
    if (state === undefined || this.maxEntries <= 0) return;
    this.byHex.set(hex, { v, state, at: now });
    this.evict(now);
  }

  get size(): number {
    return this.byHex.size;
  }

  /** Drops the least recently written beyond the bound, and those too old to use (aircraft no longer heard). */
  private evict(now: number): void {
    for (const [hex, w] of this.byHex) {
      if (this.byHex.size <= this.maxEntries && now - w.at < this.maxAgeMs) return;
      this.byHex.delete(hex);
    }
  }
}
