/**
 * Reference places for orientation. There is no city data set: the largest airports near the view stand in
 * for the cities they serve, labelled with their name shortened to the place ("Louis Armstrong New Orleans
 * International Airport" → "Louis Armstrong New Orleans"). The table is the worker's airport index, handed
 * over once it is loaded (useMapPlaces) or per call (MapOptions.places); without one, maps have no place labels.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readAirportsFile } from '../../../data/airports-file';
import type { Airport, AirportIndex } from '../../../places/airport-index';
import { createAirportIndex } from '../../../places/kd-airport-index';

/** The part of the airport index the map uses. */
export type MapPlaces = Pick<AirportIndex, 'byIcao' | 'within'>;

let registered: MapPlaces | null | undefined;

/** Hands the loaded airport index to the map renderer (the worker calls this once the table is loaded). */
export function useMapPlaces(places: MapPlaces | null): void {
  registered = places;
}

/**
 * The registered index, else `data/airports.json` under the working directory (the default data dir), read
 * once; null when neither exists.
 */
export function defaultMapPlaces(): MapPlaces | null {
  if (registered === undefined) {
    const file = path.resolve('data', 'airports.json');
    try {
      registered = existsSync(file) ? createAirportIndex(readAirportsFile(file).airports) : null;
    } catch {
      registered = null;
    }
  }
  return registered;
}

const SUFFIXES =
  /\s*\b(international|intercontinental|regional|municipal|county|metropolitan|air\s*base|airport|airfield|aerodrome|aeropuerto|aéroport|aeroporto|flughafen|field|intl\.?|int'l)\b\.?/gi;

/**
 * The city an airport serves when the table says (`city`/`municipality`, optional: the current table has
 * neither), else its name without the airport words: "Alexandria International Airport" → "Alexandria".
 */
export function placeName(a: Pick<Airport, 'name' | 'icao'> & { city?: unknown; municipality?: unknown }): string {
  const city = typeof a.city === 'string' ? a.city : typeof a.municipality === 'string' ? a.municipality : '';
  if (city.trim().length >= 2) return city.trim();
  const short = a.name
    .replace(/\(.*?\)/g, ' ')
    .replace(SUFFIXES, ' ')
    .replace(/\s*[-–/,]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return short.length >= 3 ? short : a.icao;
}

/**
 * Large airports within radiusNm of the centre, nearest first (medium ones too when large ones are few),
 * excluding the airports the map already marks.
 */
export function referencePlaces(
  places: MapPlaces,
  center: { lat: number; lon: number },
  radiusNm: number,
  exclude: ReadonlySet<string>,
  limit = 40,
): (Airport & { distanceNm: number })[] {
  const query = (kind: string) =>
    places
      .within(center.lat, center.lon, { maxNm: radiusNm, kinds: [kind], limit })
      .filter((a) => !exclude.has(a.icao));
  const large = query('large_airport');
  if (large.length >= 6) return large;
  // Medium airports with an IATA code (scheduled service, mostly) serve towns; the rest are often military.
  return [...large, ...query('medium_airport').filter((a) => !!a.iata)].slice(0, limit);
}
