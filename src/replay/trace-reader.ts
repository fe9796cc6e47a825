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

/** A validated trace: rows kept as parsed, checked once so iteration cannot fail half-way. */
export interface TraceFile {
  file: string;
  header: TraceHeader;
  rows: unknown[][];
}

export const TRACE_FLAG_STALE = 1;
export const TRACE_FLAG_NEW_LEG = 2;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown) => (isNum(v) ? v : undefined);
const optStr = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Validates the document; throws ReplayInputError naming the field or row that is wrong. */
export function parseTraceDoc(file: string, doc: unknown): TraceFile {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ReplayInputError(file, 'a trace file must be a JSON object');
  const d = doc as Record<string, unknown>;
  const hex = typeof d.icao === 'string' ? d.icao.trim().toLowerCase() : '';
  if (!/^~?[0-9a-f]{6}$/.test(hex)) throw new ReplayInputError(file, `icao ${JSON.stringify(d.icao)} is not a 6-digit ICAO hex`, 'icao');
  if (!isNum(d.timestamp)) throw new ReplayInputError(file, `timestamp ${JSON.stringify(d.timestamp)} is not a number of seconds`, 'timestamp');
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
    if (!(r[3] === null || r[3] === 'ground' || isNum(r[3]))) throw bad(`altitude ${JSON.stringify(r[3])} is not feet, "ground" or null`);
    if (r[0] < prev) sorted = false;
    prev = r[0];
  }
  // readsb writes rows in time order; a file merged by hand might not be.
  if (!sorted) rows.sort((a, b) => (a as number[])[0] - (b as number[])[0]);
  return {
    file,
    header: {
      hex,
      registration: optStr(d.r),
      type: optStr(d.t)?.toUpperCase(),
      operator: optStr(d.ownOp),
      dbFlags: optNum(d.dbFlags),
      timestamp: d.timestamp,
    },
    rows: rows as unknown[][],
  };
}

/** Time (epoch ms) of row i. */
export const traceRowTime = (t: TraceFile, i: number) => Math.round((t.header.timestamp + (t.rows[i][0] as number)) * 1000);

/**
 * A cursor over a trace's rows. Callsign and squawk only arrive in the occasional aircraft object, so they
 * carry forward to later rows until the next object changes them.
 */
export class TraceCursor {
  private i = 0;
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
    return this.i >= this.trace.rows.length;
  }

  /** Time of the next row (epoch ms); Infinity when done. */
  peekTime(): number {
    return this.done ? Infinity : traceRowTime(this.trace, this.i);
  }

  next(): AircraftState {
    const h = this.trace.header;
    const r = this.trace.rows[this.i];
    const t = traceRowTime(this.trace, this.i);
    this.i++;
    const obj = r[8];
    if (obj && typeof obj === 'object') {
      const o = obj as Record<string, unknown>;
      if (typeof o.flight === 'string') this.callsign = optStr(o.flight);
      if (typeof o.squawk === 'string') this.squawk = optStr(o.squawk);
    }
    const alt = r[3];
    return {
      hex: h.hex,
      registration: h.registration,
      type: h.type,
      callsign: this.callsign,
      operator: h.operator,
      lat: r[1] as number,
      lon: r[2] as number,
      altFt: isNum(alt) ? alt : undefined,
      onGround: alt === 'ground',
      gsKt: optNum(r[4]),
      trackDeg: optNum(r[5]),
      vrateFpm: optNum(r[7]),
      squawk: this.squawk,
      flags: this.flags,
      positionAgeS: 0,
      observedAt: t,
      positionAt: t,
      sourceType: optStr(r[9]),
      sourceId: this.sourceId,
      fetchedAt: t,
    };
  }
}
