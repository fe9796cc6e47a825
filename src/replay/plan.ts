/** Decides, for each input file, its format and start time, so the files can be replayed in time order. */
import { ReplayInputError } from './errors';
import {
  formatOfDoc,
  sniffFormatFromHead,
  startTimeFromHead,
  startTimeOfDoc,
  type FormatOption,
  type ReplayFormat,
} from './formats';
import { parseJsonInput, readInputHead, readInputText } from './input-files';

export interface PlannedInput {
  file: string;
  format: ReplayFormat;
  /** Epoch ms: the snapshot's clock, or the trace's `timestamp` (no row is earlier). */
  startMs: number;
}

const FORMAT_HELP =
  'expected a readsb trace (icao, timestamp, trace), a readsb aircraft.json (now, aircraft|ac) or an OpenSky /states/all reply (time, states)';

/** Plans one file; throws ReplayInputError when the file cannot be replayed. */
export function planInput(file: string, format: FormatOption): PlannedInput {
  const head = readInputHead(file);
  let fmt = format === 'auto' ? sniffFormatFromHead(head) : format;
  let start = fmt ? startTimeFromHead(fmt, head) : undefined;
  if (!fmt || start === undefined) {
    // The head was not conclusive (keys in an unusual order, or a tiny/odd file): read the whole document.
    const doc = parseJsonInput(file, readInputText(file));
    if (format === 'auto') fmt = formatOfDoc(doc);
    if (!fmt) throw new ReplayInputError(file, `not a recognised format: ${FORMAT_HELP}`);
    start = startTimeOfDoc(fmt, doc);
    if (start === undefined) {
      const key = fmt === 'readsb-trace' ? 'timestamp' : fmt === 'readsb-aircraft' ? 'now' : 'time';
      throw new ReplayInputError(file, `${key} is missing or not a number (format ${fmt})`, key);
    }
  }
  return { file, format: fmt, startMs: start };
}

/** Plans every file, sorted by start time (ties by path, for a deterministic order). */
export function planInputs(
  files: readonly string[],
  format: FormatOption,
): { inputs: PlannedInput[]; errors: ReplayInputError[] } {
  const inputs: PlannedInput[] = [];
  const errors: ReplayInputError[] = [];
  for (const f of files) {
    try {
      inputs.push(planInput(f, format));
    } catch (e) {
      if (e instanceof ReplayInputError) errors.push(e);
      else throw e;
    }
  }
  inputs.sort((a, b) => a.startMs - b.startMs || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { inputs, errors };
}
