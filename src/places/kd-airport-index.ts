/**
 * AirportIndex over a kd-tree (kdbush) with great-circle queries (geokdbush). Small radii (the common case:
 * "which airport is this aircraft at") use a degree bounding box and exact haversine on the few candidates,
 * which avoids geokdbush's per-node allocations; large radii use geokdbush's best-first search. The table is
 * held as columns (airport-columns.ts); an Airport object is built for each airport a lookup returns.
 */
import KDBush from 'kdbush';
import * as geokdbush from 'geokdbush';
import type { Airport, AirportIndex, NearestOptions } from './airport-index';
import { boundingBoxes, EARTH_RADIUS_NM, haversineNmRad, RAD } from '../geo/sphere';
import { AIRPORT_KINDS, normalizeKind } from './kinds';
import { airportAt, pooledAt, rowOfCode, toAirportColumns, type AirportColumns } from './airport-columns';

type WithDistance = Airport & { distanceNm: number };

/** Above this radius the box holds too many candidates and best-first search wins. */
const BOX_MAX_NM = 120;
const GEOKDBUSH_RADIUS_KM = 6371;
const RADIUS_STEPS_NM = [3, 12];

export interface KdAirportIndex extends AirportIndex {
  /** Every airport as an object, built on each call (benches and tests; lookups never need it). */
  readonly airports: readonly Airport[];
  /** Country name for an ISO2 code when the table carried country names. */
  countryName(iso2: string): string | undefined;
}

/** From the table's objects, or from columns built elsewhere (the airport table's reader thread). */
export function createAirportIndex(
  airports: readonly Airport[] | AirportColumns,
  countries?: ReadonlyMap<string, string>,
): KdAirportIndex {
  return new KdIndex(
    Array.isArray(airports) ? toAirportColumns(airports) : (airports as AirportColumns),
    countries ?? new Map(),
  );
}

class KdIndex implements KdAirportIndex {
  readonly size: number;
  private readonly tree: KDBush<number>;
  private readonly ux: Float64Array;
  private readonly uy: Float64Array;
  private readonly uz: Float64Array;
  private readonly kind: Uint8Array;

  constructor(
    private readonly table: AirportColumns,
    private readonly countries: ReadonlyMap<string, string>,
  ) {
    const n = table.size;
    const { lat, lon } = table;
    this.size = n;
    this.ux = new Float64Array(n);
    this.uy = new Float64Array(n);
    this.uz = new Float64Array(n);
    this.kind = new Uint8Array(n);
    // kdbush keeps its points for good: a typed array is half the size of an array of numbers, and off the heap.
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = i + 1;
      const latR = lat[i]! * RAD;
      const lonR = lon[i]! * RAD;
      const cosLat = Math.cos(latR);
      this.ux[i] = cosLat * Math.cos(lonR);
      this.uy[i] = cosLat * Math.sin(lonR);
      this.uz[i] = Math.sin(latR);
      this.kind[i] = AIRPORT_KINDS.indexOf(normalizeKind(pooledAt(table.kind, i) ?? ''));
    }
    // Points are row numbers + 1 (geokdbush tells points from tree nodes by truthiness, so no 0); range()
    // returns 0-based positions, which are the row numbers, so the typed arrays above serve the distance checks.
    this.tree = new KDBush(
      ids,
      (p) => lon[p - 1]!,
      (p) => lat[p - 1]!,
      16,
      Float64Array,
    );
  }

  /** Scratch for scanBox (single-threaded; avoids allocating per lookup). */
  private best = -1;
  private bestDot = -2;
  private readonly stack = new Int32Array(3 * 128);

  /**
   * kdbush's range() fused with the ranking: walks the tree for points inside the box and keeps the one with
   * the largest dot product (shortest great-circle distance) in this.best. No arrays are allocated.
   */
  private scanBox(
    minX: number,
    minY: number,
    maxX: number,
    maxY: number,
    qx: number,
    qy: number,
    qz: number,
    allowed: boolean[] | undefined,
  ): void {
    const { ids, coords, nodeSize } = this.tree;
    const stack = this.stack;
    const { ux, uy, uz, kind } = this;
    let sp = 0;
    stack[sp++] = 0;
    stack[sp++] = ids.length - 1;
    stack[sp++] = 0;
    while (sp > 0) {
      const axis = stack[--sp]!;
      const right = stack[--sp]!;
      const left = stack[--sp]!;
      if (right - left <= nodeSize) {
        for (let j = left; j <= right; j++) {
          const x = coords[2 * j]!;
          const y = coords[2 * j + 1]!;
          if (x >= minX && x <= maxX && y >= minY && y <= maxY)
            this.consider(ids[j]!, qx, qy, qz, allowed, ux, uy, uz, kind);
        }
        continue;
      }
      const m = (left + right) >> 1;
      const x = coords[2 * m]!;
      const y = coords[2 * m + 1]!;
      if (x >= minX && x <= maxX && y >= minY && y <= maxY)
        this.consider(ids[m]!, qx, qy, qz, allowed, ux, uy, uz, kind);
      const next = 1 - axis;
      if (axis === 0 ? minX <= x : minY <= y) {
        stack[sp++] = left;
        stack[sp++] = m - 1;
        stack[sp++] = next;
      }
      if (axis === 0 ? maxX >= x : maxY >= y) {
        stack[sp++] = m + 1;
        stack[sp++] = right;
        stack[sp++] = next;
      }
    }
  }

  private consider(
    i: number,
    qx: number,
    qy: number,
    qz: number,
    allowed: boolean[] | undefined,
    ux: Float64Array,
    uy: Float64Array,
    uz: Float64Array,
    kind: Uint8Array,
  ): void {
    if (allowed && !allowed[kind[i]!]) return;
    // Larger dot product of unit vectors = shorter great-circle distance; no trigonometry per candidate.
    const dot = qx * ux[i]! + qy * uy[i]! + qz * uz[i]!;
    if (dot > this.bestDot) {
      this.bestDot = dot;
      this.best = i;
    }
  }

  /**
   * Great-circle distance from a query (radians, and the cosine of its latitude) to row i. The row's radians
   * and cosine are computed here, not held in three more columns (1.6 MB for 70k airports): the same
   * arithmetic on the same doubles, so the same distance, and only the few candidates a lookup ranks pay it.
   */
  private distanceNm(qLat: number, qLon: number, qCos: number, i: number): number {
    const latR = this.table.lat[i]! * RAD;
    return haversineNmRad(qLat, qLon, qCos, latR, this.table.lon[i]! * RAD, Math.cos(latR));
  }

  private withDistance(row: number, distanceNm: number): WithDistance {
    const a = airportAt(this.table, row) as WithDistance;
    a.distanceNm = distanceNm;
    return a;
  }

  get airports(): readonly Airport[] {
    return Array.from({ length: this.size }, (_, i) => airportAt(this.table, i));
  }

  /** First row wins: builders put the better source first. */
  byIcao(icao: string): Airport | undefined {
    const row = rowOfCode(this.table, icao.trim().toUpperCase());
    return row < 0 ? undefined : airportAt(this.table, row);
  }

  countryName(iso2: string): string | undefined {
    return this.countries.get(iso2.toUpperCase());
  }

  nearest(lat: number, lon: number, opts: NearestOptions): WithDistance | undefined {
    const allowed = kindMask(opts.kinds);
    if (!(opts.maxNm > 0) || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
    if (opts.maxNm > BOX_MAX_NM) return this.around(lat, lon, opts.maxNm, 1, allowed)[0];
    const cosLat = Math.cos(lat * RAD);
    const qx = cosLat * Math.cos(lon * RAD);
    const qy = cosLat * Math.sin(lon * RAD);
    const qz = Math.sin(lat * RAD);
    // Growing radius: the nearest airport is usually a few nm away, and a small box has few candidates.
    // Whatever lies within radius r is inside r's boxes, so a hit at step r is the true nearest.
    for (let step = 0; ; step++) {
      const r = step < RADIUS_STEPS_NM.length ? Math.min(RADIUS_STEPS_NM[step]!, opts.maxNm) : opts.maxNm;
      this.best = -1;
      this.bestDot = -2;
      for (const [x0, y0, x1, y1] of boundingBoxes(lat, lon, r)) this.scanBox(x0, y0, x1, y1, qx, qy, qz, allowed);
      const best = this.best;
      if (best >= 0) {
        const d = this.distanceNm(lat * RAD, lon * RAD, cosLat, best);
        if (d <= r) return this.withDistance(best, d);
      }
      if (r >= opts.maxNm) return undefined;
    }
  }

  within(lat: number, lon: number, opts: NearestOptions & { limit?: number }): WithDistance[] {
    const allowed = kindMask(opts.kinds);
    const limit = opts.limit ?? Infinity;
    if (!(opts.maxNm > 0) || !(limit > 0) || !Number.isFinite(lat) || !Number.isFinite(lon)) return [];
    if (opts.maxNm > BOX_MAX_NM) return this.around(lat, lon, opts.maxNm, limit, allowed);
    const qLat = lat * RAD;
    const qLon = lon * RAD;
    const qCos = Math.cos(qLat);
    const hits: { i: number; d: number }[] = [];
    for (const [x0, y0, x1, y1] of boundingBoxes(lat, lon, opts.maxNm)) {
      for (const i of this.tree.range(x0, y0, x1, y1)) {
        if (allowed && !allowed[this.kind[i]!]) continue;
        const d = this.distanceNm(qLat, qLon, qCos, i);
        if (d <= opts.maxNm) hits.push({ i, d });
      }
    }
    hits.sort((a, b) => a.d - b.d || a.i - b.i);
    return hits.slice(0, limit).map((h) => this.withDistance(h.i, h.d));
  }

  /** geokdbush best-first search; distances recomputed with our haversine so both paths agree. */
  private around(
    lat: number,
    lon: number,
    maxNm: number,
    limit: number,
    allowed: boolean[] | undefined,
  ): WithDistance[] {
    // geokdbush measures km on a 6371 km sphere: same angle, padded slightly; our cut-off is applied after.
    const maxKm = (maxNm / EARTH_RADIUS_NM) * GEOKDBUSH_RADIUS_KM * (1 + 1e-9) + 1e-6;
    const pred = allowed ? (p: number) => allowed[this.kind[p - 1]!] === true : undefined;
    const qLat = lat * RAD;
    const qLon = lon * RAD;
    const qCos = Math.cos(qLat);
    const out: WithDistance[] = [];
    for (const p of geokdbush.around(this.tree, lon, lat, limit, maxKm, pred)) {
      const i = p - 1;
      const d = this.distanceNm(qLat, qLon, qCos, i);
      if (d <= maxNm) out.push(this.withDistance(i, d));
    }
    return out;
  }
}

/** Lookup table kind-code → allowed; undefined means every kind. */
function kindMask(kinds: readonly string[] | undefined): boolean[] | undefined {
  if (!kinds) return undefined;
  const mask = AIRPORT_KINDS.map(() => false);
  for (const k of kinds) mask[AIRPORT_KINDS.indexOf(normalizeKind(k))] = true;
  return mask;
}
