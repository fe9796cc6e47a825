/**
 * AirportIndex by a linear haversine scan over every airport. The baseline the benchmark compares the
 * kd-tree against, and the oracle the tests check it with; too slow for the worker's hot path.
 */
import type { Airport, AirportIndex, NearestOptions } from './airport-index';
import { haversineNmRad, RAD } from '../geo/sphere';
import { normalizeKind } from './kinds';

type WithDistance = Airport & { distanceNm: number };

export class LinearAirportIndex implements AirportIndex {
  readonly size: number;
  private readonly latR: Float64Array;
  private readonly lonR: Float64Array;
  private readonly cosLat: Float64Array;
  private readonly kinds: string[];

  constructor(private readonly airports: readonly Airport[]) {
    const n = (this.size = airports.length);
    this.latR = new Float64Array(n);
    this.lonR = new Float64Array(n);
    this.cosLat = new Float64Array(n);
    this.kinds = airports.map((a) => normalizeKind(a.kind));
    airports.forEach((a, i) => {
      this.latR[i] = a.lat * RAD;
      this.lonR[i] = a.lon * RAD;
      this.cosLat[i] = Math.cos(a.lat * RAD);
    });
  }

  byIcao(icao: string): Airport | undefined {
    const code = icao.trim().toUpperCase();
    return this.airports.find((a) => a.icao.toUpperCase() === code);
  }

  nearest(lat: number, lon: number, opts: NearestOptions): WithDistance | undefined {
    const allowed = opts.kinds ? new Set(opts.kinds.map(normalizeKind)) : undefined;
    const qLat = lat * RAD;
    const qLon = lon * RAD;
    const qCos = Math.cos(qLat);
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < this.size; i++) {
      if (allowed && !allowed.has(this.kinds[i] as never)) continue;
      const d = haversineNmRad(qLat, qLon, qCos, this.latR[i]!, this.lonR[i]!, this.cosLat[i]!);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best >= 0 && bestD <= opts.maxNm ? { ...this.airports[best]!, distanceNm: bestD } : undefined;
  }

  within(lat: number, lon: number, opts: NearestOptions & { limit?: number }): WithDistance[] {
    const allowed = opts.kinds ? new Set(opts.kinds.map(normalizeKind)) : undefined;
    const qLat = lat * RAD;
    const qLon = lon * RAD;
    const qCos = Math.cos(qLat);
    const hits: { i: number; d: number }[] = [];
    for (let i = 0; i < this.size; i++) {
      if (allowed && !allowed.has(this.kinds[i] as never)) continue;
      const d = haversineNmRad(qLat, qLon, qCos, this.latR[i]!, this.lonR[i]!, this.cosLat[i]!);
      if (d <= opts.maxNm) hits.push({ i, d });
    }
    hits.sort((a, b) => a.d - b.d || a.i - b.i);
    return hits.slice(0, opts.limit ?? Infinity).map((h) => ({ ...this.airports[h.i]!, distanceNm: h.d }));
  }
}
