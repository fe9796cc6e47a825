/**
 * Where a candidate airport can count at all for an aircraft (its course frame): within range, inside the
 * widest corridor band around the great circle flown, and ahead — or just behind, overhead the field. Each test
 * is a dot product of unit vectors against a bound computed once from the config; for the destination caps of
 * gate() the same tests hold for every point of a cap at once (capOutOfReach).
 */
import { EARTH_RADIUS_NM } from '../geo/sphere';
import { dotXyz, type CourseFrame } from '../geo/vector';
import type { DestinationCaps } from './candidates';
import { COURSE_CUTOFF_SIGMAS } from './fits';

const R = EARTH_RADIUS_NM;
/** Airports this close count even when just behind (overhead the field). */
export const OVERHEAD_NM = 3;
/** No prediction reaches farther, whatever maxRangeNm says (half the Earth's circumference is 10,800 nm). */
const MAX_RANGE_NM = 10_000;

export interface Reach {
  /** Angular range (radians) and its cosine: a candidate whose dot product with the position is smaller is out. */
  readonly rangeRad: number;
  readonly minCos: number;
  /** Angular half-width (radians) of the widest corridor band, and its sine (bound on |normal · candidate|). */
  readonly bandRad: number;
  readonly bandSin: number;
  /** Cosine of OVERHEAD_NM: a candidate whose dot product with the position is larger is overhead. */
  readonly overheadCos: number;
}

export function reachOf(cfg: { maxRangeNm: number; corridorMaxNm: number }): Reach {
  const rangeRad = Math.min(cfg.maxRangeNm, MAX_RANGE_NM) / R;
  // Nothing farther off the course than the cutoff at the widest σ counts.
  const bandRad = Math.min(Math.PI / 2, (COURSE_CUTOFF_SIGMAS * cfg.corridorMaxNm) / R);
  return {
    rangeRad,
    minCos: Math.cos(rangeRad),
    bandRad,
    bandSin: Math.sin(bandRad),
    overheadCos: Math.cos(OVERHEAD_NM / R),
  };
}

/**
 * Per cap (centre c, angular radius r), bounds on the centre's dot products beyond which every point of the cap
 * is out of reach: out of range when p · c < cos(range + r); off the band when |m · c| > sin(band + r); behind
 * when t · c < −sin(r) (more than 90° + r from the course) and not overhead when p · c < cos(r + overhead).
 * Bounds that can never hold are ±2.
 */
export interface CapLimits {
  readonly range: Float64Array;
  readonly band: Float64Array;
  readonly behind: Float64Array;
  readonly overhead: Float64Array;
}

export function capLimits(radius: Float64Array, reach: Reach): CapLimits {
  const overheadRad = OVERHEAD_NM / R;
  return {
    range: radius.map((r) => (reach.rangeRad + r < Math.PI ? Math.cos(reach.rangeRad + r) : -2)),
    band: radius.map((r) => (reach.bandRad + r < Math.PI / 2 ? Math.sin(reach.bandRad + r) : 2)),
    behind: radius.map((r) => (r < Math.PI / 2 ? -Math.sin(r) : -2)),
    overhead: radius.map((r) => (r + overheadRad < Math.PI ? Math.cos(r + overheadRad) : -2)),
  };
}

/** True when every point of cap k is out of range, off the corridor band, or behind and not overhead. */
export function capOutOfReach(caps: DestinationCaps, limits: CapLimits, k: number, frame: CourseFrame): boolean {
  // k < caps.radius.length, the length of every per-cap array (candidates.ts lays them out together).
  const cx = caps.x[k]!;
  const cy = caps.y[k]!;
  const cz = caps.z[k]!;
  const toPosition = dotXyz(frame.position, cx, cy, cz);
  if (toPosition < limits.range[k]!) return true;
  const offCourse = dotXyz(frame.normal, cx, cy, cz);
  if (offCourse > limits.band[k]! || offCourse < -limits.band[k]!) return true;
  return dotXyz(frame.heading, cx, cy, cz) < limits.behind[k]! && toPosition < limits.overhead[k]!;
}
