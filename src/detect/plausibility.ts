/**
 * Physical plausibility of a position against the previous accepted one. Real feeds carry positions no
 * aircraft can fly: an OpenSky "airborne" report at 38,000 ft between two taxiing positions, a "ground" report
 * at 22,000 ft and 276 kt, a jump of 40 nm in a second. Such a position is dropped (and counted) before it can
 * move the phase. Called for every fresh position: no allocation, trigonometry only when the cheap bound fails.
 */
import { haversineNm } from '../geo/sphere';

/** Faster than this over ground between two fixes (kt) is no aircraft we watch. */
const MAX_IMPLIED_KT = 750;
/** Climb or descent faster than this (ft/min) over more than MIN_JUMP_FT is a bad altitude. */
const MAX_VERTICAL_FPM = 8000;
const MIN_JUMP_FT = 1500;
/** Fixes further apart than this in time are not compared (a gap: anything may have happened). */
const MAX_COMPARE_MS = 10 * 60_000;
/** Positions are quantised and timestamps jitter by a second or two: slack in nm. */
const SLACK_NM = 2;

/**
 * True when a fix at (t, lat, lon, altFt) cannot follow the one at (t0, lat0, lon0, alt0). Altitudes are feet
 * above sea level (a ground fix: the field elevation), NaN when unknown.
 */
export function implausibleAfter(
  t0: number,
  lat0: number,
  lon0: number,
  alt0: number,
  t: number,
  lat: number,
  lon: number,
  alt: number,
): boolean {
  const dt = t - t0;
  if (dt <= 0 || dt > MAX_COMPARE_MS) return false;
  const maxNm = (MAX_IMPLIED_KT * Math.max(dt, 2000)) / 3_600_000 + SLACK_NM;
  // A degree of latitude is 60 nm and a degree of longitude at most that: within the bound on both, no need to look closer.
  if (Math.abs(lat - lat0) * 60 > maxNm || Math.abs(lon - lon0) * 60 > maxNm) {
    if (haversineNm(lat0, lon0, lat, lon) > maxNm) return true;
  }
  const dAlt = Math.abs(alt - alt0); // NaN when either is unknown: the comparisons below are false
  return dAlt > MIN_JUMP_FT && (dAlt / Math.max(dt, 1000)) * 60_000 > MAX_VERTICAL_FPM;
}
