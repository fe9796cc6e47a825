/**
 * The replay runner: recorded files → (enrich) → watchlist → the same Detector the worker uses → an event
 * sink. The sink is an async callback so printing, a test collector or (later) delivery plug in alike.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { FlightEvent } from '../domain/event';
import type { Watchlist } from '../domain/watchlist';
import type { Detector } from '../detect/types';
import { ReplayInputError } from './errors';
import type { FormatOption } from './formats';
import { listInputFiles } from './input-files';
import { planInputs, type PlannedInput } from './plan';
import { MatchCache } from './match-cache';
import { replaySteps } from './steps';

export interface ReplayProgress {
  filesStarted: number;
  filesTotal: number;
  positions: number;
  /** Replay clock (epoch ms) of the last step. */
  now: number;
}

export interface ReplayOptions {
  watchlist: Watchlist;
  detector: Detector;
  /** Fills registration/type/operator from an aircraft database before matching (OpenSky has none). */
  enrich?: (s: AircraftState) => AircraftState;
  format?: FormatOption;
  /** Trace positions are grouped into steps of this many seconds (default 1). */
  stepS?: number;
  /**
   * After the last record the clock runs on this many seconds (default 3600) with nothing heard, so
   * timeouts (an inferred landing after signal loss) resolve as they would have live. 0 disables.
   */
  tailS?: number;
  /**
   * Steps where no watched aircraft was heard still reach the detector (timeouts are evaluated against
   * `now`), but at most once per this many seconds of replay time (default 30, about a poll interval).
   */
  idleTickS?: number;
  onEvents: (events: FlightEvent[]) => void | Promise<void>;
  onFileError?: (err: ReplayInputError) => void;
  onRejected?: (file: string, count: number, reasons: string[]) => void;
  onProgress?: (p: ReplayProgress) => void;
}

export interface ReplayStats {
  files: number;
  badFiles: ReplayInputError[];
  positions: number;
  matched: number;
  steps: number;
  events: number;
  firstTime?: number;
  lastTime?: number;
}

/** Replays already-planned inputs (in time order). */
export async function replayPlanned(
  inputs: readonly PlannedInput[],
  opts: ReplayOptions,
  badFiles: ReplayInputError[] = [],
): Promise<ReplayStats> {
  const stats: ReplayStats = {
    files: inputs.length + badFiles.length,
    badFiles,
    positions: 0,
    matched: 0,
    steps: 0,
    events: 0,
  };
  const idleMs = (opts.idleTickS ?? 30) * 1000;
  const progress: ReplayProgress = { filesStarted: 0, filesTotal: inputs.length, positions: 0, now: 0 };
  let lastProcessed = -Infinity;
  const matcher = new MatchCache(opts.watchlist);

  const emit = async (events: FlightEvent[]) => {
    if (!events.length) return;
    stats.events += events.length;
    await opts.onEvents(events);
  };

  const steps = replaySteps(
    inputs,
    { stepMs: Math.max(0, (opts.stepS ?? 1) * 1000) },
    {
      onFileStart: (i) => (progress.filesStarted = i + 1),
      onFileError: (e) => {
        badFiles.push(e);
        opts.onFileError?.(e);
      },
      onRejected: opts.onRejected,
    },
  );
  for (const step of steps) {
    stats.steps++;
    stats.positions += step.states.length;
    stats.firstTime ??= step.now;
    stats.lastTime = step.now;
    let states = step.states;
    if (opts.enrich) states = states.map(opts.enrich);
    const matched = matcher.filter(states);
    stats.matched += matched.length;
    if (matched.length || step.now - lastProcessed >= idleMs) {
      lastProcessed = step.now;
      await emit(await opts.detector.process(matched, step.now));
    }
    if (opts.onProgress) {
      progress.positions = stats.positions;
      progress.now = step.now;
      opts.onProgress(progress);
    }
  }
  const tailMs = (opts.tailS ?? 3600) * 1000;
  if (tailMs > 0 && stats.lastTime !== undefined) await emit(await opts.detector.process([], stats.lastTime + tailMs));
  return stats;
}

/** Lists, plans and replays PATHs (files or directories). Unreadable/unrecognised files are reported and skipped. */
export async function runReplay(paths: readonly string[], opts: ReplayOptions): Promise<ReplayStats> {
  const listed = listInputFiles(paths);
  const planned = planInputs(listed.files, opts.format ?? 'auto');
  const bad = [...listed.errors, ...planned.errors];
  for (const e of bad) opts.onFileError?.(e);
  return replayPlanned(planned.inputs, opts, bad);
}
