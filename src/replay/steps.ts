/**
 * Turns planned inputs into detector time steps, in time order.
 *
 * Snapshots are one step each (one poll of the whole sky). Trace rows from many files are merged k-way by
 * time: a file is loaded only when the replay clock reaches its start and dropped when exhausted, so memory
 * holds the traces that overlap in time, not every position of every file. Trace positions are grouped into
 * steps of `stepMs`; a step also ends when an aircraft already in it reports again, so no step carries two
 * positions of one aircraft (a poll never does either).
 */
import type { AircraftState } from '../domain/aircraft-state';
import { ReplayInputError } from './errors';
import { parseJsonInput, readInputText } from './input-files';
import type { PlannedInput } from './plan';
import { readSnapshot } from './snapshot-reader';
import { parseTraceDoc, TraceCursor } from './trace-reader';

export interface ReplayStep {
  /** Replay clock for this step (epoch ms): snapshot time, or the latest trace position in the step. */
  now: number;
  states: AircraftState[];
  kind: 'snapshot' | 'trace';
}

export interface StepHooks {
  /** A file was loaded (or failed to load): index into the plan, for progress. */
  onFileStart?(index: number, input: PlannedInput): void;
  onFileError?(err: ReplayInputError): void;
  /** Records a snapshot normalizer dropped, for reporting (nothing is lost silently). */
  onRejected?(file: string, count: number, reasons: string[]): void;
}

/** Min-heap of trace cursors keyed by their next row time. */
class CursorHeap {
  private readonly entries: { cursor: TraceCursor; key: number }[] = [];
  get size() {
    return this.entries.length;
  }
  topKey(): number {
    return this.entries[0]?.key ?? Infinity;
  }
  /** Call only when size > 0. */
  top(): TraceCursor {
    return this.at(0).cursor;
  }
  push(cursor: TraceCursor) {
    this.entries.push({ cursor, key: cursor.peekTime() });
    this.up(this.entries.length - 1);
  }
  /** Re-keys the top after it advanced; removes it when exhausted. */
  fixTop() {
    const top = this.at(0);
    if (!top.cursor.done) {
      top.key = top.cursor.peekTime();
      this.down(0);
      return;
    }
    const last = this.entries.pop()!; // the top exists, so the heap is not empty
    if (this.entries.length) {
      this.entries[0] = last;
      this.down(0);
    }
  }
  /** Every index the heap operations pass is below length. */
  private at(i: number) {
    return this.entries[i]!;
  }
  private swap(i: number, j: number) {
    const e = this.at(i);
    this.entries[i] = this.at(j);
    this.entries[j] = e;
  }
  private up(i: number) {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.at(p).key <= this.at(i).key) break;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number) {
    const n = this.entries.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.at(l).key < this.at(m).key) m = l;
      if (r < n && this.at(r).key < this.at(m).key) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

export function* replaySteps(
  inputs: readonly PlannedInput[],
  opts: { stepMs: number; sourceId?: (input: PlannedInput) => string },
  hooks: StepHooks = {},
): Generator<ReplayStep> {
  const sourceId = opts.sourceId ?? ((i: PlannedInput) => `replay:${i.format}`);
  const heap = new CursorHeap();
  let batch: AircraftState[] = [];
  let batchHex = new Set<string>();
  let batchStart = 0;
  let batchNow = 0;
  let next = 0;

  const load = (index: number): ReplayStep | undefined => {
    const input = inputs[index];
    if (!input) return undefined;
    hooks.onFileStart?.(index, input);
    try {
      const doc = parseJsonInput(input.file, readInputText(input.file));
      if (input.format === 'readsb-trace') {
        const cursor = new TraceCursor(parseTraceDoc(input.file, doc), sourceId(input));
        if (!cursor.done) heap.push(cursor);
        return undefined;
      }
      const snap = readSnapshot(input.file, input.format, doc, input.startMs, sourceId(input));
      if (snap.rejected) hooks.onRejected?.(input.file, snap.rejected, snap.rejectReasons);
      return { now: snap.time, states: snap.states, kind: 'snapshot' };
    } catch (e) {
      if (!(e instanceof ReplayInputError)) throw e;
      hooks.onFileError?.(e);
      return undefined;
    }
  };

  const flush = (): ReplayStep => {
    const step: ReplayStep = { now: batchNow, states: batch, kind: 'trace' };
    batch = [];
    batchHex = new Set();
    return step;
  };

  for (;;) {
    const pendingT = inputs[next]?.startMs ?? Infinity;
    const heapT = heap.topKey();
    if (pendingT === Infinity && heapT === Infinity) break;
    if (pendingT <= heapT) {
      const snap = load(next++);
      if (snap) {
        if (batch.length) yield flush();
        yield snap;
      }
      continue;
    }
    const cursor = heap.top();
    const state = cursor.next();
    heap.fixTop();
    if (batch.length && (heapT - batchStart >= opts.stepMs || batchHex.has(state.hex))) yield flush();
    if (!batch.length) batchStart = heapT;
    batch.push(state);
    batchHex.add(state.hex);
    if (heapT > batchNow) batchNow = heapT;
  }
  if (batch.length) yield flush();
}
