/**
 * In-memory track store for replay and backtests. Synchronous underneath (`updateSync`) so a replay does no
 * promise or JSON work per position; state objects are mutated in place.
 */
import type { FlightEvent } from '../../domain/event';
import { dueAt, type TrackState } from '../track-state';
import type { TrackStep, TrackStore } from './track-store';

export class MemoryTrackStore implements TrackStore {
  readonly kind = 'memory' as const;
  private readonly tracks = new Map<string, TrackState>();
  /** hex → deadline, only for aircraft with a running timer (few at any time). */
  private readonly deadlines = new Map<string, number>();
  private minDeadline = Infinity;

  updateSync(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): void {
    for (const hex of hexes) this.updateOne(hex, step, out);
  }

  updateOne(hex: string, step: TrackStep, out: FlightEvent[]): void {
    const prev = this.tracks.get(hex);
    const next = step(hex, prev, out);
    if (next === undefined) {
      if (prev !== undefined) this.tracks.delete(hex);
      this.deadlines.delete(hex);
      return;
    }
    if (next !== prev) this.tracks.set(hex, next);
    const d = dueAt(next);
    if (d === undefined) {
      if (this.deadlines.size) this.deadlines.delete(hex);
    } else {
      this.deadlines.set(hex, d);
      if (d < this.minDeadline) this.minDeadline = d;
    }
  }

  update(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): Promise<void> {
    // The executor turns a throwing step into a rejection, as an async method would.
    return new Promise((resolve) => resolve(this.updateSync(hexes, step, out)));
  }

  dueSync(now: number): string[] {
    // minDeadline is a lower bound (deadlines only move later or vanish), so most calls return at once.
    if (now < this.minDeadline) return [];
    const out: string[] = [];
    let min = Infinity;
    for (const [hex, d] of this.deadlines) {
      if (d <= now) out.push(hex);
      else if (d < min) min = d;
    }
    this.minDeadline = min;
    return out;
  }

  due(now: number): Promise<string[]> {
    return Promise.resolve(this.dueSync(now));
  }

  get(hex: string): Promise<TrackState | undefined> {
    return Promise.resolve(this.tracks.get(hex));
  }

  size(): Promise<number> {
    return Promise.resolve(this.tracks.size);
  }

  close(): Promise<void> {
    this.tracks.clear();
    this.deadlines.clear();
    return Promise.resolve();
  }
}
