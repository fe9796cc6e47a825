/** Great-circle geometry between points (nm, degrees): sphere.ts's functions for `LatLon` points, and paths. */
import * as sphere from './sphere';

export interface LatLon {
  lat: number;
  lon: number;
}

export function distanceNm(a: LatLon, b: LatLon): number {
  return sphere.haversineNm(a.lat, a.lon, b.lat, b.lon);
}

/** Initial true bearing from a to b, 0–360. */
export function bearingDeg(a: LatLon, b: LatLon): number {
  return sphere.bearingDeg(a.lat, a.lon, b.lat, b.lon);
}

/** The point a fraction f (0–1) of the way along the great circle from a to b. */
export function interpolate(a: LatLon, b: LatLon, f: number): LatLon {
  const φ1 = a.lat * sphere.RAD;
  const λ1 = a.lon * sphere.RAD;
  const φ2 = b.lat * sphere.RAD;
  const λ2 = b.lon * sphere.RAD;
  const δ = distanceNm(a, b) / sphere.EARTH_RADIUS_NM;
  if (δ < 1e-12) return { lat: a.lat, lon: a.lon };
  const A = Math.sin((1 - f) * δ) / Math.sin(δ);
  const B = Math.sin(f * δ) / Math.sin(δ);
  const x = A * Math.cos(φ1) * Math.cos(λ1) + B * Math.cos(φ2) * Math.cos(λ2);
  const y = A * Math.cos(φ1) * Math.sin(λ1) + B * Math.cos(φ2) * Math.sin(λ2);
  const z = A * Math.sin(φ1) + B * Math.sin(φ2);
  return {
    lat: Math.atan2(z, Math.sqrt(x * x + y * y)) * sphere.DEG,
    lon: sphere.normalizeLon(Math.atan2(y, x) * sphere.DEG),
  };
}

/** The point `nm` from p along initial bearing `brgDeg`. */
export function destinationPoint(p: LatLon, brgDeg: number, nm: number): LatLon {
  const δ = nm / sphere.EARTH_RADIUS_NM;
  const θ = brgDeg * sphere.RAD;
  const φ1 = p.lat * sphere.RAD;
  const λ1 = p.lon * sphere.RAD;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
  return { lat: φ2 * sphere.DEG, lon: sphere.normalizeLon(λ2 * sphere.DEG) };
}
