/** What the predictor is given for one airborne aircraft, and that observation prepared for scoring. */
import type { CourseFrame, Vec3 } from '../geo/vector';

export interface Observation {
  t: number;
  lat: number;
  lon: number;
  altFt: number;
  gsKt: number;
  trackDeg: number;
  /** Altitude trend, ft/min (negative: descending). */
  vrateFpm: number;
}

export interface PredictOptions {
  /** ICAO the callsign route says comes next (already checked against the great circle). */
  priorIcao?: string;
  priorWeight?: number;
  /**
   * Prior weight added per airport ([icao, weight]): where this airframe landed before (history.ts). Unlike the
   * kind prior it does not decay with distance — a far usual destination is as usual as a near one.
   */
  history?: readonly (readonly [string, number, ...unknown[]])[];
  /** Departure airport of the leg (route fit); unknown for legs first seen in the air. */
  dep?: { lat: number; lon: number };
}

/** A history prior resolved to a candidate (index into the set's list). */
export interface HistoryPrior {
  readonly index: number;
  readonly weight: number;
}

/** One observation with its options, prepared by Predictor.observe() for gate(), corridor() and score(). */
export interface Evaluation {
  readonly obs: Observation;
  readonly frame: CourseFrame;
  /** Ground speed for the vertical fit (at least MIN_GROUND_SPEED_KT). */
  readonly gsKt: number;
  /** Candidate index of the callsign route's next airport (-1: none), and the weight it is multiplied by. */
  readonly priorIndex: number;
  readonly priorWeight: number;
  /** History priors of candidate airports, in the order given. */
  readonly history: readonly HistoryPrior[];
  /** The departure (unit vector) and the great-circle distance flown from it, when known. */
  readonly departure?: { readonly at: Vec3; readonly flownNm: number };
}
