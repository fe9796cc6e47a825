/**
 * The track store port: per-aircraft state behind one small interface, so the same detector runs on Redis
 * (the worker, several replicas) and in memory (replay, backtests).
 */
import type { FlightEvent } from '../../domain/event';
import type { TrackState } from '../track-state';

/**
 * Advances one aircraft's state. May mutate `prev` and return it. Returns the new state, or undefined to drop
 * the track. Events go to `out`. A store may call the step again with a freshly read state when another worker
 * changed the aircraft concurrently; it then discards the events of the failed attempt, so a step must not have
 * other side effects.
 */
export type TrackStep = (hex: string, prev: TrackState | undefined, out: FlightEvent[]) => TrackState | undefined;

export interface TrackStore {
  readonly kind: 'memory' | 'redis';
  /** Applies `step` to each aircraft atomically; appends the events of the committed attempts to `out`. */
  update(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): Promise<void>;
  /** Aircraft whose timer (`dueAt(state)`: the rules' `deadline` or an extension's `extDeadline`) is at or before `now`. */
  due(now: number): Promise<string[]>;
  get(hex: string): Promise<TrackState | undefined>;
  /** Number of tracked aircraft (metrics, tests). */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** Raised when concurrent modification keeps a store from committing (it retried and gave up). */
export class TrackStoreConflictError extends Error {
  constructor(
    readonly hexes: readonly string[],
    attempts: number,
  ) {
    super(
      `track store: ${hexes.length} aircraft (${hexes.slice(0, 5).join(', ')}) still conflicted after ${attempts} attempts`,
    );
    this.name = 'TrackStoreConflictError';
  }
}
