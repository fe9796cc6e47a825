/**
 * Version 3 of the stored track state (track-record.ts): version 2's fields, but every Sample as a positional
 * array and both rings (window, hist) oldest first, so the record carries no field names per position and no
 * ring heads. Samples are most of a record (16 window + up to 30 history positions): their names were about
 * half of its bytes, and every byte is written, sent, parsed and collected once per aircraft per poll.
 *
 * Checked by hand instead of zod: the Redis store reads every aircraft's record on every step, and a schema
 * walk with issue collection cost more than the parse. The check is as strict as version 2's schema for
 * detect's own fields and names the first bad path ("window.3.1: expected number"), never the value.
 */
import type { AirportRef } from '../../domain/event';
import { extOf, type Sample, type TrackState } from '../track-state';

/**
 * [t, lat, lon, alt, flags, gs, trk, vr, age, src, fat, st]: null where the Sample has no value; flags: 1 og,
 * 2 g, 4 alt is null (the source said "ground"; a null alt without it means unknown), 8 fat is absolute. `fat`
 * is stored as fat - t (a few digits instead of thirteen) unless adding t back would not give it exactly.
 */
export type SampleTuple = [
  number,
  number,
  number,
  number | null,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  string,
  number,
  string | null,
];

const OG = 1;
const G = 2;
const ALT_GROUND = 4;
const FAT_ABSOLUTE = 8;

const orNull = (n: number | undefined): number | null => (n === undefined ? null : n);

export function sampleTuple(s: Sample): SampleTuple {
  const d = s.fat - s.t;
  const fatAbsolute = d + s.t !== s.fat;
  const flags = (s.og ? OG : 0) | (s.g ? G : 0) | (s.alt === null ? ALT_GROUND : 0) | (fatAbsolute ? FAT_ABSOLUTE : 0);
  return [
    s.t,
    s.lat,
    s.lon,
    s.alt ?? null,
    flags,
    orNull(s.gs),
    orNull(s.trk),
    orNull(s.vr),
    orNull(s.age),
    s.src,
    fatAbsolute ? s.fat : d,
    s.st ?? null,
  ];
}

/** A checked tuple back into a Sample (every key set, as the rules' fill() does: one object shape). */
function sampleOf(a: SampleTuple): Sample {
  const flags = a[4];
  return {
    t: a[0],
    lat: a[1],
    lon: a[2],
    alt: flags & ALT_GROUND ? null : (a[3] ?? undefined),
    og: (flags & OG) !== 0,
    g: (flags & G) !== 0,
    gs: a[5] ?? undefined,
    trk: a[6] ?? undefined,
    vr: a[7] ?? undefined,
    age: a[8] ?? undefined,
    src: a[9],
    fat: flags & FAT_ABSOLUTE ? a[10] : a[10] + a[0],
    st: a[11] ?? undefined,
  };
}

/** A number as JSON.stringify writes it (NaN and infinities as null, which the read check then rejects). */
const numJson = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');
const optNumJson = (n: number | null | undefined): string => (n === undefined || n === null ? 'null' : numJson(n));
const strJson = (v: string | undefined): string => (typeof v === 'string' ? JSON.stringify(v) : 'null');

/**
 * sampleTuple's JSON, written directly: the rings are most of every write, and building tuples only to
 * stringify them doubled the garbage per position.
 */
function sampleJson(s: Sample): string {
  const d = s.fat - s.t;
  const fatAbsolute = d + s.t !== s.fat;
  const flags = (s.og ? OG : 0) | (s.g ? G : 0) | (s.alt === null ? ALT_GROUND : 0) | (fatAbsolute ? FAT_ABSOLUTE : 0);
  return (
    '[' +
    numJson(s.t) +
    ',' +
    numJson(s.lat) +
    ',' +
    numJson(s.lon) +
    ',' +
    optNumJson(s.alt) +
    ',' +
    flags +
    ',' +
    optNumJson(s.gs) +
    ',' +
    optNumJson(s.trk) +
    ',' +
    optNumJson(s.vr) +
    ',' +
    optNumJson(s.age) +
    ',' +
    strJson(s.src) +
    ',' +
    numJson(fatAbsolute ? s.fat : d) +
    ',' +
    strJson(s.st) +
    ']'
  );
}

/** JSON of a ring, oldest first, from a ring whose oldest entry is at `head`. */
function ringJson(ring: readonly Sample[], head: number): string {
  const n = ring.length;
  let out = '[';
  for (let i = 0; i < n; i++) out += (i ? ',' : '') + sampleJson(ring[(head + i) % n] as Sample);
  return out + ']';
}

/** `,"name":value`, or nothing for an absent field (as JSON.stringify leaves out an undefined property). */
const field = (name: string, v: unknown): string => (v === undefined ? '' : `,"${name}":${JSON.stringify(v)}`);

/** The version 3 record of a state, as JSON: every field, both rings inline (oldest first). */
export function encodeCompact(s: TrackState): string {
  return (
    `{"version":${s.version},"hex":${JSON.stringify(s.hex)}` +
    identityJson(s) +
    `,"window":${ringJson(s.window, s.head)}` +
    timersJson(s) +
    (s.hist ? `,"hist":${ringJson(s.hist, s.histHead ?? 0)}` : '') +
    field('flips', s.flips) +
    field('ext', extOf(s)) +
    field('extDeadline', s.extDeadline) +
    field('extWake', s.extWake) +
    field('recent', s.recent) +
    '}'
  );
}

/**
 * Every field but the rings and `ext`, as JSON members (each starting with a comma), for the sliced record
 * (track-slots.ts), which stores those on their own. Field by field: a field TrackState gains must be added
 * here or in encodeCompact, or it is not stored (the tests round-trip a state with every field set).
 */
export function headerMembers(s: TrackState): string {
  return (
    identityJson(s) +
    timersJson(s) +
    field('flips', s.flips) +
    field('extDeadline', s.extDeadline) +
    field('extWake', s.extWake) +
    field('recent', s.recent)
  );
}

/**
 * The fields written every poll, by hand: JSON.stringify's generic walk was most of a header's cost, and a list
 * of members joined made several strings per member where a concatenation makes one.
 */
function identityJson(s: TrackState): string {
  const { ident, watch } = s;
  let id = '';
  if (ident.registration !== undefined) id += `,"registration":${JSON.stringify(ident.registration)}`;
  if (ident.type !== undefined) id += `,"type":${JSON.stringify(ident.type)}`;
  if (ident.callsign !== undefined) id += `,"callsign":${JSON.stringify(ident.callsign)}`;
  if (ident.operator !== undefined) id += `,"operator":${JSON.stringify(ident.operator)}`;
  return (
    `,"ident":{${id.slice(1)}}` +
    `,"watch":{"ids":${stringsJson(watch.ids)},"tags":${stringsJson(watch.tags)}}` +
    `,"phase":${JSON.stringify(s.phase)},"phaseAt":${numJson(s.phaseAt)}` +
    (s.phaseInferred === undefined ? '' : `,"phaseInferred":${s.phaseInferred}`) +
    `,"firstAt":${numJson(s.firstAt)},"heardAt":${numJson(s.heardAt)},"freshAt":${numJson(s.freshAt)}`
  );
}

function stringsJson(list: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < list.length; i++) out += (i ? ',' : '') + JSON.stringify(list[i]);
  return out + ']';
}

function timersJson(s: TrackState): string {
  return (
    field('leg', s.leg) +
    field('lastArr', s.lastArr) +
    field('squawk', s.squawk && { ...s.squawk, first: sampleTuple(s.squawk.first) }) +
    field('deadline', s.deadline) +
    field(
      'pend',
      s.pend && {
        ...s.pend,
        s: sampleTuple(s.pend.s),
        before: s.pend.before && sampleTuple(s.pend.before),
        last: s.pend.last && sampleTuple(s.pend.last),
      },
    ) +
    field('appr', s.appr && { ...s.appr, from: sampleTuple(s.appr.from), low: sampleTuple(s.appr.low) }) +
    field('apprCheckAt', s.apprCheckAt) +
    field('implausible', s.implausible) +
    field('dropRun', s.dropRun)
  );
}

/** Thrown inside the checker only (on a bad record, so its cost does not matter); readCompact makes it a reason. */
class Bad extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path}: ${what}`);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new Bad(path, 'expected object');
  return v;
}
function num(v: unknown, path: string): number {
  if (typeof v !== 'number') throw new Bad(path, 'expected number');
  return v;
}
function optNum(v: unknown, path: string): number | undefined {
  return v === undefined ? undefined : num(v, path);
}
function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new Bad(path, 'expected string');
  return v;
}
function optStr(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : str(v, path);
}
function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new Bad(path, 'expected boolean');
  return v;
}
function optBool(v: unknown, path: string): boolean | undefined {
  return v === undefined ? undefined : bool(v, path);
}
function strings(v: unknown, path: string): string[] {
  if (!Array.isArray(v)) throw new Bad(path, 'expected array');
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') throw new Bad(`${path}.${i}`, 'expected string');
  return v as string[];
}
/** What tuple entry i must be (undefined: nothing, it is past the end). */
const ENTRY = ['n', 'n', 'n', 'n?', 'n', 'n?', 'n?', 'n?', 'n?', 's', 'n', 's?'] as const;
const EXPECTED = {
  n: 'expected number',
  'n?': 'expected number or null',
  s: 'expected string',
  's?': 'expected string or null',
};

/** The first bad entry of a sample tuple: -1 when it is good, 12 when it is not an array of 12. */
function badEntry(v: unknown): number {
  if (!Array.isArray(v) || v.length !== 12) return 12;
  for (let i = 0; i < 12; i++) {
    const x: unknown = v[i];
    const ok =
      ENTRY[i] === 'n'
        ? typeof x === 'number'
        : ENTRY[i] === 'n?'
          ? x === null || typeof x === 'number'
          : ENTRY[i] === 's'
            ? typeof x === 'string'
            : x === null || typeof x === 'string';
    if (!ok) return i;
  }
  return -1;
}

/** Paths are built only on failure: the check runs for every position of every aircraft read. */
function badSample(path: string, entry: number): Bad {
  return entry === 12
    ? new Bad(path, 'expected a sample of 12 entries')
    : new Bad(`${path}.${entry}`, EXPECTED[ENTRY[entry]!]);
}

function sample(v: unknown, path: string): Sample {
  const b = badEntry(v);
  if (b >= 0) throw badSample(path, b);
  return sampleOf(v as SampleTuple);
}
function optSample(v: unknown, path: string): Sample | undefined {
  return v === undefined ? undefined : sample(v, path);
}
function samples(v: unknown, path: string): Sample[] {
  if (!Array.isArray(v)) throw new Bad(path, 'expected array');
  const out = new Array<Sample>(v.length);
  for (let i = 0; i < v.length; i++) {
    const b = badEntry(v[i]);
    if (b >= 0) throw badSample(`${path}.${i}`, b);
    out[i] = sampleOf(v[i] as SampleTuple);
  }
  return out;
}

function airport(v: unknown, path: string): AirportRef {
  const a = obj(v, path);
  str(a.icao, `${path}.icao`);
  optStr(a.iata, `${path}.iata`);
  str(a.name, `${path}.name`);
  str(a.country, `${path}.country`);
  optStr(a.tz, `${path}.tz`);
  num(a.lat, `${path}.lat`);
  num(a.lon, `${path}.lon`);
  optNum(a.distanceNm, `${path}.distanceNm`);
  return a as unknown as AirportRef;
}
function optAirport(v: unknown, path: string): AirportRef | undefined {
  return v === undefined ? undefined : airport(v, path);
}

const PHASES = new Set(['ground', 'airborne', 'unknown']);
const PEND_KINDS = new Set(['takeoff', 'landing']);

/** Sets `key` on `to` only when defined: a decoded state has the keys a freshly built one would have. */
function put<T extends object, K extends keyof T>(to: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) to[key] = v;
}

/** Rings already decoded (track-fields.ts keeps them apart from the rest); else read from `r`. */
interface Rings {
  window: Sample[];
  hist?: Sample[];
}

function decode(r: Obj, rings?: Rings): TrackState {
  const identIn = obj(r.ident, 'ident');
  const ident: TrackState['ident'] = {};
  put(ident, 'registration', optStr(identIn.registration, 'ident.registration'));
  put(ident, 'type', optStr(identIn.type, 'ident.type'));
  put(ident, 'callsign', optStr(identIn.callsign, 'ident.callsign'));
  put(ident, 'operator', optStr(identIn.operator, 'ident.operator'));
  const watchIn = obj(r.watch, 'watch');
  const phase = str(r.phase, 'phase');
  if (!PHASES.has(phase)) throw new Bad('phase', 'expected one of ground, airborne, unknown');
  const st: TrackState = {
    version: 3,
    hex: str(r.hex, 'hex'),
    ident,
    watch: { ids: strings(watchIn.ids, 'watch.ids'), tags: strings(watchIn.tags, 'watch.tags') },
    phase: phase as TrackState['phase'],
    phaseAt: num(r.phaseAt, 'phaseAt'),
    firstAt: num(r.firstAt, 'firstAt'),
    heardAt: num(r.heardAt, 'heardAt'),
    freshAt: num(r.freshAt, 'freshAt'),
    window: rings ? rings.window : samples(r.window, 'window'),
    head: 0,
    recent: strings(r.recent, 'recent'),
  };
  put(st, 'phaseInferred', optBool(r.phaseInferred, 'phaseInferred'));
  if (r.leg !== undefined) {
    const l = obj(r.leg, 'leg');
    const leg: NonNullable<TrackState['leg']> = {};
    put(leg, 'dep', optAirport(l.dep, 'leg.dep'));
    put(leg, 'depAt', optNum(l.depAt, 'leg.depAt'));
    put(leg, 'inferred', optBool(l.inferred, 'leg.inferred'));
    st.leg = leg;
  }
  if (r.lastArr !== undefined) {
    const a = obj(r.lastArr, 'lastArr');
    const lastArr: NonNullable<TrackState['lastArr']> = {
      at: num(a.at, 'lastArr.at'),
      inferred: bool(a.inferred, 'lastArr.inferred'),
    };
    put(lastArr, 'airport', optAirport(a.airport, 'lastArr.airport'));
    put(lastArr, 'reverted', optBool(a.reverted, 'lastArr.reverted'));
    st.lastArr = lastArr;
  }
  if (r.squawk !== undefined) {
    const q = obj(r.squawk, 'squawk');
    st.squawk = {
      code: str(q.code, 'squawk.code'),
      since: num(q.since, 'squawk.since'),
      fired: bool(q.fired, 'squawk.fired'),
      first: sample(q.first, 'squawk.first'),
    };
  }
  put(st, 'deadline', optNum(r.deadline, 'deadline'));
  if (r.pend !== undefined) {
    const p = obj(r.pend, 'pend');
    const kind = str(p.kind, 'pend.kind');
    if (!PEND_KINDS.has(kind)) throw new Bad('pend.kind', 'expected one of takeoff, landing');
    const pend: NonNullable<TrackState['pend']> = {
      kind: kind as 'takeoff' | 'landing',
      s: sample(p.s, 'pend.s'),
      gapMs: num(p.gapMs, 'pend.gapMs'),
    };
    put(pend, 'before', optSample(p.before, 'pend.before'));
    put(pend, 'n', optNum(p.n, 'pend.n'));
    put(pend, 'minGs', optNum(p.minGs, 'pend.minGs'));
    put(pend, 'last', optSample(p.last, 'pend.last'));
    st.pend = pend;
  }
  if (r.appr !== undefined) {
    const a = obj(r.appr, 'appr');
    st.appr = {
      airport: airport(a.airport, 'appr.airport'),
      elev: num(a.elev, 'appr.elev'),
      from: sample(a.from, 'appr.from'),
      low: sample(a.low, 'appr.low'),
      lowNm: num(a.lowNm, 'appr.lowNm'),
    };
  }
  put(st, 'apprCheckAt', optNum(r.apprCheckAt, 'apprCheckAt'));
  put(st, 'implausible', optNum(r.implausible, 'implausible'));
  put(st, 'dropRun', optNum(r.dropRun, 'dropRun'));
  if (rings) put(st, 'hist', rings.hist);
  else if (r.hist !== undefined) {
    st.hist = samples(r.hist, 'hist');
    st.histHead = 0;
  }
  put(st, 'flips', optNum(r.flips, 'flips'));
  // Each extension checks its own entry (src/trips/state.ts); here only that it is an object of entries.
  if (r.ext !== undefined) st.ext = obj(r.ext, 'ext');
  put(st, 'extDeadline', optNum(r.extDeadline, 'extDeadline'));
  put(st, 'extWake', optNum(r.extWake, 'extWake'));
  return st;
}

/** A parsed version 3 record, checked: the state, or the first problem ("path: what"). */
export function readCompact(r: Obj, rings?: Rings): { state: TrackState } | { reason: string } {
  try {
    return { state: decode(r, rings) };
  } catch (e) {
    if (e instanceof Bad) return { reason: e.message };
    throw e;
  }
}
