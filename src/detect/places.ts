/**
 * Airport questions the rules ask: which airport an aircraft is at, near, or climbing out of, and which
 * configured destinations a landing matches.
 */
import type { AirportRef } from '../domain/event';
import type { Airport, AirportIndex } from '../places/airport-index';
import type { Destination } from '../config/schema';
import type { DetectConfig } from '../config/detect-schema';
import { haversineNm } from '../geo/sphere';
import { bearingDeg } from '../geo/sphere';
import type { AircraftClass } from './aircraft-class';
import { inferArrival, inferDeparture, type AirportInference, type TrackPoint } from './airport-inference';

export type NearAirport = Airport & { distanceNm: number };

/** Score penalty (≈ nm) by kind when choosing the airport an approach is for. */
const KIND_PENALTY: Record<string, number> = { large_airport: 0, medium_airport: 1, unknown: 1.5, small_airport: 2.5 };
/** "Near" for sightings and reverts (the inference model weighs the whole approachRadiusNm). */
const NEAR_NM = 15;
/** A 3° glide path descends about 318 ft per nautical mile. */
const FT_PER_NM_GLIDE = 318;

/** An airport with scheduled service: large/medium kind, or an IATA code when the table gives no kind. */
export function isServed(a: Airport): boolean {
  return a.kind === 'large_airport' || a.kind === 'medium_airport' || (a.kind === 'unknown' && !!a.iata);
}

export function toRef(a: Airport, distanceNm?: number): AirportRef {
  const ref: AirportRef = { icao: a.icao, name: a.name, country: a.country, lat: a.lat, lon: a.lon };
  if (a.iata) ref.iata = a.iata;
  if (a.tz) ref.tz = a.tz;
  if (distanceNm !== undefined) ref.distanceNm = Math.round(distanceNm * 100) / 100;
  return ref;
}

export interface DestinationMatch {
  id: string;
  via: 'airport' | 'radius' | 'country';
  airport: AirportRef;
}

interface CompiledDestination {
  id: string;
  icaos: Set<string>;
  points: Airport[];
  countries: Set<string>;
  radiusNm: number;
}

export class Places {
  private readonly kinds: readonly string[];
  private readonly dests: CompiledDestination[];
  /** Destination airport codes the airport table does not know (reported once by the detector). */
  readonly unknownDestinationAirports: string[] = [];

  constructor(
    private readonly index: AirportIndex,
    private readonly cfg: DetectConfig,
    destinations: readonly Destination[],
  ) {
    this.kinds = cfg.airportKinds;
    this.dests = destinations.map((d) => {
      const points: Airport[] = [];
      for (const code of d.airports) {
        const a = index.byIcao(code);
        if (a) points.push(a);
        else this.unknownDestinationAirports.push(`${d.id}:${code}`);
      }
      return { id: d.id, icaos: new Set(d.airports), points, countries: new Set(d.countries), radiusNm: d.radiusNm };
    });
  }

  elevationOf(icao: string): number {
    return this.index.byIcao(icao)?.elevationFt ?? 0;
  }

  /** The airport a ground position is at. */
  at(lat: number, lon: number): NearAirport | undefined {
    return this.index.nearest(lat, lon, { maxNm: this.cfg.airportRadiusNm, kinds: this.kinds });
  }

  /**
   * The airport a low and slow airborne position is heading for, if it is low enough above it. Among the
   * airports within 15 nm (at most approachRadiusNm) the best fit is ahead on the track, at the distance a 3° glide path puts
   * it for the height above it, and larger: the nearest field is often a strip under the approach.
   */
  lowSlowNear(
    lat: number,
    lon: number,
    altFt: number | null | undefined,
    gsKt: number | undefined,
    trackDeg?: number,
    accept?: (a: NearAirport) => boolean,
  ): NearAirport | undefined {
    if (gsKt !== undefined && gsKt > this.cfg.slowKt) return undefined;
    if (altFt === undefined) return undefined;
    // With a filter the 12 nearest may all be rejected strips: filter all of them (a rare call: sightings).
    const cands = this.index.within(lat, lon, {
      maxNm: Math.min(this.cfg.approachRadiusNm, NEAR_NM),
      kinds: this.kinds,
      limit: accept ? undefined : 12,
    });
    let best: NearAirport | undefined;
    let bestScore = Infinity;
    for (const a of cands) {
      if (accept && !accept(a)) continue;
      const agl = altFt === null ? 0 : altFt - (a.elevationFt ?? 0);
      if (agl > this.cfg.lowAltFt) continue;
      let score = Math.abs(a.distanceNm - Math.max(0, agl) / FT_PER_NM_GLIDE) + (KIND_PENALTY[a.kind] ?? 2);
      if (trackDeg !== undefined && a.distanceNm > 1) {
        const off = Math.abs(((bearingDeg(lat, lon, a.lat, a.lon) - trackDeg + 540) % 360) - 180);
        score += off / 15;
      }
      if (score < bestScore) {
        bestScore = score;
        best = a;
      }
    }
    return best;
  }

  /**
   * The airport an aircraft first seen low and slow in the air is at (`seen` events). "Low and slow"
   * (lowAltFt, slowKt) covers any jet below 10,000 ft, and within approachRadiusNm there is often a private
   * strip right under the approach, which the glide-path fit may prefer. So: within airportRadiusNm (pattern,
   * short final, initial climb) any allowed kind; farther out only an airport with scheduled service —
   * large/medium, or, where the table has no kind (VRS rows), one with an IATA code. Naming no airport is
   * better than naming a grass strip 10 nm away for an airliner.
   */
  airborneAt(
    lat: number,
    lon: number,
    altFt: number | null | undefined,
    gsKt: number | undefined,
    trackDeg?: number,
  ): NearAirport | undefined {
    const near = this.cfg.airportRadiusNm;
    return this.lowSlowNear(lat, lon, altFt, gsKt, trackDeg, (a) => a.distanceNm <= near || isServed(a));
  }

  /** The airport a flight lost on approach most probably landed at (airport-inference.ts). */
  arrivalFor(track: readonly TrackPoint[], cls: AircraftClass): AirportInference | undefined {
    return inferArrival(this.index, { track, cls, kinds: this.kinds, maxNm: this.cfg.approachRadiusNm });
  }

  /** The airport a flight first seen climbing at `at` most probably departed (airport-inference.ts). */
  departureFor(at: TrackPoint & { alt: number }, cls: AircraftClass): AirportInference | undefined {
    return inferDeparture(this.index, {
      at,
      cls,
      kinds: this.kinds,
      maxNm: this.cfg.initialClimbRadiusNm,
      maxAglFt: this.cfg.initialClimbMaxAltFt,
    });
  }

  /** Elevation (ft) of the airport a position is at, if any. */
  fieldElevationAt(lat: number, lon: number): number | undefined {
    return this.at(lat, lon)?.elevationFt;
  }

  /** Destinations a landing at `airport` (position lat/lon) matches, in config order. */
  destinationsFor(airport: AirportRef | undefined, lat: number, lon: number): DestinationMatch[] {
    const out: DestinationMatch[] = [];
    for (const d of this.dests) {
      if (airport && d.icaos.has(airport.icao)) {
        out.push({ id: d.id, via: 'airport', airport });
        continue;
      }
      let best: { a: Airport; nm: number } | undefined;
      for (const p of d.points) {
        const nm = haversineNm(lat, lon, p.lat, p.lon);
        if (nm <= d.radiusNm && (!best || nm < best.nm)) best = { a: p, nm };
      }
      if (best) out.push({ id: d.id, via: 'radius', airport: toRef(best.a, best.nm) });
      else if (airport && d.countries.has(airport.country)) out.push({ id: d.id, via: 'country', airport });
    }
    return out;
  }
}
