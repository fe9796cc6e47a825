/** Great-circle geometry for route prediction (spherical Earth, nm and degrees). */
import { EARTH_RADIUS_NM, haversineNm } from '../places/geo';

export { haversineNm };
const RAD = Math.PI / 180;

/** Initial true bearing from 1 to 2, 0–360. */
export function bearingDeg(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const φ1 = lat1 * RAD;
  const φ2 = lat2 * RAD;
  const Δλ = (lon2 - lon1) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (Math.atan2(y, x) / RAD + 360) % 360;
}

/** Smallest angle between two bearings, 0–180. */
export function angleDiff(a: number, b: number): number {
  return Math.abs((((a - b) % 360) + 540) % 360 - 180);
}

/**
 * Distance (nm) of point P from the great-circle segment A→B: the cross-track distance when P projects inside
 * the segment, else the distance to the nearer end.
 */
export function distanceToSegmentNm(latA: number, lonA: number, latB: number, lonB: number, lat: number, lon: number): number {
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
