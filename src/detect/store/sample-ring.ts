/**
 * A ring of samples (a track's window or history) as one binary value, in the ring's own slot order. As JSON
 * the rings were most of every write and read of a track record, and most of that cost was turning some 400
 * doubles a record into decimal text and back; here each number is its eight bytes, exact, and a ring is
 * written and read with a DataView.
 *
 * Layout: u8 format (1), u16 string count, each string as u16 byte length + UTF-8 (the sources and source types
 * the samples name), then SAMPLE_BYTES per sample: t, lat, lon, alt, gs, trk, vr, age, fat as float64 LE,
 * u16 flags, u16 index of `src`, u16 index of `st` (NO_STRING when absent).
 */
import type { Sample } from '../track-state';

const FORMAT = 1;
const NUMBERS = 9;
export const SAMPLE_BYTES = NUMBERS * 8 + 6;
const NO_STRING = 0xffff;

const OG = 1;
const G = 2;
/** alt is null: the source said "ground" (undefined alt: unknown). */
const ALT_GROUND = 4;
const HAS_ALT = 8;
const HAS_GS = 16;
const HAS_TRK = 32;
const HAS_VR = 64;
const HAS_AGE = 128;

const opt = (n: number | undefined): number => (n === undefined ? 0 : n);

/** An encoded ring's string table: the strings its samples name (by index), and where its samples start. */
export interface RingTable {
  strings: readonly string[];
  bytes: number;
}

export function encodeRing(ring: readonly Sample[]): Buffer {
  return encodeRingWithTable(ring).buf;
}

/** The ring encoded, and its table (a later write can then replace one sample in place: encodeSlot). */
export function encodeRingWithTable(ring: readonly Sample[]): { buf: Buffer; table: RingTable } {
  // A ring names one source or two: a list searched in place is cheaper than a map made per call.
  const strings: string[] = [];
  const ids = new Array<number>(2 * ring.length);
  const idOf = (s: string): number => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  for (let i = 0; i < ring.length; i++) {
    const s = ring[i]!;
    ids[2 * i] = idOf(s.src);
    ids[2 * i + 1] = s.st === undefined ? NO_STRING : idOf(s.st);
  }
  if (strings.length >= NO_STRING) throw new RangeError('a ring names more distinct sources than its format holds');
  let head = 3;
  for (const s of strings) {
    const len = Buffer.byteLength(s);
    if (len > 0xffff) throw new RangeError('a source name in a ring is longer than its format holds');
    head += 2 + len;
  }
  const buf = Buffer.allocUnsafe(head + ring.length * SAMPLE_BYTES);
  buf.writeUInt8(FORMAT, 0);
  buf.writeUInt16LE(strings.length, 1);
  let o = 3;
  for (const s of strings) {
    const len = buf.write(s, o + 2);
    buf.writeUInt16LE(len, o);
    o += 2 + len;
  }
  // A DataView's accessors compile to plain loads and stores; Buffer's write*LE are library code per call.
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  for (let i = 0; i < ring.length; i++, o += SAMPLE_BYTES) writeSample(view, o, ring[i]!, ids[2 * i]!, ids[2 * i + 1]!);
  return { buf, table: { strings, bytes: head } };
}

/**
 * One sample as it sits in a ring of `table`, to put in place of a slot: undefined when it names a string the
 * table does not hold (the ring is then written whole).
 */
export function encodeSlot(s: Sample, table: RingTable): Buffer | undefined {
  const src = table.strings.indexOf(s.src);
  const st = s.st === undefined ? NO_STRING : table.strings.indexOf(s.st);
  if (src < 0 || st < 0) return undefined;
  const buf = Buffer.allocUnsafe(SAMPLE_BYTES);
  writeSample(new DataView(buf.buffer, buf.byteOffset, SAMPLE_BYTES), 0, s, src, st);
  return buf;
}

function writeSample(view: DataView, o: number, s: Sample, src: number, st: number): void {
  view.setFloat64(o, s.t, true);
  view.setFloat64(o + 8, s.lat, true);
  view.setFloat64(o + 16, s.lon, true);
  view.setFloat64(o + 24, s.alt ?? 0, true);
  view.setFloat64(o + 32, opt(s.gs), true);
  view.setFloat64(o + 40, opt(s.trk), true);
  view.setFloat64(o + 48, opt(s.vr), true);
  view.setFloat64(o + 56, opt(s.age), true);
  view.setFloat64(o + 64, s.fat, true);
  const flags =
    (s.og ? OG : 0) |
    (s.g ? G : 0) |
    (s.alt === null ? ALT_GROUND : s.alt === undefined ? 0 : HAS_ALT) |
    (s.gs === undefined ? 0 : HAS_GS) |
    (s.trk === undefined ? 0 : HAS_TRK) |
    (s.vr === undefined ? 0 : HAS_VR) |
    (s.age === undefined ? 0 : HAS_AGE);
  view.setUint16(o + 72, flags, true);
  view.setUint16(o + 74, src, true);
  view.setUint16(o + 76, st, true);
}

/** The samples of an encoded ring, or what is wrong with it (never its content). */
export function decodeRing(buf: Buffer): Sample[] | string {
  const checked = checkRing(buf);
  return typeof checked === 'string' ? checked : decodeSlots(buf, checked.table, checked.count);
}

/**
 * What decodeRing would find wrong with a ring, without building its samples: its table and sample count, or
 * the problem. A ring it accepts decodes slot by slot (decodeSlot) without further checks.
 */
export function checkRing(buf: Buffer): { table: RingTable; count: number } | string {
  const table = readTable(buf);
  if (typeof table === 'string') return table;
  let o = table.bytes;
  const count = (buf.length - o) / SAMPLE_BYTES;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const strings = table.strings.length;
  for (let i = 0; i < count; i++, o += SAMPLE_BYTES) {
    const st = view.getUint16(o + 76, true);
    if (view.getUint16(o + 74, true) >= strings || (st !== NO_STRING && st >= strings))
      return `${i}: names a string it does not hold`;
  }
  return { table, count };
}

/** The string table at the start of a ring, checked, and that the samples after it are whole. */
function readTable(buf: Buffer): RingTable | string {
  if (buf.length < 3 || buf.readUInt8(0) !== FORMAT) return 'not a sample ring of this release';
  const count = buf.readUInt16LE(1);
  const strings = new Array<string>(count);
  let o = 3;
  for (let i = 0; i < count; i++) {
    if (o + 2 > buf.length) return 'truncated';
    const len = buf.readUInt16LE(o);
    if (o + 2 + len > buf.length) return 'truncated';
    strings[i] = buf.toString('utf8', o + 2, o + 2 + len);
    o += 2 + len;
  }
  if ((buf.length - o) % SAMPLE_BYTES) return 'truncated';
  return { strings, bytes: o };
}

/** The position time of slot `i` of a ring checkRing accepted, without decoding the sample. */
export function slotTime(buf: Buffer, table: RingTable, i: number): number {
  return buf.readDoubleLE(table.bytes + i * SAMPLE_BYTES);
}

/** Sample `i` of a ring checkRing accepted (with the table it returned). */
export function decodeSlot(buf: Buffer, table: RingTable, i: number): Sample {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  return readSample(view, table.bytes + i * SAMPLE_BYTES, table.strings);
}

/** Every sample of a ring checkRing accepted. */
export function decodeSlots(buf: Buffer, table: RingTable, count: number): Sample[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const out = new Array<Sample>(count);
  for (let i = 0; i < count; i++) out[i] = readSample(view, table.bytes + i * SAMPLE_BYTES, table.strings);
  return out;
}

/** The sample at byte `o`, whose string indexes were checked. */
function readSample(view: DataView, o: number, strings: readonly string[]): Sample {
  const flags = view.getUint16(o + 72, true);
  const stIndex = view.getUint16(o + 76, true);
  // Every key set, in one order: a decoded sample has the shape rules.ts's fill() gives one.
  return {
    t: view.getFloat64(o, true),
    lat: view.getFloat64(o + 8, true),
    lon: view.getFloat64(o + 16, true),
    alt: flags & ALT_GROUND ? null : flags & HAS_ALT ? view.getFloat64(o + 24, true) : undefined,
    og: (flags & OG) !== 0,
    g: (flags & G) !== 0,
    gs: flags & HAS_GS ? view.getFloat64(o + 32, true) : undefined,
    trk: flags & HAS_TRK ? view.getFloat64(o + 40, true) : undefined,
    vr: flags & HAS_VR ? view.getFloat64(o + 48, true) : undefined,
    age: flags & HAS_AGE ? view.getFloat64(o + 56, true) : undefined,
    src: strings[view.getUint16(o + 74, true)]!,
    fat: view.getFloat64(o + 64, true),
    st: stIndex === NO_STRING ? undefined : strings[stIndex],
  };
}
