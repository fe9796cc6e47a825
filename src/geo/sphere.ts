/** Great-circle helpers on a spherical Earth. Distances in nautical miles (aviation's unit). */

/** Mean Earth radius in nautical miles (6371.0088 km / 1.852). */
export const EARTH_RADIUS_NM = 3440.065;
export const KM_PER_NM = 1.852;
/** Radians per degree, and degrees per radian. */
export const RAD = Math.PI / 180;
export const DEG = 180 / Math.PI;

/** Haversine distance in nm; correct across the antimeridian and near the poles. */
export function haversineNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s = Math.sin(dLat / 2);
  const t = Math.sin(dLon / 2);
  const h = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Same as haversineNm with the trigonometry of both points precomputed (radians, cos of latitude). */
export function haversineNmRad(
  latR1: number,
  lonR1: number,
  cosLat1: number,
  latR2: number,
  lonR2: number,
  cosLat2: number,
): number {
  const s = Math.sin((latR2 - latR1) / 2);
  const t = Math.sin((lonR2 - lonR1) / 2);
  const h = s * s + cosLat1 * cosLat2 * t * t;
  return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Wraps any longitude into [-180, 180). */
export function normalizeLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

export function isLatLon(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

/**
 * Longitude/latitude boxes (degrees) that contain every point within `radiusNm` of (lat, lon): one box,
 * two when the circle crosses the antimeridian, a full-longitude band when it reaches a pole.
 * Bounding-box method of J. P. Matuschek ("Finding points within a distance of a latitude/longitude").
 */
export function boundingBoxes(lat: number, lon: number, radiusNm: number): [number, number, number, number][] {
  const r = radiusNm / EARTH_RADIUS_NM; // angular radius, radians
  const latR = lat * RAD;
  const minLat = latR - r;
  const maxLat = latR + r;
  const eps = 1e-9;
  if (minLat <= -Math.PI / 2 || maxLat >= Math.PI / 2 || r >= Math.PI / 2) {
    return [[-180, Math.max(-90, minLat / RAD - eps), 180, Math.min(90, maxLat / RAD + eps)]];
  }
  const ratio = Math.sin(r) / Math.cos(latR);
  if (ratio >= 1) return [[-180, minLat / RAD - eps, 180, maxLat / RAD + eps]];
  const dLon = Math.asin(ratio) / RAD + eps;
  const loLat = minLat / RAD - eps;
  const hiLat = maxLat / RAD + eps;
  const west = lon - dLon;
  const east = lon + dLon;
  if (west < -180)
    return [
      [west + 360, loLat, 180, hiLat],
      [-180, loLat, east, hiLat],
    ];
  if (east > 180)
    return [
      [west, loLat, 180, hiLat],
      [-180, loLat, east - 360, hiLat],
    ];
  return [[west, loLat, east, hiLat]];
}

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
  return Math.abs(((((a - b) % 360) + 540) % 360) - 180);
}
