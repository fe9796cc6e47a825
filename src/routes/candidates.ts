/**
 * The airports an airborne aircraft may be flying to: every airport of the candidate kinds (large and medium
 * by default, ~5,000 worldwide) plus the configured destination airports, with their prior weight and the
 * configured destinations each belongs to. Built once per detector; scored by a linear pass (a few hundred
 * µs), which an evaluation once a minute per airborne aircraft affords.
 */
import type { RoutesConfig } from '../config/routes-schema';
import type { Destination } from '../config/schema';
import type { Airport, AirportIndex } from '../places/airport-index';
import { haversineNm } from './geo';

const RAD = Math.PI / 180;
/** Fewer airports of the candidate kinds than this means the table has no kinds to speak of. */
const MIN_TYPED_CANDIDATES = 500;

export interface Candidate {
  airport: Airport;
  weight: number;
  /** Configured destination ids this airport counts for (airport, radius or country). */
  destinations: string[];
  latR: number;
  lonR: number;
  cosLat: number;
}

export interface CandidateSet {
  list: Candidate[];
  byIcao: Map<string, Candidate>;
  /** Configured destinations by id, in config order. */
  destinations: Destination[];
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

export function buildCandidates(index: AirportIndex, dests: readonly Destination[], cfg: RoutesConfig['enRoute']): CandidateSet {
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
      latR: a.lat * RAD,
      lonR: a.lon * RAD,
      cosLat: Math.cos(a.lat * RAD),
    });
  };
  const kinds = cfg.candidateKinds;
  for (const a of index.within(0, 0, { maxNm: 11_000, kinds, limit: 1_000_000 })) add(a, cfg.kindWeights[a.kind] ?? 0.2);
  if (byIcao.size < MIN_TYPED_CANDIDATES) {
    // A table without kinds (VRS standing data alone marks every row `unknown`): airports with an IATA code
    // are the ones with scheduled or charter service, the best stand-in for "large and medium".
    for (const a of index.within(0, 0, { maxNm: 11_000, kinds: ['unknown'], limit: 1_000_000 })) if (a.iata) add(a, cfg.kindWeights.unknown ?? 0.5);
  }
  for (const d of dests)
    for (const code of d.airports) {
      const a = index.byIcao(code);
      if (a) add(a, cfg.destinationWeight);
    }
  return { list: [...byIcao.values()], byIcao, destinations: [...dests] };
}
