/**
 * Whole-reply snapshots → AircraftState, through the same normalizers the live sources use, so replay sees
 * exactly what the worker would have seen: readsb/ADSBx/dump1090 `aircraft.json` and OpenSky `/states/all`.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { FetchResult } from '../sources/source';
import { SourceError } from '../sources/source';
import { parseReadsbReply } from '../sources/readsb/parse';
import { parseOpenSkyReply } from '../sources/opensky/parse';
import { ReplayInputError } from './errors';
import type { ReplayFormat } from './formats';

export interface Snapshot {
  /** The reply's own clock (epoch ms). */
  time: number;
  states: AircraftState[];
  /** Records the normalizer dropped (no hex, wrong types…), with its reasons. */
  rejected: number;
  rejectReasons: string[];
}

type SnapshotFormat = Exclude<ReplayFormat, 'readsb-trace'>;

type Parser = (body: unknown, ctx: { sourceId: string; fetchedAt: number }) => FetchResult;

const PARSERS: Record<SnapshotFormat, Parser> = {
  'readsb-aircraft': parseReadsbReply,
  'opensky-states': parseOpenSkyReply,
};

/**
 * Normalizes one parsed snapshot. `time` is the reply's clock as planned from the file; it is also the
 * fetch time, as a live poll would have received the reply then.
 */
export function readSnapshot(
  file: string,
  format: SnapshotFormat,
  doc: unknown,
  time: number,
  sourceId: string,
): Snapshot {
  let r: FetchResult;
  try {
    r = PARSERS[format](doc, { sourceId, fetchedAt: time });
  } catch (e) {
    if (e instanceof SourceError) throw new ReplayInputError(file, e.message.replace(/^source [^:]+: /, ''));
    throw new ReplayInputError(file, `cannot normalize ${format}: ${(e as Error).message}`);
  }
  return { time: r.serverTime ?? time, states: r.states, rejected: r.rejected, rejectReasons: r.rejectReasons ?? [] };
}
