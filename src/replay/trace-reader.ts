/**
 * readsb globe_history traces (`trace_full_<hex>.json`, `trace_recent_<hex>.json`) → AircraftState.
 *
 * Row layout (readsb README-json.md "trace jsons"): [secondsAfterTimestamp, lat, lon, alt_ft|"ground"|null,
 * gs, track, flags, vertRate, aircraftObject|null, sourceType, geomAlt, geomRate, ias, roll]; files before
 * 2022 stop after the aircraft object. `flags&1` marks a position after a ≥20 s gap, `flags&2` a new leg.
 * Every row is a position current at its own time, so positionAgeS is 0.
 */
import { flagsFromDbFlags, type AircraftState } from '../domain/aircraft-state';
import { ReplayInputError } from './errors';

export interface TraceHeader {
  hex: string;
  registration?: string;
  type?: string;
  operator?: string;
  dbFlags?: number;
  /** Epoch seconds; row times are offsets from it. */
  timestamp: number;
}

/**
 * A validated trace in columns. Rows are converted to typed arrays as soon as a file is loaded and the
 * parsed JSON is dropped: a trace stays in memory for the hours of replay time its flight lasts, and
 * thousands of small row arrays and boxed numbers surviving that long made garbage collection the largest
 * cost of a replay. NaN marks an absent value.
 */
export interface TraceFile {
  file: string;
  header: TraceHeader;
  length: number;
  /** Epoch ms of each row. */
  time: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  altFt: Float64Array;
  ground: Uint8Array;
  gsKt: Float64Array;
  trackDeg: Float64Array;
  vrateFpm: Float64Array;
  /** readsb row flags (stale, new leg, …). */
  flags: Uint8Array;
  /** 1-based index into `sourceTypes`; 0 when the row has none. */
  sourceType: Uint8Array;
  sourceTypes: string[];
  /** Rows whose aircraft object set callsign/squawk, in row order, with the values from then on. */
  identRows: number[];
  identCallsign: (string | undefined)[];
  identSquawk: (string | undefined)[];
}

export const TRACE_FLAG_STALE = 1;
export const TRACE_FLAG_NEW_LEG = 2;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown) => (isNum(v) ? v : undefined);
const optStr = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const numOrNaN = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** Validates the document and converts it to columns; throws ReplayInputError naming the field or row that is wrong. */
export function parseTraceDoc(file: string, doc: unknown): TraceFile {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new ReplayInputError(file, 'a trace file must be a JSON object');
  const d = doc as Record<string, unknown>;
  const hex = typeof d.icao === 'string' ? d.icao.trim().toLowerCase() : '';
  if (!/^~?[0-9a-f]{6}$/.test(hex))
    throw new ReplayInputError(file, `icao ${JSON.stringify(d.icao)} is not a 6-digit ICAO hex`, 'icao');
  if (!isNum(d.timestamp))
    throw new ReplayInputError(
      file,
      `timestamp ${JSON.stringify(d.timestamp)} is not a number of seconds`,
      'timestamp',
    );
  if (!Array.isArray(d.trace)) throw new ReplayInputError(file, 'trace is missing or not an array', 'trace');
  const rows = d.trace as unknown[];
  let prev = -Infinity;
  let sorted = true;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const bad = (what: string) => new ReplayInputError(file, what, `trace[${i}]`);
    if (!Array.isArray(r) || r.length < 4) throw bad('row is not an array of at least 4 values');
    if (!isNum(r[0])) throw bad(`time offset ${JSON.stringify(r[0])} is not a number`);
    if (!isNum(r[1]) || r[1] < -90 || r[1] > 90) throw bad(`lat ${JSON.stringify(r[1])} is not a latitude`);
    if (!isNum(r[2]) || r[2] < -180 || r[2] > 180) throw bad(`lon ${JSON.stringify(r[2])} is not a longitude`);
    if (!(r[3] === null || r[3] === 'ground' || isNum(r[3])))
      throw bad(`altitude ${JSON.stringify(r[3])} is not feet, "ground" or null`);
    if (r[0] < prev) sorted = false;
    prev = r[0];
  }
  // readsb writes rows in time order; a file merged by hand might not be. The sort is stable.
  if (!sorted) rows.sort((a, b) => (a as number[])[0]! - (b as number[])[0]!); // rows were checked: [0] is a number

  const n = rows.length;
  const t: TraceFile = {
    file,
    header: {
      hex,
      registration: optStr(d.r),
      type: optStr(d.t)?.toUpperCase(),
      operator: optStr(d.ownOp),
      dbFlags: optNum(d.dbFlags),
      timestamp: d.timestamp,
    },
    length: n,
    time: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    altFt: new Float64Array(n),
    ground: new Uint8Array(n),
    gsKt: new Float64Array(n),
    trackDeg: new Float64Array(n),
    vrateFpm: new Float64Array(n),
    flags: new Uint8Array(n),
    sourceType: new Uint8Array(n),
    sourceTypes: [],
    identRows: [],
    identCallsign: [],
    identSquawk: [],
  };
  const ts = d.timestamp;
  let callsign: string | undefined;
  let squawk: string | undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as unknown[];
    t.time[i] = Math.round((ts + (r[0] as number)) * 1000);
    t.lat[i] = r[1] as number;
    t.lon[i] = r[2] as number;
    t.altFt[i] = numOrNaN(r[3]);
    t.ground[i] = r[3] === 'ground' ? 1 : 0;
    t.gsKt[i] = numOrNaN(r[4]);
    t.trackDeg[i] = numOrNaN(r[5]);
    t.flags[i] = typeof r[6] === 'number' ? r[6] & 255 : 0;
    t.vrateFpm[i] = numOrNaN(r[7]);
    const obj = r[8];
    if (obj && typeof obj === 'object') {
      const o = obj as Record<string, unknown>;
      const cs = typeof o.flight === 'string' ? optStr(o.flight) : callsign;
      const sq = typeof o.squawk === 'string' ? optStr(o.squawk) : squawk;
      if (cs !== callsign || sq !== squawk || i === 0) {
        t.identRows.push(i);
        t.identCallsign.push((callsign = cs));
        t.identSquawk.push((squawk = sq));
      }
    }
    const st = typeof r[9] === 'string' ? optStr(r[9]) : undefined;
    if (st !== undefined) {
      let k = t.sourceTypes.indexOf(st);
      if (k < 0 && t.sourceTypes.length < 255) k = t.sourceTypes.push(st) - 1;
      t.sourceType[i] = k + 1;
    }
  }
  return t;
}

const opt = (v: number) => (v === v ? v : undefined); // NaN → undefined

/**
 * A cursor over a trace's rows. Callsign and squawk only arrive in the occasional aircraft object, so they
 * carry forward to later rows until the next object changes them.
 */
export class TraceCursor {
  private i = 0;
  private nextIdent = 0;
  private callsign?: string;
  private squawk?: string;
  private readonly flags;

  constructor(
    readonly trace: TraceFile,
    private readonly sourceId: string,
  ) {
    this.flags = flagsFromDbFlags(trace.header.dbFlags);
  }

  get done(): boolean {
    return this.i >= this.trace.length;
  }

  /** Time of the next row (epoch ms); Infinity when done. */
  peekTime(): number {
    return this.trace.time[this.i] ?? Infinity;
  }

  next(): AircraftState {
    const tr = this.trace;
    const h = tr.header;
    // Callers check `done` first, so i < length and every column below has row i.
    const i = this.i++;
    if (this.nextIdent < tr.identRows.length && tr.identRows[this.nextIdent] === i) {
      this.callsign = tr.identCallsign[this.nextIdent];
      this.squawk = tr.identSquawk[this.nextIdent];
      this.nextIdent++;
    }
    const t = tr.time[i]!;
    const st = tr.sourceType[i];
    return {
      hex: h.hex,
      registration: h.registration,
      type: h.type,
      callsign: this.callsign,
      operator: h.operator,
      lat: tr.lat[i]!,
      lon: tr.lon[i]!,
      altFt: opt(tr.altFt[i]!),
      onGround: tr.ground[i] === 1,
      gsKt: opt(tr.gsKt[i]!),
      trackDeg: opt(tr.trackDeg[i]!),
      vrateFpm: opt(tr.vrateFpm[i]!),
      squawk: this.squawk,
      flags: this.flags,
      positionAgeS: 0,
      observedAt: t,
      positionAt: t,
      sourceType: st ? tr.sourceTypes[st - 1] : undefined,
      sourceId: this.sourceId,
      fetchedAt: t,
    };
  }
}
