/**
 * Merges the downloaded tables into one airport list. OurAirports (when present) is the base because it has
 * the kind; VRS adds what OurAirports lacks; time zones come from OpenFlights by ICAO (curated) and are
 * otherwise computed from the coordinates, so every airport has one. Runways (thresholds, longest runway) come
 * from OurAirports runways.csv, matched by OurAirports ident, only when OurAirports airports are the base.
 */
import type { Airport } from '../places/airport-index';
import { haversineNm } from '../geo/sphere';
import { kindFromName, normalizeKind } from '../places/kinds';
import { isValidZone, zoneAt } from '../places/time-zone';
import type { OpenFlightsAirport } from './formats/openflights';
import { attachRunways } from '../places/runways';
import type { OurAirport, OurRunway } from './formats/ourairports';
import type { VrsAirport } from './formats/vrs-airports';

export interface BuildInput {
  vrs: readonly VrsAirport[];
  ourAirports?: readonly OurAirport[];
  ourRunways?: readonly OurRunway[];
  openFlights?: readonly OpenFlightsAirport[];
}

export interface BuildStats {
  airports: number;
  fromOurAirports: number;
  fromVrsOnly: number;
  tzFromOpenFlights: number;
  tzComputed: number;
  /** Airports with at least one runway threshold. */
  withRunwayEnds: number;
}

/** OpenFlights' zone is used only when its airport is where ours is (ICAO codes get reassigned). */
const TZ_MATCH_MAX_NM = 10;

export function buildAirports(input: BuildInput): { airports: Airport[]; stats: BuildStats } {
  const airports: Airport[] = [];
  const byCode = new Map<string, Airport>();
  let fromOurAirports = 0;
  let fromVrsOnly = 0;
  const runwaysOf = new Map<string, OurRunway[]>();
  for (const r of input.ourRunways ?? []) {
    if (r.closed) continue;
    const list = runwaysOf.get(r.airportIdent);
    if (list) list.push(r);
    else runwaysOf.set(r.airportIdent, [r]);
  }

  for (const o of input.ourAirports ?? []) {
    const a: Airport = {
      icao: o.icao ?? o.ident,
      iata: o.iata,
      name: o.name,
      country: o.country,
      lat: o.lat,
      lon: o.lon,
      kind: normalizeKind(o.type),
      elevationFt: o.elevationFt,
    };
    const runways = runwaysOf.get(o.ident);
    if (runways) attachRunways(a, runways);
    airports.push(a);
    fromOurAirports++;
    for (const code of [a.icao, o.ident]) if (!byCode.has(code)) byCode.set(code, a);
  }

  for (const v of input.vrs) {
    const known = byCode.get(v.icao ?? v.code) ?? byCode.get(v.code);
    if (known) {
      if (!known.iata && v.iata) known.iata = v.iata;
      continue;
    }
    const a: Airport = {
      icao: v.icao ?? v.code,
      iata: v.iata,
      name: v.name,
      country: v.country,
      lat: v.lat,
      lon: v.lon,
      kind: kindFromName(v.name),
      elevationFt: v.elevationFt,
    };
    airports.push(a);
    fromVrsOnly++;
    byCode.set(a.icao, a);
  }

  const ofTz = new Map<string, OpenFlightsAirport>();
  for (const f of input.openFlights ?? []) if (f.icao && isValidZone(f.tz) && !ofTz.has(f.icao)) ofTz.set(f.icao, f);
  let tzFromOpenFlights = 0;
  let tzComputed = 0;
  for (const a of airports) {
    const f = ofTz.get(a.icao);
    if (f && haversineNm(a.lat, a.lon, f.lat, f.lon) <= TZ_MATCH_MAX_NM) {
      a.tz = f.tz;
      tzFromOpenFlights++;
    } else {
      a.tz = zoneAt(a.lat, a.lon);
      if (a.tz) tzComputed++;
    }
  }
  const withRunwayEnds = airports.filter((a) => a.runwayEnds?.length).length;
  return { airports, stats: { airports: airports.length, fromOurAirports, fromVrsOnly, tzFromOpenFlights, tzComputed, withRunwayEnds } };
}
