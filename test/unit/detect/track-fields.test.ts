/**
 * The track record as hash fields (src/detect/store/track-fields.ts) and its binary rings (sample-ring.ts): a
 * state comes back exactly, rings in their own slot order; a write after a step carries only what changed;
 * a spoiled field is reported by name, never by content, and a newer release's header as newer.
 */
import {
  newTrack,
  pushSlot,
  rememberHistory,
  TRACK_STATE_VERSION,
  type Sample,
  type TrackState,
} from '../../../src/detect';
import { decodeRing, encodeRing } from '../../../src/detect/store/sample-ring';
import { decodeAll, extOf } from '../../../src/detect/track-state';
import { readTrackFields, trackFields, type FieldMarks } from '../../../src/detect/store/track-fields';
import { T0 } from './harness';

const position = (i: number): Sample => ({
  t: T0 + i * 5_000,
  lat: 31.12345678901234 + i / 1000,
  lon: -92.98765432101234,
  alt: 12_000 + i * 25,
  og: false,
  g: false,
  gs: 301.7,
  trk: 271.25,
  vr: -640,
  age: 0.6,
  src: 'adsbx',
  fat: T0 + i * 5_000 + 431,
  st: 'adsb_icao',
});

/** Position `i` taken as the rules take one: into the window (of `size`) and, every 20 s, the history. */
function advance(st: TrackState, i: number, size = 4, src = 'adsbx'): void {
  const s = Object.assign(pushSlot(st, size), position(i), { src });
  st.freshAt = s.t;
  rememberHistory(st, s);
}

/** An airborne track whose window (size 4) and history have wrapped, with a trip in `ext`. */
function flying(positions = 150): TrackState {
  const st = newTrack('a1b2c3', T0);
  st.phase = 'airborne';
  st.ident = { callsign: 'GXA123', type: 'GLF5', registration: 'N123XX' };
  st.watch = { ids: ['glf5'], tags: ['removal'] };
  for (let i = 0; i < positions; i++) advance(st, i);
  st.ext = { trips: { trip: { id: 't1', legs: [] } } };
  st.recent = ['ev1'];
  return st;
}

/**
 * The fields as the hash would hold them after `fields` were written over `hash`, splices (`+name:offset:length`)
 * applied as the store's script applies them, failing where the script would refuse.
 */
function apply(hash: Map<string, string | Buffer>, fields: (string | Buffer)[]): Map<string, string | Buffer> {
  for (let i = 0; i < fields.length; i += 2) {
    const name = String(fields[i]);
    const value = fields[i + 1];
    const splice = /^\+(\w+):(\d+):(\d+)$/.exec(name);
    if (!splice) {
      hash.set(name, value);
      continue;
    }
    const [, field, at, len] = splice;
    const cur = hash.get(field);
    if (!Buffer.isBuffer(cur) || cur.length !== Number(len) || Number(at) > cur.length)
      throw new Error(`${name}: the stored ${field} is not what the write expects`);
    const bytes = value as Buffer;
    hash.set(field, Buffer.concat([cur.subarray(0, Number(at)), bytes, cur.subarray(Number(at) + bytes.length)]));
  }
  return hash;
}

/** The record as the store reads it: the history left encoded (histLater). */
function readAsStored(hash: Map<string, string | Buffer>) {
  const text = (k: string) => (hash.has(k) ? String(hash.get(k)) : undefined);
  const buf = (k: string) => {
    const v = hash.get(k);
    return v === undefined ? undefined : Buffer.isBuffer(v) ? v : Buffer.from(v);
  };
  return readTrackFields({ h: text('h') ?? '', e: text('e'), w: buf('w'), x: buf('x') });
}

/** The names of the fields a write sends; a ring's one new slot, sent as a splice, by the ring's name alone. */
const names = (fields: (string | Buffer)[]) =>
  fields.filter((_f, i) => i % 2 === 0).map((f) => String(f).replace(/^\+(\w+):.*/, '$1'));

/** The record read whole: its history and `ext` decoded too. */
function read(hash: Map<string, string | Buffer>) {
  const got = readAsStored(hash);
  if (got.rec.kind === 'state') decodeAll(got.rec.state);
  return got;
}

describe('track record fields', () => {
  it('round trip: every sample field exactly (doubles, absent and null values), rings in their own order', () => {
    const st = flying();
    expect(st.head).not.toBe(0);
    expect(st.histHead).toBeDefined();
    const odd: Sample = { ...position(99), alt: null, og: true, g: true, gs: undefined, trk: undefined, st: undefined };
    const unknownAlt: Sample = { ...position(98), alt: undefined, vr: undefined, age: undefined, src: 'rx-ünï' };
    st.window[st.head] = odd;
    st.hist![0] = unknownAlt;
    const { rec, marks } = read(apply(new Map(), trackFields(st, undefined).fields));
    expect(rec).toEqual({ kind: 'state', state: st });
    if (rec.kind !== 'state') return;
    // Undefined fields are set (one object shape), but to undefined: same as the state's missing ones.
    expect(Object.keys(rec.state.window[st.head])).toEqual(Object.keys(position(0)));
    expect(rec.state.window[st.head].alt).toBeNull();
    expect(rec.state.hist![0].alt).toBeUndefined();
    expect(marks).toEqual(trackFields(st, undefined).marks);
  });

  it('a write after a step carries the header and the window; history and ext only when they changed', () => {
    const st = flying(150);
    const first = trackFields(st, undefined);
    expect(names(first.fields)).toEqual(['h', 'e', 'w', 'x']);
    const hash = apply(new Map(), first.fields);

    let marks: FieldMarks = first.marks;
    const step = (i: number) => {
      advance(st, i);
      const next = trackFields(st, marks);
      marks = next.marks;
      apply(hash, next.fields);
      return names(next.fields);
    };
    // History takes a position every 20 s: four polls of 5 s.
    const written = [150, 151, 152, 153].map(step);
    expect(written.filter((n) => n.includes('x'))).toHaveLength(1);
    expect(written.every((n) => n.join() === 'h,w' || n.join() === 'h,w,x')).toBe(true);
    st.ext = { trips: { trip: { id: 't1', legs: [{ from: 'KAEX' }] } } };
    expect(step(154)).toContain('e');
    // What the hash now holds, field by field, is the state.
    expect(read(hash).rec).toEqual({ kind: 'state', state: st });
  });

  it('a step that added one position sends that slot alone; any other change to a ring sends it whole', () => {
    const st = flying(2); // window of 4 still filling, history of one
    const hash = apply(new Map(), trackFields(st, undefined).fields);
    // The marks a later write starts from are those of the record as read, as the store does.
    const readMarks = () => {
      const got = read(hash);
      expect(got.rec).toEqual({ kind: 'state', state: st });
      return got.marks!;
    };
    let i = 2;
    const push = (size = 4, src = 'adsbx') => advance(st, i++, size, src);
    /** The window's field after `pushes`: its name and value's length. */
    const windowWrite = (pushes: () => void) => {
      const marks = readMarks();
      pushes();
      const { fields } = trackFields(st, marks);
      apply(hash, fields);
      const at = fields.findIndex((f, k) => k % 2 === 0 && /^\+?w\b/.test(String(f)));
      return { name: String(fields[at]), bytes: (fields[at + 1] as Buffer).length };
    };
    const ringBytes = (n: number) => encodeRing(st.window.slice(0, n)).length;

    // Filling: the new position is appended at the end of the stored ring.
    expect(windowWrite(() => push())).toEqual({ name: `+w:${ringBytes(2)}:${ringBytes(2)}`, bytes: 78 });
    push();
    apply(hash, trackFields(st, undefined).fields); // full now (4)
    // Full: the position takes the oldest slot, at the head.
    const head = st.head;
    const slotAt = ringBytes(4) - 4 * 78 + head * 78; // after the string table
    expect(windowWrite(() => push())).toEqual({ name: `+w:${slotAt}:${ringBytes(4)}`, bytes: 78 });
    // Two positions, five (the head moves by one as for one), a source the ring does not name, a smaller window.
    expect(windowWrite(() => (push(), push())).name).toBe('w');
    expect(windowWrite(() => [1, 2, 3, 4, 5].forEach(() => push())).name).toBe('w');
    expect(windowWrite(() => push(4, 'opensky')).name).toBe('w');
    expect(windowWrite(() => push(3)).name).toBe('w');
    // History wrapped long ago in flying(); it takes a position every 20 s and sends that slot alone.
    const marks = readMarks();
    for (let k = 0; k < 4; k++) push(3, 'opensky');
    const { fields } = trackFields(st, marks);
    expect(fields.filter((f, k) => k % 2 === 0 && String(f).startsWith('+x:'))).toHaveLength(1);
    apply(hash, fields);
    readMarks();
  });

  it('rings are decoded only as far as a step uses them: most polls touch two window slots and no history', () => {
    const st = flying(150);
    const hash = apply(new Map(), trackFields(st, undefined).fields);
    const got = readAsStored(hash);
    if (got.rec.kind !== 'state') throw new Error(got.rec.kind);
    const stored = got.rec.state;
    expect(stored.hist).toBeUndefined();
    expect(stored.histLater).toMatchObject({ n: st.hist!.length, head: st.histHead });
    const decodedSlots = () => Object.keys(stored.window).length; // slots decoded or filled; holes are neither
    expect([stored.window.length, decodedSlots()]).toEqual([4, 0]);
    let marks = got.marks!;
    const step = (i: number) => {
      for (const s of [st, stored]) advance(s, i);
      const next = trackFields(stored, marks);
      marks = next.marks;
      apply(hash, next.fields);
      return next.fields.filter((_f, k) => k % 2 === 0).map((f) => String(f).replace(/:.*/, ''));
    };
    // flying() left the newest history entry at position 148 (every fourth): 149 and 150 are within 20 s of it.
    expect([step(150), step(151)]).toEqual([
      ['h', '+w'],
      ['h', '+w'],
    ]);
    expect(stored.histLater).toBeDefined();
    // Each step filled the slot at the head with a new object; none was decoded (rules.ts also reads the newest).
    expect(decodedSlots()).toBe(2);
    expect(step(152)).toEqual(['h', '+w', '+x']);
    expect(stored.histLater).toBeUndefined();
    expect(read(hash).rec).toEqual({ kind: 'state', state: st });
  });

  it('a splice the stored field does not fit is refused', () => {
    const st = flying(150);
    const hash = apply(new Map(), trackFields(st, undefined).fields);
    const marks = read(hash).marks!;
    Object.assign(pushSlot(st, 4), position(150));
    hash.set('w', Buffer.concat([hash.get('w') as Buffer, Buffer.alloc(1)])); // not the ring the step read
    expect(() => apply(hash, trackFields(st, marks).fields)).toThrow('+w:');
  });

  it('ext is parsed only when a step needs it; one left unread is written back as the string it was', () => {
    const st = flying();
    const hash = apply(new Map(), trackFields(st, undefined).fields);
    const stored = readAsStored(hash);
    if (stored.rec.kind !== 'state') throw new Error(stored.rec.kind);
    const state = stored.rec.state;
    expect(state.ext).toBeUndefined();
    expect(state.extLater).toBe(hash.get('e'));
    // A step that did not need it: the write leaves `e` out (unchanged), and a record it replaces gets it as is.
    expect(names(trackFields(state, stored.marks).fields)).not.toContain('e');
    const replaced = new Map(trackFields(state, undefined).fields.map((f, k, all) => [f, all[k + 1]]));
    expect(replaced.get('e')).toBe(hash.get('e'));
    // A step that needed it: parsed, and written when it changed.
    expect(extOf(state)).toEqual(st.ext);
    expect(state.extLater).toBeUndefined();
    expect(names(trackFields(state, stored.marks).fields)).not.toContain('e');
    (extOf(state)!.trips as { trip: { id: string } }).trip.id = 't2';
    expect(names(trackFields(state, stored.marks).fields)).toContain('e');
  });

  it('a ring names the position and the reason it cannot be read, never a value', () => {
    const ring = encodeRing([position(1), position(2)]);
    expect(decodeRing(ring.subarray(0, ring.length - 1))).toBe('truncated');
    expect(decodeRing(Buffer.from('[[1,2,3]]'))).toBe('not a sample ring of this release');
    const badIndex = Buffer.from(ring);
    badIndex.writeUInt16LE(7, badIndex.length - 78 + 74); // the second sample's source: string 7 of 2
    expect(decodeRing(badIndex)).toBe('1: names a string it does not hold');
  });

  it('spoiled fields are reported by name; a newer header as newer', () => {
    const st = flying();
    const good = () => apply(new Map(), trackFields(st, undefined).fields);
    const reason = (hash: Map<string, string | Buffer>) => {
      const { rec } = read(hash);
      return rec.kind === 'invalid' ? rec.reason : rec.kind;
    };
    expect(reason(good().set('h', '{"version":3,"hex":"a1b2c3","secret":"tok'))).toBe('h: not JSON');
    expect(reason(good().set('e', '[{"token":1}]'))).toBe('e: not a JSON object');
    // `ext` is parsed when a step first needs it: only then is broken JSON found, the extensions start afresh, and
    // the state says why (the store reports it), never what the field held.
    const broken = readAsStored(good().set('e', '{"token":'));
    if (broken.rec.kind !== 'state') throw new Error(broken.rec.kind);
    expect(extOf(broken.rec.state)).toBeUndefined();
    expect(broken.rec.state.extUnreadable).toBe('e: not JSON');
    const noWindow = good();
    noWindow.delete('w');
    expect(reason(noWindow)).toBe('w: missing');
    expect(reason(good().set('x', encodeRing([position(1)])))).toMatch(/^x: 1 positions where the header says \d+$/);
    const header = JSON.parse(String(good().get('h'))) as Record<string, unknown>;
    expect(reason(good().set('h', JSON.stringify({ ...header, wh: 9 })))).toBe('h: window length or head out of range');
    expect(reason(good().set('h', JSON.stringify({ ...header, phase: 'cruising' })))).toMatch(/^phase: /);
    expect(read(good().set('h', JSON.stringify({ version: TRACK_STATE_VERSION + 1, rings: 'elsewhere' }))).rec).toEqual(
      {
        kind: 'newer',
        version: TRACK_STATE_VERSION + 1,
      },
    );
  });
});
