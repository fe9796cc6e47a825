/**
 * Corridor search: the candidates that may lie in an aircraft's corridor, found from one position and course
 * and reused while the course-plane normal turns less than CORRIDOR_TURN and the aircraft moves less than
 * CORRIDOR_MOVE_NM. Every candidate the full filters (reach.ts, the course cutoff) could accept in that time
 * lies in the list, so scoring over it gives exactly the result of scoring over all candidates
 * (test/unit/trips/predict.test.ts checks it against a full scan).
 */
import { EARTH_RADIUS_NM } from '../geo/sphere';
import { chordSquared, dotXyz, type CourseFrame, type Vec3 } from '../geo/vector';
import type { CandidateSet } from './candidates';
import { OVERHEAD_NM, type Reach } from './reach';

const R = EARTH_RADIUS_NM;
/** Corridor reuse: how far the course-plane normal may turn (chord; ≈ 2°) and the aircraft move (nm). */
export const CORRIDOR_TURN = 0.035;
export const CORRIDOR_MOVE_NM = 300;
const MOVE_RAD = CORRIDOR_MOVE_NM / R;

export interface Corridor {
  /** The frame it was found for: position and course-plane normal. */
  readonly position: Vec3;
  readonly normal: Vec3;
  /** Candidate indices (into the set's list) that may lie in the corridor, nearest first. */
  readonly members: Int32Array;
}

/** Whether `corridor` still holds every candidate that may count for an aircraft in `frame`. */
export function corridorHolds(corridor: Corridor, frame: CourseFrame): boolean {
  return (
    chordSquared(frame.normal, corridor.normal) <= CORRIDOR_TURN * CORRIDOR_TURN &&
    chordSquared(frame.position, corridor.position) <= MOVE_RAD * MOVE_RAD
  );
}

/**
 * Finds corridors over one candidate set. Bounds: with the normal within CORRIDOR_TURN (chord) of the one the
 * corridor was found for and the position within CORRIDOR_MOVE_NM, a candidate inside the band now was inside
 * the band widened by CORRIDOR_TURN then, in range now was within range + move then, and ahead now was no more
 * than turn + move (+ overhead) behind then.
 */
export class CorridorSearch {
  private readonly minCos: number;
  private readonly bandSin: number;
  private readonly minAhead: number;
  /** Scratch, one entry per candidate: the members found, and their sort keys. */
  private readonly found: Int32Array;
  private readonly nearness: Float64Array;

  constructor(
    private readonly set: CandidateSet,
    reach: Reach,
  ) {
    const range = reach.rangeRad + MOVE_RAD;
    this.minCos = range >= Math.PI ? -2 : Math.cos(range);
    this.bandSin = Math.min(1, reach.bandSin + CORRIDOR_TURN);
    this.minAhead = -Math.sin(Math.min(Math.PI / 2, CORRIDOR_TURN + MOVE_RAD + OVERHEAD_NM / R));
    this.found = new Int32Array(set.list.length);
    this.nearness = new Float64Array(set.list.length);
  }

  /** The corridor for `frame`: `previous` when it still holds, else a new one. */
  corridorFor(frame: CourseFrame, previous?: Corridor): Corridor {
    if (previous && corridorHolds(previous, frame)) return previous;
    const { x, y, z } = this.set;
    const { position, heading, normal } = frame;
    const found = this.found;
    let n = 0;
    for (let i = 0; i < found.length; i++) {
      // i < the set's length: x, y and z have one entry per candidate.
      const cx = x[i]!;
      const cy = y[i]!;
      const cz = z[i]!;
      if (dotXyz(position, cx, cy, cz) < this.minCos) continue;
      const s = dotXyz(normal, cx, cy, cz);
      if (s > this.bandSin || s < -this.bandSin) continue;
      if (dotXyz(heading, cx, cy, cz) < this.minAhead) continue;
      found[n++] = i;
    }
    // Nearest first: scoring can stop early once the near competitors decide it.
    const members = found.slice(0, n);
    const key = this.nearness;
    for (const i of members) key[i] = -dotXyz(position, x[i]!, y[i]!, z[i]!);
    members.sort((a, b) => key[a]! - key[b]!);
    return { position, normal, members };
  }
}
