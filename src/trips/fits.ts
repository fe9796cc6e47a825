/**
 * The factors of a candidate airport's weight in en-route prediction (docs/trips.md, "En-route prediction"),
 * each a pure function of distances, altitude and speed: the distance decay of the prior, course fit, route
 * fit, vertical fit (descending, climbing, level), and the ETA of a scored airport.
 */

/** Vertical rates beyond ±300 fpm are a climb or a descent; within, level flight. */
export const DESCENDING_FPM = -300;
export const CLIMBING_FPM = 300;
/** A normal 3° descent: about 318 ft per nm. */
export const FT_PER_NM_NORMAL = 318;
/** The steepest descent we still believe (≈ 2,500 fpm at 250 kt). */
export const FT_PER_NM_STEEP = 600;
/** Ground speed used below this (slow or missing speeds would put everything out of reach). */
export const MIN_GROUND_SPEED_KT = 120;
/** Candidates farther off the course than this many σ get no weight (and bound the corridor). */
export const COURSE_CUTOFF_SIGMAS = 4;

export function gaussian(z: number): number {
  return Math.exp(-0.5 * z * z);
}

/**
 * Prior `weight` decayed with the distance `d`: a corridor holds more airports the farther it reaches (its area
 * grows with d²); without the decay the many airports far beyond a destination would outweigh it.
 */
export function distanceDecay(weight: number, d: number, distanceScaleNm: number): number {
  const q = d / distanceScaleNm;
  return weight / (1 + q * q);
}

export interface CourseTolerance {
  corridorFraction: number;
  corridorMinNm: number;
  corridorMaxNm: number;
}

/** Cross-track tolerance (1 σ, nm) at distance `d`: far airports are allowed the detours real routes make. */
export function courseSigmaNm(d: number, cfg: CourseTolerance): number {
  return Math.min(cfg.corridorMaxNm, Math.max(cfg.corridorMinNm, cfg.corridorFraction * d));
}

/** Course fit of an airport `offCourseNm` off the great circle flown and `d` ahead: Gaussian, 0 beyond the cutoff. */
export function courseFit(offCourseNm: number, d: number, cfg: CourseTolerance): number {
  const σ = courseSigmaNm(d, cfg);
  if (offCourseNm > COURSE_CUTOFF_SIGMAS * σ) return 0;
  return gaussian(offCourseNm / σ);
}

/** Route fit needs this much flight from the departure (its own climb-out turns are no detour). */
export const ROUTE_FIT_MIN_FLOWN_NM = 60;
/** Detours are measured against at least this length (short legs make large fractions of small turns). */
const ROUTE_FIT_MIN_LENGTH_NM = 200;
/** Beyond the allowed detour the fit falls as a Gaussian of this width (fraction of the length) … */
const DETOUR_SIGMA = 0.1;
/** … to no less than this (a route fit alone never rules an airport out). */
const ROUTE_FIT_FLOOR = 0.02;

/**
 * Route fit: flying departure → here (`flownNm`) → airport (`toGoNm`) may be up to `maxDetour` (a fraction)
 * longer than the great circle departure → airport (`directNm`); beyond that the airport loses weight fast.
 */
export function routeFit(flownNm: number, toGoNm: number, directNm: number, maxDetour: number): number {
  const excess = (flownNm + toGoNm - directNm) / Math.max(directNm, ROUTE_FIT_MIN_LENGTH_NM) - maxDetour;
  if (excess <= 0) return 1;
  return Math.max(ROUTE_FIT_FLOOR, gaussian(excess / DETOUR_SIGMA));
}

/** At or below the field: only an airport this close is likely; others get AT_FIELD_ELSEWHERE_FIT. */
const AT_FIELD_NM = 10;
const AT_FIELD_ELSEWHERE_FIT = 0.05;

/**
 * Vertical fit of an airport `d` nm away for an aircraft `aglFt` above it, with vertical rate `vrFpm` and
 * ground speed `gsKt` (at least MIN_GROUND_SPEED_KT).
 */
export function verticalFit(aglFt: number, vrFpm: number, d: number, gsKt: number): number {
  if (aglFt <= 0) return d < AT_FIELD_NM ? 1 : AT_FIELD_ELSEWHERE_FIT;
  if (vrFpm <= DESCENDING_FPM) return descentFit(aglFt, vrFpm, d, gsKt);
  if (vrFpm >= CLIMBING_FPM) return climbFit(aglFt, d);
  return levelFit(aglFt, d);
}

/** Width of the log-normal around where the descent reaches the field (wide: descents have steps). */
const DESCENT_LOG_SIGMA = 0.6;
/** Nearer than the descent reaches: implausible, but never quite ruled out. */
const SHORT_OF_DESCENT_FLOOR = 0.01;
/** Farther: maybe a step-down, so some weight up to this multiple of the reach … */
const STEP_DOWN_REACH = 2;
/** … of this much, fading beyond. */
const STEP_DOWN_FIT = 0.2;

/**
 * Descending (`vrFpm` < 0): most likely the airport about where the current descent rate and speed reach its
 * elevation (log-normal around that distance). Farther than that: maybe a step-down (an early descent to an
 * intermediate level), so some weight up to about twice the reach, fading beyond — otherwise the many airports
 * far past the end of the descent together outweigh the one it is aimed at.
 */
export function descentFit(aglFt: number, vrFpm: number, d: number, gsKt: number): number {
  const reach = (aglFt / -vrFpm) * (gsKt / 60);
  const g = gaussian(Math.log(Math.max(d, 1) / Math.max(reach, 1)) / DESCENT_LOG_SIGMA);
  if (d <= reach) return Math.max(SHORT_OF_DESCENT_FLOOR, g);
  const q = (STEP_DOWN_REACH * reach) / d;
  return Math.max(STEP_DOWN_FIT * Math.min(1, q * q), g);
}

/** Climbing: an airport closer than a normal descent from here is unlikely. */
const CLIMB_NEAR_FIT = 0.3;

export function climbFit(aglFt: number, d: number): number {
  return d < aglFt / FT_PER_NM_NORMAL ? CLIMB_NEAR_FIT : 1;
}

/** Level below this height: any airport (a low approach, a circuit). */
const LEVEL_LOW_FT = 4000;
/** Level: an airport beyond this multiple of the normal descent is unaffected (top of descent still ahead). */
const TOP_OF_DESCENT_MARGIN = 1.2;
/** Inside that margin but beyond a normal descent; inside it but beyond a steep one (falling as d³ nearer). */
const LEVEL_AT_TOP_OF_DESCENT_FIT = 0.6;
const LEVEL_INSIDE_DESCENT_FIT = 0.3;

/**
 * Level: high and level close to an airport, it would have to start down now (top of descent is about 3 nm
 * per 1,000 ft out), so an airport inside 1.2× that is unlikely and one inside a steep descent is not it.
 */
export function levelFit(aglFt: number, d: number): number {
  if (aglFt < LEVEL_LOW_FT) return 1;
  const normal = aglFt / FT_PER_NM_NORMAL;
  if (d >= TOP_OF_DESCENT_MARGIN * normal) return 1;
  if (d >= normal) return LEVEL_AT_TOP_OF_DESCENT_FIT;
  const steep = aglFt / FT_PER_NM_STEEP;
  if (d >= steep) return LEVEL_INSIDE_DESCENT_FIT;
  return LEVEL_INSIDE_DESCENT_FIT * (d / steep) ** 3;
}

/** Descent ground speed: about this fraction of the cruise speed, and no less than MIN_DESCENT_KT. */
const DESCENT_SPEED_FRACTION = 0.65;
const MIN_DESCENT_KT = 150;

/**
 * Minutes to an airport `d` nm away, `aglFt` below (≥ 0): cruise at the current speed, then a 3° descent at
 * about 65 % of it — at the current speed when already descending.
 */
export function etaMinutes(d: number, gsKt: number, aglFt: number, vrFpm: number): number {
  const gs = Math.max(gsKt, MIN_GROUND_SPEED_KT);
  const descent = Math.min(d, aglFt / FT_PER_NM_NORMAL);
  const descentGs = vrFpm <= DESCENDING_FPM ? gs : Math.max(MIN_DESCENT_KT, gs * DESCENT_SPEED_FRACTION);
  return ((d - descent) / gs + descent / descentGs) * 60;
}
