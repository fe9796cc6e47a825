/**
 * The airports an airborne aircraft may be flying to: every airport of the candidate kinds (large and medium
 * by default, ~5,000 worldwide) plus the configured destination airports, with their prior weight and the
 * configured destinations each belongs to (its airports, within its radius, or in its countries).
 *
 * Built once per detector and laid out for the predictor's hot loop: unit vectors, weights and elevations in
 * typed arrays; per configured destination the list of its candidates and a bounding cap (centre + angular
 * radius) so a destination that lies wholly behind, out of range or off the course corridor is skipped
 * without looking at its airports.
 */
import type { TripsConfig } from '../config/trips-schema';
import type { Destination } from '../config/schema';
import type { Airport, AirportIndex } from '../places/airport-index';
import { haversineNm } from '../geo/sphere';
import { unitVector } from '../geo/vector';

/** Fewer airports of the candidate kinds than this means the table has no kinds to speak of. */
const MIN_TYPED_CANDIDATES = 500;
/** Cell size (degrees) of destination candidate chunks: a country-sized destination splits into small caps. */
const CHUNK_DEG = 5;

export interface Candidate {
  airport: Airport;
  weight: number;
  /** Configured destination ids this airport counts for (airport, radius or country). */
  destinations: string[];
}

/**
 * Spherical caps (unit centre + angular radius) holding destination candidates: one per chunk (one destination,
 * one CHUNK_DEG cell) and, after them, one per destination around all its chunks. Candidates of chunk g are
 * members[groupStart[g] … groupStart[g+1]); chunks of destination d are groupStart-indices
 * destGroups[d] … destGroups[d+1]. Each candidate is in one chunk only (of the first destination it counts for).
 */
export interface DestinationCaps {
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  radius: Float64Array;
  members: Int32Array;
  groupStart: Int32Array;
  destGroups: Int32Array;
  /** Number of chunk caps (destination caps follow). */
  groups: number;
}

export interface CandidateSet {
  list: Candidate[];
  byIcao: Map<string, Candidate>;
  /** Configured destinations by id, in config order. */
  destinations: Destination[];
  /** Unit vectors, prior weights and elevations by candidate index. */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  weight: Float64Array;
  elevationFt: Float64Array;
  /** Destination indices (into `destinations`) of candidate i: destFlat[destStart[i] … destStart[i+1]). */
  destStart: Int32Array;
  destFlat: Uint16Array;
  /** Every candidate that counts for some destination, in chunks with caps (gate()). */
  caps: DestinationCaps;
}

function destinationsOf(a: Airport, dests: readonly Destination[], index: AirportIndex): string[] {
  const ids: string[] = [];
  for (const d of dests) {
    if (d.airports.includes(a.icao) || d.countries.includes(a.country)) {
      ids.push(d.id);
      continue;
    }
    for (const code of d.airports) {
      const p = index.byIcao(code);
      if (p && haversineNm(a.lat, a.lon, p.lat, p.lon) <= d.radiusNm) {
        ids.push(d.id);
        break;
      }
    }
  }
  return ids;
}

export function buildCandidates(
  index: AirportIndex,
  dests: readonly Destination[],
  cfg: TripsConfig['enRoute'],
): CandidateSet {
  const byIcao = new Map<string, Candidate>();
  const add = (a: Airport, weight: number) => {
    const prev = byIcao.get(a.icao);
    if (prev) {
      prev.weight = Math.max(prev.weight, weight);
      return;
    }
    byIcao.set(a.icao, {
      airport: a,
      weight,
      destinations: destinationsOf(a, dests, index),
    });
  };
  const kinds = cfg.candidateKinds;
  for (const a of index.within(0, 0, { maxNm: 11_000, kinds, limit: 1_000_000 }))
    add(a, cfg.kindWeights[a.kind] ?? 0.2);
  if (byIcao.size < MIN_TYPED_CANDIDATES) {
    // A table without kinds (VRS standing data alone marks every row `unknown`): airports with an IATA code
    // are the ones with scheduled or charter service, the best stand-in for "large and medium".
    for (const a of index.within(0, 0, { maxNm: 11_000, kinds: ['unknown'], limit: 1_000_000 }))
      if (a.iata) add(a, cfg.kindWeights.unknown ?? 0.5);
  }
  for (const d of dests)
    for (const code of d.airports) {
      const a = index.byIcao(code);
      if (a) add(a, cfg.destinationWeight);
    }
  return layout([...byIcao.values()], byIcao, [...dests]);
}

function layout(list: Candidate[], byIcao: Map<string, Candidate>, destinations: Destination[]): CandidateSet {
  const n = list.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const weight = new Float64Array(n);
  const elevationFt = new Float64Array(n);
  const destStart = new Int32Array(n + 1);
  const flat: number[] = [];
  const destIndex = new Map(destinations.map((d, i) => [d.id, i]));
  const chunks = destinations.map(() => new Map<string, number[]>());
  list.forEach((c, i) => {
    const v = unitVector(c.airport.lat, c.airport.lon);
    x[i] = v.x;
    y[i] = v.y;
    z[i] = v.z;
    weight[i] = c.weight;
    elevationFt[i] = c.airport.elevationFt ?? 0;
    // Its destination ids come from `destinations` (destinationsOf): each has an index and a chunk map.
    const indices = c.destinations.map((id) => destIndex.get(id)!);
    destStart[i] = flat.length;
    flat.push(...indices);
    const first = indices[0];
    if (first !== undefined) {
      // Chunks of one destination and one cell, so a country-sized destination splits into small caps.
      const byCell = chunks[first]!;
      const key = `${Math.floor(c.airport.lat / CHUNK_DEG)} ${Math.floor(c.airport.lon / CHUNK_DEG)}`;
      const g = byCell.get(key);
      if (g) g.push(i);
      else byCell.set(key, [i]);
    }
  });
  destStart[n] = flat.length;
  const groups = chunks.flatMap((m) => [...m.values()]);
  const destGroups = new Int32Array(destinations.length + 1);
  let g = 0;
  chunks.forEach((m, d) => {
    destGroups[d] = g;
    g += m.size;
  });
  destGroups[destinations.length] = g;
  const nCaps = groups.length + destinations.length;
  const caps: DestinationCaps = {
    x: new Float64Array(nCaps),
    y: new Float64Array(nCaps),
    z: new Float64Array(nCaps),
    radius: new Float64Array(nCaps),
    members: Int32Array.from(groups.flat()),
    groupStart: new Int32Array(groups.length + 1),
    destGroups,
    groups: groups.length,
  };
  const cap = (k: number, members: readonly number[]) => {
    let cx = 0;
    let cy = 0;
    let cz = 0;
    // Members are candidate indices, inside x, y and z.
    for (const i of members) {
      cx += x[i]!;
      cy += y[i]!;
      cz += z[i]!;
    }
    const len = Math.hypot(cx, cy, cz);
    // No members, or spread over more than a hemisphere: a cap that never rules anything out.
    if (len < 1e-9) {
      caps.x[k] = 1;
      caps.radius[k] = Math.PI;
      return;
    }
    cx /= len;
    cy /= len;
    cz /= len;
    let radius = 0;
    for (const i of members) radius = Math.max(radius, Math.acos(Math.min(1, cx * x[i]! + cy * y[i]! + cz * z[i]!)));
    caps.x[k] = cx;
    caps.y[k] = cy;
    caps.z[k] = cz;
    caps.radius[k] = radius + 1e-9;
  };
  let at = 0;
  groups.forEach((members, k) => {
    caps.groupStart[k] = at;
    at += members.length;
    cap(k, members);
  });
  caps.groupStart[groups.length] = at;
  destinations.forEach((_, d) => cap(groups.length + d, groups.slice(destGroups[d], destGroups[d + 1]).flat()));
  return {
    list,
    byIcao,
    destinations,
    x,
    y,
    z,
    weight,
    elevationFt,
    destStart,
    destFlat: Uint16Array.from(flat),
    caps,
  };
}
