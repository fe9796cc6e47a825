/**
 * The track record as the Redis store keeps it: the state spread over fields of the aircraft's hash, so that
 * a step writes only what it changed and nothing is turned into decimal text that need not be.
 *
 *   h   the header, JSON: every field but the rings and `ext` (compact-track.ts's members), plus each ring's
 *       length and head: `wn`, `wh` (window), `xn`, `xh` (history; absent until that ring first wraps)
 *   e   `ext` as JSON ('' when none)
 *   w   the window ring, binary (sample-ring.ts), in the ring's own slot order
 *   x   the history ring, binary
 *
 * Per poll an aircraft gains a window position; its history gains one every 20 s at most and `ext` changes
 * when a trip does. A write sends the header and the window, and `e` and `x` only when they changed since the
 * record the store last read or wrote (the compare-and-set on `v` guarantees the hash is that record). A ring
 * changes only by taking a newer position (rules.ts keeps them in time order), so its length, head and newest
 * position time tell whether it did. `e` is not even parsed until a step needs it (TrackState.extLater): most
 * steps do not (TrackState.extWake), and those write back the very string they read.
 *
 * Releases before this one kept the whole state as JSON in one field, `s` (track-record.ts): such a record is
 * still read, and the next write replaces it (a release that old reads a record of these fields as absent).
 */
import { TRACK_STATE_VERSION, histOf, lastSample, windowOf, type Sample, type TrackState } from '../track-state';
import { headerMembers, readCompact } from './compact-track';
import {
  SAMPLE_BYTES,
  checkRing,
  decodeSlot,
  decodeSlots,
  encodeRingWithTable,
  encodeSlot,
  slotTime,
  type RingTable,
} from './sample-ring';
import type { TrackRecord } from './track-record';

/** The fields a read asks for, in this order: the version, the older single-field record, then these. */
export const READ_FIELDS = ['v', 's', 'h', 'e', 'w', 'x'] as const;

/** What the hash holds, as far as the next write needs to know: each ring's mark and `ext`'s JSON. */
export interface FieldMarks {
  w: RingMark;
  x: RingMark;
  e: string;
}

/**
 * A ring's length, head and newest position time (any change to the ring changes one of them), and the table
 * of the ring as stored, when it is: a step that added one position then sends that one slot, not the ring.
 */
export interface RingMark {
  n: number;
  head: number;
  newest: number;
  table?: RingTable;
}

function ringMark(ring: readonly Sample[] | undefined, head: number | undefined): RingMark {
  const n = ring?.length ?? 0;
  if (!ring || !n) return { n: 0, head: 0, newest: 0 };
  const h = head ?? 0;
  return { n, head: h, newest: ring[(h + n - 1) % n]!.t };
}

const sameRing = (a: RingMark, b: RingMark): boolean => a.n === b.n && a.head === b.head && a.newest === b.newest;

/**
 * The one array slot that differs from the stored ring when the step added exactly one position: it took the
 * slot at the old head (a full ring), or was appended (a ring still filling). The position that was newest
 * must still be in its slot: a step that added a ring's length and one more moves the head by one too, but
 * overwrote that slot with a later position (a ring takes only newer positions).
 */
function addedSlot(ring: readonly Sample[], now: RingMark, stored: RingMark): number | undefined {
  if (!stored.n) return undefined;
  const slot =
    now.n === stored.n && now.head === (stored.head + 1) % now.n
      ? stored.head
      : now.n === stored.n + 1 && now.head === stored.head
        ? stored.n
        : undefined;
  if (slot === undefined) return undefined;
  // A slot still encoded (a hole: track-state.ts) is as stored.
  const prev = ring[(stored.head + stored.n - 1) % stored.n];
  return prev === undefined || prev.t === stored.newest ? slot : undefined;
}

/**
 * Appends the ring's field to `fields` when it changed since `stored`: `+name:offset:length` and the one
 * slot's bytes when a slot of the stored ring can be replaced in place (the store's script splices them in,
 * after checking the stored value is `length` bytes long), else the ring whole. Returns the new mark.
 */
function ringField(
  name: 'w' | 'x',
  ring: readonly Sample[],
  head: number | undefined,
  stored: RingMark | undefined,
  fields: (string | Buffer)[],
  whole: () => readonly Sample[] = () => ring,
): RingMark {
  const mark = ringMark(ring, head);
  if (stored && sameRing(stored, mark)) return stored;
  const table = stored?.table;
  const slot = stored && table ? addedSlot(ring, mark, stored) : undefined;
  const bytes = slot === undefined ? undefined : encodeSlot(ring[slot]!, table!);
  if (bytes) {
    fields.push(`+${name}:${table!.bytes + slot! * SAMPLE_BYTES}:${table!.bytes + stored!.n * SAMPLE_BYTES}`, bytes);
    mark.table = table;
  } else {
    const encoded = encodeRingWithTable(whole());
    fields.push(name, encoded.buf);
    mark.table = encoded.table;
  }
  return mark;
}

function headerJson(s: TrackState): string {
  const wn = s.window.length;
  return (
    `{"version":${s.version},"hex":${JSON.stringify(s.hex)},"wn":${wn},"wh":${wn ? s.head : 0}` +
    `,"xn":${s.histLater?.n ?? s.hist?.length ?? 0}` +
    (s.histHead === undefined ? '' : `,"xh":${s.histHead}`) +
    headerMembers(s) +
    '}'
  );
}

/**
 * The hash fields to write for `s` (name, value, name, value…) and the marks of the record they leave: every
 * field when `stored` is undefined (the caller replaces the record), else the header and what changed.
 */
export function trackFields(
  s: TrackState,
  stored: FieldMarks | undefined,
): { fields: (string | Buffer)[]; marks: FieldMarks } {
  const fields: (string | Buffer)[] = ['h', headerJson(s)];
  // `ext` still as read (no step needed it) is the stored value: neither parsed nor written again.
  const e = s.extLater ?? (s.ext === undefined ? '' : JSON.stringify(s.ext));
  if (!stored || stored.e !== e) fields.push('e', e);
  lastSample(s); // the newest slot marks the ring: decoded, if the step did not
  const w = ringField('w', s.window, s.head, stored?.w, fields, () => windowOf(s));
  // A history still encoded is the one stored: unchanged. Replacing the record needs it decoded.
  if (s.histLater && stored) return { fields, marks: { w, x: stored.x, e } };
  const hist = histOf(s);
  const x = hist?.length ? ringField('x', hist, s.histHead, stored?.x, fields) : ringMark(hist, s.histHead);
  return { fields, marks: { w, x, e } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const invalid = (reason: string): { rec: TrackRecord } => ({ rec: { kind: 'invalid', reason } });

/** A record of these fields read back: as readTrackRecord reports one, with the marks when it is a state. */
export function readTrackFields(f: { h: string; e?: string; w?: Buffer; x?: Buffer }): {
  rec: TrackRecord;
  marks?: FieldMarks;
} {
  let head: unknown;
  try {
    head = JSON.parse(f.h);
  } catch {
    return invalid('h: not JSON');
  }
  if (!isObject(head)) return invalid('h: not a JSON object');
  const version = head.version;
  if (typeof version === 'number' && version > TRACK_STATE_VERSION) return { rec: { kind: 'newer', version } };
  if (version !== TRACK_STATE_VERSION) return invalid('h: version is not one this release writes');
  const { wn, wh, xn, xh } = head;
  if (!isIndex(wn) || !isIndex(wh) || (wn ? wh >= wn : wh !== 0))
    return invalid('h: window length or head out of range');
  if (!isIndex(xn) || !(xh === undefined || (isIndex(xh) && (xn ? xh < xn : xh === 0))))
    return invalid('h: history length or head out of range');
  const w = wn ? checkedRing(f.w, 'w', wn, wh) : undefined;
  if (typeof w === 'string') return invalid(w);
  const x = xn ? checkedRing(f.x, 'x', xn, xh ?? 0) : undefined;
  if (typeof x === 'string') return invalid(x);
  // Slots are decoded when a step first reads them (track-state.ts): holes until then.
  const window = new Array<Sample>(wn);
  // `ext` is parsed when a step first needs it (extOf()); an object is all the store ever writes there.
  if (f.e && f.e.charCodeAt(0) !== 0x7b) return invalid('e: not a JSON object');
  head.ext = undefined; // `ext` comes from `e` alone: a header that names one (a hand edit) is not read as it
  const read = readCompact(head, { window });
  if ('reason' in read) return invalid(read.reason);
  const state = read.state;
  if (f.e) state.extLater = f.e;
  state.head = wn ? wh : 0;
  if (xh !== undefined) state.histHead = xh;
  if (w) state.windowLater = { load: (i) => decodeSlot(w.buf, w.table, i) };
  if (x) state.histLater = { n: xn, head: xh ?? 0, newest: x.newest, load: () => decodeSlots(x.buf, x.table, x.count) };
  const mark = (r: typeof w): RingMark =>
    r ? { n: r.count, head: r.head, newest: r.newest, table: r.table } : { n: 0, head: 0, newest: 0 };
  return { rec: { kind: 'state', state }, marks: { w: mark(w), x: mark(x), e: f.e ?? '' } };
}

/**
 * A ring field checked whole (length, table, every sample's strings: what decoding it would refuse is found
 * now, and reported as a bad record) but left encoded, or the problem ("w: missing", "x: truncated").
 */
function checkedRing(
  buf: Buffer | undefined,
  name: string,
  n: number,
  head: number,
): { buf: Buffer; table: RingTable; count: number; head: number; newest: number } | string {
  if (!buf) return `${name}: missing`;
  const checked = checkRing(buf);
  if (typeof checked === 'string') return `${name}: ${checked}`;
  const { table, count } = checked;
  if (count !== n) return `${name}: ${count} positions where the header says ${n}`;
  return { buf, table, count, head, newest: slotTime(buf, table, (head + count - 1) % count) };
}
