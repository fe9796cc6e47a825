/**
 * Physical plausibility of a position against the previous accepted one. Real feeds carry positions no
 * aircraft can fly: an OpenSky "airborne" report at 38,000 ft between two taxiing positions, a "ground" report
 * at 22,000 ft and 276 kt, a jump of 40 nm in a second. Such a position is dropped (and counted) before it can
 * move the phase.
 */
import { haversineNm } from '../geo/sphere';

export type Implausible = 'ground-too-fast' | 'implied-speed' | 'altitude-jump';

/** Faster than this over ground between two fixes (kt) is no aircraft we watch. */
const MAX_IMPLIED_KT = 750;
/** Climb or descent faster than this (ft/min) over more than MIN_JUMP_FT is a bad altitude. */
const MAX_VERTICAL_FPM = 8000;
const MIN_JUMP_FT = 1500;
/** Fixes further apart than this in time are not compared (a gap: anything may have happened). */
const MAX_COMPARE_MS = 10 * 60_000;

export interface Fix {
  t: number;
  lat: number;
  lon: number;
  /** Altitude (ft) above sea level; for a ground fix, the field elevation when known. */
  altFt?: number;
}

/** Why `cur` cannot follow `prev`, or undefined when it can. */
export function implausibleAfter(prev: Fix | undefined, cur: Fix): Implausible | undefined {
  if (!prev) return undefined;
  const dt = cur.t - prev.t;
  if (dt <= 0 || dt > MAX_COMPARE_MS) return undefined;
  const nm = haversineNm(prev.lat, prev.lon, cur.lat, cur.lon);
  // Positions are quantised and timestamps jitter by a second or two: allow 2 nm of slack.
  if (nm > 2 && (nm / Math.max(dt, 2000)) * 3_600_000 > MAX_IMPLIED_KT) return 'implied-speed';
  if (prev.altFt !== undefined && cur.altFt !== undefined) {
    const dAlt = Math.abs(cur.altFt - prev.altFt);
    if (dAlt > MIN_JUMP_FT && (dAlt / Math.max(dt, 1000)) * 60_000 > MAX_VERTICAL_FPM) return 'altitude-jump';
  }
  return undefined;
}
