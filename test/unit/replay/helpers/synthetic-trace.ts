/**
 * Builds readsb trace_full documents for tests: flights flown along great circles with a plausible
 * profile (taxi on the ground, climb, cruise, descent, landing, taxi), one row every `stepS` seconds.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface Place {
  lat: number;
  lon: number;
}

export interface LegSpec {
  from: Place;
  to: Place;
  /** Epoch seconds when the aircraft starts taxiing at `from`. */
  departS: number;
  cruiseFt?: number;
  callsign?: string;
  squawk?: string;
  /** Seconds on the ground before takeoff and after landing (default 300). */
  groundS?: number;
}

/** [tS, lat, lon, alt|"ground", gs, track, flags, vrate, obj, sourceType, geomAlt, geomRate, ias, roll] */
export type TraceRow = [
  number,
  number,
  number,
  number | 'ground' | null,
  number | null,
  number | null,
  number,
  number | null,
  Record<string, unknown> | null,
  string | null,
  number | null,
  null,
  null,
  null,
];

const R_NM = 3440.065;
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

export function distanceNm(a: Place, b: Place): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Point at fraction f along the great circle a→b. */
export function interpolate(a: Place, b: Place, f: number): Place {
  const d = distanceNm(a, b) / R_NM;
  if (d === 0) return { ...a };
  const A = Math.sin((1 - f) * d) / Math.sin(d);
  const B = Math.sin(f * d) / Math.sin(d);
  const [la1, lo1, la2, lo2] = [rad(a.lat), rad(a.lon), rad(b.lat), rad(b.lon)];
  const x = A * Math.cos(la1) * Math.cos(lo1) + B * Math.cos(la2) * Math.cos(lo2);
  const y = A * Math.cos(la1) * Math.sin(lo1) + B * Math.cos(la2) * Math.sin(lo2);
  const z = A * Math.sin(la1) + B * Math.sin(la2);
  return { lat: deg(Math.atan2(z, Math.sqrt(x * x + y * y))), lon: deg(Math.atan2(y, x)) };
}

export function bearing(a: Place, b: Place): number {
  const y = Math.sin(rad(b.lon - a.lon)) * Math.cos(rad(b.lat));
  const x =
    Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) -
    Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lon - a.lon));
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

/** Rows (absolute epoch seconds in column 0) for one leg. The first row carries the aircraft object. */
export function legRows(leg: LegSpec, stepS = 30): TraceRow[] {
  const cruise = leg.cruiseFt ?? 37000;
  const groundS = leg.groundS ?? 300;
  const total = distanceNm(leg.from, leg.to);
  const obj = { flight: (leg.callsign ?? '').padEnd(8), ...(leg.squawk ? { squawk: leg.squawk } : {}) };
  const rows: TraceRow[] = [];
  let t = leg.departS;
  const hdg = bearing(leg.from, leg.to);
  for (let s = 0; s < groundS; s += stepS, t += stepS)
    rows.push([
      t,
      leg.from.lat,
      leg.from.lon,
      'ground',
      12,
      hdg,
      0,
      null,
      rows.length ? null : obj,
      'adsb_icao',
      null,
      null,
      null,
      null,
    ]);
  let d = 0;
  let prevAlt = 0;
  for (;;) {
    const remaining = total - d;
    const gs = Math.min(450, 140 + 3 * Math.min(d, remaining));
    d += (gs * stepS) / 3600;
    if (d >= total) break;
    const p = interpolate(leg.from, leg.to, d / total);
    const alt = Math.round(Math.min(cruise, 300 * d, 300 * (total - d)) / 25) * 25;
    const vrate = Math.round(((alt - prevAlt) / stepS) * 60);
    prevAlt = alt;
    rows.push([t, p.lat, p.lon, alt, gs, bearing(p, leg.to), 0, vrate, null, 'adsb_icao', alt + 200, null, null, null]);
    t += stepS;
  }
  for (let s = 0; s < groundS; s += stepS, t += stepS)
    rows.push([
      t,
      leg.to.lat,
      leg.to.lon,
      'ground',
      s === 0 ? 120 : 15,
      hdg,
      0,
      null,
      null,
      'adsb_icao',
      null,
      null,
      null,
      null,
    ]);
  return rows;
}

export interface TraceSpec {
  hex: string;
  r?: string;
  t?: string;
  ownOp?: string;
  dbFlags?: number;
  legs: LegSpec[];
  stepS?: number;
}

/** A trace_full document: legs after the first start with flags&2 (new leg), times relative to `timestamp`. */
export function buildTrace(spec: TraceSpec): Record<string, unknown> {
  const rows: TraceRow[] = [];
  spec.legs.forEach((leg, i) => {
    const lr = legRows(leg, spec.stepS);
    if (i > 0) lr[0][6] |= 2;
    rows.push(...lr);
  });
  const timestamp = rows[0][0];
  for (const r of rows) r[0] = Math.round((r[0] - timestamp) * 100) / 100;
  return { icao: spec.hex, r: spec.r, t: spec.t, ownOp: spec.ownOp, dbFlags: spec.dbFlags, timestamp, trace: rows };
}

export function writeTrace(file: string, doc: unknown, gzip = false): string {
  const text = JSON.stringify(doc);
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
}

/** Airports used by the tests (VRS standing data coordinates, docs/data-sources.md §4.4). */
export const AIRPORTS = {
  KAEX: { lat: 31.3274, lon: -92.549797 },
  PANC: { lat: 61.1744, lon: -149.996002 },
  ZYTX: { lat: 41.639801, lon: 123.483002 },
  KHRL: { lat: 26.2285, lon: -97.654404 },
  MGGT: { lat: 14.5833, lon: -90.527496 },
  KIWA: { lat: 33.3078, lon: -111.654999 },
} satisfies Record<string, Place>;
