/** Contract for airport lookups (implementation: src/places, issue "Detect"). Pure, in-memory. */
import type { AirportRef } from '../domain/event';

export interface Airport extends Omit<AirportRef, 'distanceNm'> {
  /** large_airport | medium_airport | small_airport | heliport | seaplane_base | closed | unknown */
  kind: string;
  elevationFt?: number;
  /** Runway thresholds (open runways with known coordinates); absent when the table has no runway data. */
  runwayEnds?: RunwayEnd[];
  /** Longest open runway (ft), any surface. */
  longestRunwayFt?: number;
  /** Longest open runway (ft) whose surface is not known to be soft (grass, dirt, gravel, water...). */
  longestHardRunwayFt?: number;
}

/** One end of a runway: where its threshold is and the true heading an aircraft lands or departs on from it. */
export interface RunwayEnd {
  ident: string;
  lat: number;
  lon: number;
  headingDeg: number;
}

export interface NearestOptions {
  /** Ignore airports farther than this (nautical miles). */
  maxNm: number;
  /** Only these kinds (e.g. exclude heliports when matching a 737 landing). */
  kinds?: readonly string[];
}

export interface AirportIndex {
  readonly size: number;
  byIcao(icao: string): Airport | undefined;
  nearest(lat: number, lon: number, opts: NearestOptions): (Airport & { distanceNm: number }) | undefined;
  /** Airports within radius, nearest first. */
  within(lat: number, lon: number, opts: NearestOptions & { limit?: number }): (Airport & { distanceNm: number })[];
}
