/**
 * Runways for an airport table built without OurAirports runways (a mirror without runways.csv or airports.csv,
 * or a failed download): copied from the npm-packaged table by ICAO code, so `data update` never leaves the
 * worker with less runway data than the offline fallback has.
 */
import { haversineNm } from '../geo/sphere';
import type { Airport } from '../places/airport-index';

/** The packaged airport must be where ours is: ICAO codes get reassigned. */
const SAME_PLACE_NM = 5;

/** Copies runway fields onto airports that have none; returns how many got thresholds or lengths. */
export function fillRunwaysFrom(airports: readonly Airport[], from: readonly Airport[]): number {
  const byIcao = new Map<string, Airport>();
  for (const f of from) if (f.runwayEnds || f.longestRunwayFt !== undefined) byIcao.set(f.icao, f);
  let filled = 0;
  for (const a of airports) {
    if (a.runwayEnds || a.longestRunwayFt !== undefined) continue;
    const f = byIcao.get(a.icao);
    if (!f || haversineNm(a.lat, a.lon, f.lat, f.lon) > SAME_PLACE_NM) continue;
    if (f.runwayEnds) a.runwayEnds = f.runwayEnds.map((e) => ({ ...e }));
    if (f.longestRunwayFt !== undefined) a.longestRunwayFt = f.longestRunwayFt;
    if (f.longestHardRunwayFt !== undefined) a.longestHardRunwayFt = f.longestHardRunwayFt;
    filled++;
  }
  return filled;
}
