/**
 * Callsign → airports (VRS standing-data routes: Callsign, …, AirportCodes "KAEX-KHRL-MGGT"), used only as a
 * weak prior for en-route prediction: charter callsigns are often unknown, reused or wrong, so a route counts
 * only when the aircraft lies near its great circle (within max(50 nm, 20 % of the route's length)).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../data/errors';
import { readTable } from '../data/table-reader';
import type { AirportIndex } from '../places/airport-index';
import { distanceToSegmentNm } from '../geo/cross-track';
import { angleDiff, bearingDeg, haversineNm } from '../geo/sphere';

export const DEFAULT_ROUTES_FILE = 'vrs-routes.csv';
const CODE = /^[A-Z0-9]{3,4}$/;

export interface CallsignRouteTable {
  readonly size: number;
  /** Airport codes in flight order, or undefined. */
  get(callsign: string): readonly string[] | undefined;
  /** Rows skipped as unreadable (bad airport codes), with the first few reasons. */
  readonly skipped: { count: number; examples: string[] };
}

export function parseCallsignRoutes(text: string, source: string): CallsignRouteTable {
  const map = new Map<string, string[]>();
  const skipped = { count: 0, examples: [] as string[] };
  for (const row of readTable(text, source, ['Callsign', 'AirportCodes'])) {
    const cs = row.get('Callsign').toUpperCase();
    const codes = row.get('AirportCodes').toUpperCase().split('-');
    if (!cs || codes.length < 2 || !codes.every((c) => CODE.test(c))) {
      skipped.count++;
      if (skipped.examples.length < 3)
        skipped.examples.push(
          `${source} line ${row.line}: ${JSON.stringify(row.get('AirportCodes'))} is not a list of airport codes`,
        );
      continue;
    }
    map.set(cs, codes);
  }
  return { size: map.size, get: (c) => map.get(c.trim().toUpperCase()), skipped };
}

const cache = new Map<string, { mtimeMs: number; table: CallsignRouteTable }>();

/**
 * Loads the table from `file` (or <dataDir>/vrs-routes.csv[.gz]); undefined when there is none. Cached per
 * file and modification time, so a config reload does not re-read 600k rows. Throws DataError naming the file
 * (and line) when it exists but cannot be read.
 */
export function loadCallsignRoutes(file: string | undefined, dataDir: string): CallsignRouteTable | undefined {
  const candidates = file
    ? [file]
    : [path.join(dataDir, DEFAULT_ROUTES_FILE), path.join(dataDir, `${DEFAULT_ROUTES_FILE}.gz`)];
  const found = candidates.map((f) => path.resolve(f)).find((f) => existsSync(f));
  if (!found) {
    if (file)
      throw new DataError(path.resolve(file), undefined, 'callsign routes file not found (routes.callsignRoutes.file)');
    return undefined;
  }
  const { mtimeMs } = statSync(found);
  const hit = cache.get(found);
  if (hit && hit.mtimeMs === mtimeMs) return hit.table;
  let buf: Buffer;
  try {
    buf = readFileSync(found);
    if (found.endsWith('.gz') || (buf[0] === 0x1f && buf[1] === 0x8b)) buf = gunzipSync(buf);
  } catch (e) {
    throw new DataError(found, undefined, `cannot read: ${(e as Error).message}`);
  }
  const table = parseCallsignRoutes(buf.toString('utf8'), found);
  cache.set(found, { mtimeMs, table });
  return table;
}

export interface RoutePrior {
  /** The airport the route says comes next. */
  next: string;
  route: string;
  /** Distance of the aircraft from the route segment's great circle, nm. */
  offRouteNm: number;
}

/**
 * The airport the callsign's route says the aircraft is flying to, if the aircraft lies within
 * max(50 nm, 20 % of the segment length) of one of its segments and heads roughly along it. A route whose
 * airports the table does not know is ignored.
 */
export function routePrior(
  codes: readonly string[] | undefined,
  airports: AirportIndex,
  lat: number,
  lon: number,
  trackDeg: number,
): RoutePrior | undefined {
  if (!codes) return undefined;
  let best: RoutePrior | undefined;
  let from: string | undefined;
  for (const to of codes) {
    // Each segment from → to, in flight order.
    const a = from === undefined ? undefined : airports.byIcao(from);
    from = to;
    const b = airports.byIcao(to);
    if (!a || !b) continue;
    const len = haversineNm(a.lat, a.lon, b.lat, b.lon);
    const off = distanceToSegmentNm(a.lat, a.lon, b.lat, b.lon, lat, lon);
    if (off > Math.max(50, 0.2 * len)) continue;
    if (haversineNm(lat, lon, b.lat, b.lon) > 20 && angleDiff(bearingDeg(lat, lon, b.lat, b.lon), trackDeg) > 60)
      continue;
    if (!best || off < best.offRouteNm) best = { next: b.icao, route: codes.join('-'), offRouteNm: Math.round(off) };
  }
  return best;
}
