/** The result of scoring one observation: candidate weights and each configured destination's probability. */
import { arcNm, dotXyz } from '../geo/vector';
import type { Candidate, CandidateSet } from './candidates';
import { etaMinutes } from './fits';
import type { Evaluation } from './observation';

export interface Scored {
  candidate: Candidate;
  p: number;
  distanceNm: number;
  etaMs: number;
}

export class Scores {
  constructor(
    private readonly set: CandidateSet,
    private readonly ev: Evaluation,
    /** The normaliser: the elsewhere weight plus every scored weight. */
    readonly total: number,
    /** Weights of the scored candidates (those with a weight), and their indices in the set's list. */
    private readonly weights: Float64Array,
    private readonly indices: Int32Array,
    /** Probability of each configured destination (index as in set.destinations) … */
    readonly destinationP: Float64Array,
    /** … and its most likely candidate: a position in the scored list, -1 when none. */
    private readonly destinationBest: Int32Array,
  ) {}

  /** Number of scored candidates. */
  get count(): number {
    return this.weights.length;
  }

  /** Scored entry k (0 … count-1) as an object (only for what goes into an event). */
  scored(k: number): Scored {
    const i = this.indices[k];
    const w = this.weights[k];
    if (i === undefined || w === undefined) throw new RangeError(`no scored candidate ${k} of ${this.count}`);
    const set = this.set;
    const candidate = set.list[i]!; // scored indices come from the set
    const distanceNm = arcNm(dotXyz(this.ev.frame.position, set.x[i]!, set.y[i]!, set.z[i]!));
    const { t, altFt, gsKt, vrateFpm } = this.ev.obs;
    const aglFt = Math.max(0, altFt - (candidate.airport.elevationFt ?? 0));
    return {
      candidate,
      p: w / this.total,
      distanceNm,
      etaMs: t + etaMinutes(distanceNm, gsKt, aglFt, vrateFpm) * 60_000,
    };
  }

  /** The most likely candidate of destination e (index as in set.destinations); undefined when none scored. */
  best(e: number): Scored | undefined {
    const k = this.destinationBest[e] ?? -1;
    return k < 0 ? undefined : this.scored(k);
  }

  /** The k most likely scored candidates, best first (equal weights in scoring order). */
  top(k: number): Scored[] {
    const best: { at: number; w: number }[] = [];
    this.weights.forEach((w, at) => {
      if (best.length === k && w <= (best[k - 1]?.w ?? -Infinity)) return;
      let i = best.length;
      while (i > 0 && (best[i - 1]?.w ?? Infinity) < w) i--;
      best.splice(i, 0, { at, w });
      if (best.length > k) best.pop();
    });
    return best.map(({ at }) => this.scored(at));
  }
}
