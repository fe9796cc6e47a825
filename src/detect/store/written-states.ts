/**
 * The states a Redis track store last wrote, with the version it wrote them at: while the stored version is
 * still that one, the state in Redis is this very state, so the next step can start from it without reading
 * and parsing the record. The compare-and-set that saves the step checks the version in Redis anyway: when
 * another replica (or anything else) wrote the aircraft since, the save fails and the step re-runs on the
 * record read afresh, exactly as after a lost race. So the memory is an optimisation, never a source of truth.
 *
 * A state is taken out while a step runs (the step may mutate it) and put back only once its save committed:
 * a failed or lost save can never leave a state here that Redis does not hold.
 *
 * Bounded by count and age. When full, a new aircraft is not taken in (rather than pushing out the least
 * recently written): a detect run steps every aircraft once in the same order, so with more aircraft than
 * room, evicting would push out each state just before its next use and none would ever be reused; refusing
 * keeps the ones already in reusable. Entries older than `maxAgeMs` (aircraft no longer heard) make room.
 */
import { decodeRings, type TrackState } from '../track-state';
import type { FieldMarks } from './track-fields';

export interface WrittenState {
  /** The version the store wrote with this state (the hash's `v`). */
  v: string;
  state: TrackState;
  /** What the hash holds (track-fields.ts): the next write sends only what changed; none: everything. */
  marks?: FieldMarks;
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
  put(hex: string, v: string, state: TrackState | undefined, now: number, marks?: FieldMarks): void {
    this.byHex.delete(hex);
    if (state === undefined) return;
    if (this.byHex.size >= this.maxEntries) this.dropOld(now);
    if (this.byHex.size >= this.maxEntries) return;
    // Rings still encoded would hold a view of the reply they came in (and that whole reply) for as long.
    this.byHex.set(hex, { v, state: decodeRings(state), marks, at: now });
  }

  get size(): number {
    return this.byHex.size;
  }

  /** Drops the entries too old to use (aircraft no longer heard), oldest first. */
  private dropOld(now: number): void {
    for (const [hex, w] of this.byHex) {
      if (now - w.at < this.maxAgeMs) return;
      this.byHex.delete(hex);
    }
  }
}
