/**
 * Points on the sphere as unit vectors (x towards lat 0 / lon 0, z towards the north pole): distances and
 * course tests become dot products, with no trigonometry per point (route prediction's hot loops).
 */
import { EARTH_RADIUS_NM, RAD } from './sphere';

export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export function unitVector(lat: number, lon: number): Vec3 {
  const φ = lat * RAD;
  const λ = lon * RAD;
  return { x: Math.cos(φ) * Math.cos(λ), y: Math.cos(φ) * Math.sin(λ), z: Math.sin(φ) };
}

export function dot(a: Vec3, b: Vec3): number {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

/** a · (x, y, z): for vectors kept in typed arrays, one component per array. */
export function dotXyz(a: Vec3, x: number, y: number, z: number): number {
  return a.x * x + a.y * y + a.z * z;
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x };
}

/** Squared chord between two vectors: small turns and moves compared without trigonometry. */
export function chordSquared(a: Vec3, b: Vec3): number {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2 + (a.z - b.z) ** 2;
}

/** Great-circle distance (nm) between two unit vectors whose dot product is `cosine` (rounding clamped). */
export function arcNm(cosine: number): number {
  return Math.acos(cosine > 1 ? 1 : cosine < -1 ? -1 : cosine) * EARTH_RADIUS_NM;
}

/** Distance (nm) of a unit vector from a great circle, given `sine`: its dot product with the circle's normal. */
export function offCircleNm(sine: number): number {
  return Math.abs(Math.asin(sine)) * EARTH_RADIUS_NM;
}

/**
 * An aircraft's frame: its position, the direction it flies (unit tangent along its track) and the normal of
 * the great circle it flies (position × heading). For a point c: heading · c > 0 means ahead, normal · c is the
 * sine of its angle from that great circle (positive: to the left).
 */
export interface CourseFrame {
  readonly position: Vec3;
  readonly heading: Vec3;
  readonly normal: Vec3;
}

export function courseFrame(lat: number, lon: number, trackDeg: number): CourseFrame {
  const φ = lat * RAD;
  const λ = lon * RAD;
  const θ = trackDeg * RAD;
  const cφ = Math.cos(φ);
  const sφ = Math.sin(φ);
  const cλ = Math.cos(λ);
  const sλ = Math.sin(λ);
  const position = { x: cφ * cλ, y: cφ * sλ, z: sφ };
  // Local east (e) and north (n) at the position; the heading turns from north towards east by the track.
  const ex = -sλ;
  const ey = cλ;
  const nx = -sφ * cλ;
  const ny = -sφ * sλ;
  const nz = cφ;
  const cθ = Math.cos(θ);
  const sθ = Math.sin(θ);
  const heading = { x: cθ * nx + sθ * ex, y: cθ * ny + sθ * ey, z: cθ * nz };
  return { position, heading, normal: cross(position, heading) };
}
