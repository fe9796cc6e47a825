/** Distance of a point from a great-circle segment (nm, degrees). */
import { bearingDeg, EARTH_RADIUS_NM, haversineNm, RAD } from './sphere';

/**
 * Distance (nm) of point P from the great-circle segment A→B: the cross-track distance when P projects inside
 * the segment, else the distance to the nearer end.
 */
export function distanceToSegmentNm(
  latA: number,
  lonA: number,
  latB: number,
  lonB: number,
  lat: number,
  lon: number,
): number {
  const dAP = haversineNm(latA, lonA, lat, lon);
  const dAB = haversineNm(latA, lonA, latB, lonB);
  if (dAB < 1e-6) return dAP;
  const δAP = dAP / EARTH_RADIUS_NM;
  const θ = (bearingDeg(latA, lonA, lat, lon) - bearingDeg(latA, lonA, latB, lonB)) * RAD;
  const xt = Math.asin(Math.max(-1, Math.min(1, Math.sin(δAP) * Math.sin(θ))));
  const at = Math.acos(Math.max(-1, Math.min(1, Math.cos(δAP) / Math.cos(xt)))) * EARTH_RADIUS_NM;
  const ahead = Math.cos(θ) > 0;
  if (!ahead || at > dAB) return Math.min(dAP, haversineNm(latB, lonB, lat, lon));
  return Math.abs(xt) * EARTH_RADIUS_NM;
}
