/**
 * The airport table as columns: typed arrays for numbers, one string per column of names and codes, small pools
 * for the repeated strings (countries, zones, kinds, runway idents). 70k airports as objects are ~23 MB of heap
 * that every full collection walks; as columns they are ~8 MB in a few dozen objects. Plain data, so a worker
 * thread can build it and post it, its buffers transferred rather than copied (data/load-apart.ts).
 * An Airport object is built only for the rows a lookup returns (airportAt).
 */
import type { Airport, RunwayEnd } from './airport-index';

/** Strings of one column, each row's a slice of `text`; row i ends at `ends[i]` (starts where row i-1 ended). */
export interface PackedStrings {
  text: string;
  ends: Uint32Array;
}

/** Repeated strings: `values[ids[i]]`; id 0 is "absent". */
export interface PooledStrings {
  values: string[];
  ids: Uint32Array;
}

export interface AirportColumns {
  size: number;
  icao: PackedStrings;
  name: PackedStrings;
  iata: PooledStrings;
  country: PooledStrings;
  tz: PooledStrings;
  kind: PooledStrings;
  lat: Float64Array;
  lon: Float64Array;
  /** NaN: absent. */
  elevationFt: Float64Array;
  longestRunwayFt: Float64Array;
  longestHardRunwayFt: Float64Array;
  /** Runway ends of row i: positions runwayStart[i] .. runwayStart[i + 1] - 1 of the runway columns. */
  runwayStart: Uint32Array;
  runwayIdent: PooledStrings;
  runwayLat: Float64Array;
  runwayLon: Float64Array;
  runwayHeadingDeg: Float64Array;
  /** Rows ordered by upper-cased ICAO code, then row (the first row of a code wins a lookup). */
  byCode: Uint32Array;
}

function pack(values: readonly string[]): PackedStrings {
  const ends = new Uint32Array(values.length);
  let end = 0;
  values.forEach((v, i) => (ends[i] = end += v.length));
  return { text: values.join(''), ends };
}

function pool(values: readonly (string | undefined)[]): PooledStrings {
  const index = new Map<string, number>();
  const out: string[] = [''];
  const ids = new Uint32Array(values.length);
  values.forEach((v, i) => {
    if (v === undefined) return;
    let id = index.get(v);
    if (id === undefined) index.set(v, (id = out.push(v) - 1));
    ids[i] = id;
  });
  return { values: out, ids };
}

const numbers = (values: readonly (number | undefined)[]) => Float64Array.from(values, (v) => v ?? NaN);

export function packedAt(p: PackedStrings, i: number): string {
  return p.text.slice(i ? p.ends[i - 1] : 0, p.ends[i]);
}

export function pooledAt(p: PooledStrings, i: number): string | undefined {
  const id = p.ids[i]!;
  return id ? p.values[id] : undefined;
}

export function toAirportColumns(airports: readonly Airport[]): AirportColumns {
  const ends = airports.flatMap((a) => a.runwayEnds ?? []);
  const runwayStart = new Uint32Array(airports.length + 1);
  airports.forEach((a, i) => (runwayStart[i + 1] = runwayStart[i]! + (a.runwayEnds?.length ?? 0)));
  const codes = airports.map((a) => a.icao.toUpperCase());
  const byCode = Uint32Array.from(airports.keys()).sort((x, y) =>
    codes[x]! < codes[y]! ? -1 : codes[x]! > codes[y]! ? 1 : x - y,
  );
  return {
    size: airports.length,
    icao: pack(airports.map((a) => a.icao)),
    name: pack(airports.map((a) => a.name)),
    iata: pool(airports.map((a) => a.iata)),
    country: pool(airports.map((a) => a.country)),
    tz: pool(airports.map((a) => a.tz)),
    kind: pool(airports.map((a) => a.kind)),
    lat: numbers(airports.map((a) => a.lat)),
    lon: numbers(airports.map((a) => a.lon)),
    elevationFt: numbers(airports.map((a) => a.elevationFt)),
    longestRunwayFt: numbers(airports.map((a) => a.longestRunwayFt)),
    longestHardRunwayFt: numbers(airports.map((a) => a.longestHardRunwayFt)),
    runwayStart,
    runwayIdent: pool(ends.map((e) => e.ident)),
    runwayLat: numbers(ends.map((e) => e.lat)),
    runwayLon: numbers(ends.map((e) => e.lon)),
    runwayHeadingDeg: numbers(ends.map((e) => e.headingDeg)),
    byCode,
  };
}

/**
 * Row i as an Airport, its members in the order of the table's objects; absent members are left out (added
 * one by one rather than deleted afterwards: a deleted member would turn the object into a slow dictionary).
 */
export function airportAt(c: AirportColumns, i: number): Airport {
  const a = { icao: packedAt(c.icao, i) } as Airport;
  const iata = pooledAt(c.iata, i);
  if (iata !== undefined) a.iata = iata;
  a.name = packedAt(c.name, i);
  a.country = pooledAt(c.country, i) ?? '';
  const tz = pooledAt(c.tz, i);
  if (tz !== undefined) a.tz = tz;
  a.lat = c.lat[i]!;
  a.lon = c.lon[i]!;
  a.kind = pooledAt(c.kind, i) ?? '';
  const elevationFt = c.elevationFt[i]!;
  if (!Number.isNaN(elevationFt)) a.elevationFt = elevationFt;
  if (c.runwayStart[i + 1]! > c.runwayStart[i]!) a.runwayEnds = runwayEndsAt(c, i);
  const longest = c.longestRunwayFt[i]!;
  if (!Number.isNaN(longest)) a.longestRunwayFt = longest;
  const longestHard = c.longestHardRunwayFt[i]!;
  if (!Number.isNaN(longestHard)) a.longestHardRunwayFt = longestHard;
  return a;
}

function runwayEndsAt(c: AirportColumns, i: number): RunwayEnd[] {
  const from = c.runwayStart[i]!;
  const to = c.runwayStart[i + 1]!;
  const out: RunwayEnd[] = [];
  for (let j = from; j < to; j++)
    out.push({
      ident: pooledAt(c.runwayIdent, j) ?? '',
      lat: c.runwayLat[j]!,
      lon: c.runwayLon[j]!,
      headingDeg: c.runwayHeadingDeg[j]!,
    });
  return out;
}

/** The first row whose ICAO code is `code` (upper-cased), or -1: binary search over byCode. */
export function rowOfCode(c: AirportColumns, code: string): number {
  let lo = 0;
  let hi = c.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (packedAt(c.icao, c.byCode[mid]!).toUpperCase() < code) lo = mid + 1;
    else hi = mid;
  }
  const row = c.byCode[lo];
  return row !== undefined && packedAt(c.icao, row).toUpperCase() === code ? row : -1;
}

/** The buffers to transfer when posting the columns to another thread. */
export function columnBuffers(c: AirportColumns): ArrayBuffer[] {
  const arrays: (Uint32Array | Float64Array)[] = [c.icao, c.name, c.iata, c.country, c.tz, c.kind, c.runwayIdent].map(
    (s) => ('ends' in s ? s.ends : s.ids),
  );
  arrays.push(c.lat, c.lon, c.elevationFt, c.longestRunwayFt, c.longestHardRunwayFt, c.runwayStart);
  arrays.push(c.runwayLat, c.runwayLon, c.runwayHeadingDeg, c.byCode);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
