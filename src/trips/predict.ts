/**
 * En-route destination scoring, pure. For one airborne observation every candidate airport ahead gets a weight
 *   (kind prior × distance decay + airframe history) × callsign route × course fit × route fit × vertical fit
 * (fits.ts) and the weights are normalised together with an "elsewhere" weight (an airport that is not a
 * candidate), so a configured destination's probability — the sum over the candidates that count for it — is
 * only high when its airports explain the track much better than everything else ahead.
 *
 * Speed (replay runs this once a minute of flight time for every airborne aircraft): the per-candidate work is
 * dot products of unit vectors and allocates nothing; `gate()` first bounds each destination's probability from
 * its own candidates alone (skipping a destination whose cap lies behind, out of range or off the corridor:
 * reach.ts), and only when one could reach the threshold are the competitors weighed — those inside the
 * aircraft's corridor, a list cached per aircraft and reused while its great circle stays put (corridor.ts).
 */
import type { TripsConfig } from '../config/trips-schema';
import { arcNm, courseFrame, dot, dotXyz, offCircleNm, unitVector } from '../geo/vector';
import type { CandidateSet } from './candidates';
import { CorridorSearch, type Corridor } from './corridor';
import { courseFit, distanceDecay, MIN_GROUND_SPEED_KT, ROUTE_FIT_MIN_FLOWN_NM, routeFit, verticalFit } from './fits';
import type { Evaluation, HistoryPrior, Observation, PredictOptions } from './observation';
import { capLimits, capOutOfReach, reachOf, type CapLimits, type Reach } from './reach';
import { Scores, type Scored } from './scores';

export type { Corridor } from './corridor';
export type { Evaluation, Observation, PredictOptions } from './observation';
export { Scores, type Scored } from './scores';

/** History airports per observation; a short list, scanned per candidate. */
const MAX_HISTORY = 32;
/** A candidate weighing less than this is no candidate now. */
const MIN_WEIGHT = 1e-6;
const NO_HISTORY: readonly HistoryPrior[] = [];
/** Entries kept in each lookup cache before it is emptied. */
const MAX_CACHED = 10_000;

type EnRouteConfig = TripsConfig['enRoute'];

/** gate()'s answer: an upper bound of each destination's probability from its own candidates alone. */
export interface Gate {
  /** Upper bound of each destination's probability (index as in set.destinations). */
  readonly bound: readonly number[];
  /** Whether some bound reaches the threshold; when not, score() would say no destination reaches it. */
  readonly open: boolean;
  /** Each destination's weight (exact: every candidate that counts for it) … */
  readonly destinationWeight: readonly number[];
  /** … and the weight of all destination candidates (each once). */
  readonly candidateWeight: number;
}

export class Predictor {
  private readonly reach: Reach;
  private readonly capLimits: CapLimits;
  private readonly corridors: CorridorSearch;
  /** Scratch for score(), one entry per candidate: weights and indices of the candidates with a weight. */
  private readonly weights: Float64Array;
  private readonly indices: Int32Array;
  private readonly indexCache = new Map<string, number>();
  private readonly massCache = new Map<string, number>();

  constructor(
    readonly set: CandidateSet,
    private readonly cfg: EnRouteConfig,
  ) {
    this.reach = reachOf(cfg);
    this.capLimits = capLimits(set.caps.radius, this.reach);
    this.corridors = new CorridorSearch(set, this.reach);
    this.weights = new Float64Array(set.list.length);
    this.indices = new Int32Array(set.list.length);
  }

  /** Prepares an observation for gate(), corridor() and score(). */
  observe(obs: Observation, opts: PredictOptions = {}): Evaluation {
    const frame = courseFrame(obs.lat, obs.lon, obs.trackDeg);
    const dep = opts.dep && unitVector(opts.dep.lat, opts.dep.lon);
    return {
      obs,
      frame,
      gsKt: Math.max(obs.gsKt, MIN_GROUND_SPEED_KT),
      priorIndex: opts.priorIcao !== undefined ? this.indexOf(opts.priorIcao) : -1,
      priorWeight: opts.priorWeight ?? 1,
      history: this.historyPriors(opts.history),
      departure: dep && { at: dep, flownNm: arcNm(dot(dep, frame.position)) },
    };
  }

  /** The candidates among `history` with a positive weight (a small field is no candidate: no prior). */
  private historyPriors(history: PredictOptions['history']): readonly HistoryPrior[] {
    if (!history?.length) return NO_HISTORY;
    const out: HistoryPrior[] = [];
    for (const [icao, weight] of history) {
      if (out.length === MAX_HISTORY) break;
      const index = this.indexOf(icao);
      if (index >= 0 && weight > 0) out.push({ index, weight });
    }
    return out;
  }

  private indexOf(icao: string): number {
    let i = this.indexCache.get(icao);
    if (i === undefined) {
      const c = this.set.byIcao.get(icao);
      i = c ? this.set.list.indexOf(c) : -1;
      if (this.indexCache.size > MAX_CACHED) this.indexCache.clear();
      this.indexCache.set(icao, i);
    }
    return i;
  }

  /** Weight of candidate i (an index into the set's list) for `ev`; 0: not a candidate now. */
  private weightOf(ev: Evaluation, i: number): number {
    const { set, cfg, reach } = this;
    const cx = set.x[i]!;
    const cy = set.y[i]!;
    const cz = set.z[i]!;
    const { position, heading, normal } = ev.frame;
    const toPosition = dotXyz(position, cx, cy, cz);
    if (toPosition < reach.minCos) return 0; // out of range
    const offCourse = dotXyz(normal, cx, cy, cz);
    if (offCourse > reach.bandSin || offCourse < -reach.bandSin) return 0; // off the widest corridor
    if (toPosition < reach.overheadCos && dotXyz(heading, cx, cy, cz) <= 0) return 0; // behind
    const d = arcNm(toPosition);
    const course = courseFit(offCircleNm(offCourse), d, cfg);
    if (course === 0) return 0;
    // History is added after the distance decay: a far usual destination is as usual as a near one.
    let prior = distanceDecay(set.weight[i]!, d, cfg.distanceScaleNm);
    for (const h of ev.history) if (h.index === i) prior += h.weight;
    let w = prior * course;
    if (w < MIN_WEIGHT) return 0;
    w *= verticalFit(ev.obs.altFt - set.elevationFt[i]!, ev.obs.vrateFpm, d, ev.gsKt);
    const dep = ev.departure;
    if (dep && dep.flownNm > ROUTE_FIT_MIN_FLOWN_NM)
      w *= routeFit(dep.flownNm, d, arcNm(dotXyz(dep.at, cx, cy, cz)), cfg.maxDetour);
    if (i === ev.priorIndex) w *= ev.priorWeight;
    return w < MIN_WEIGHT ? 0 : w;
  }

  /**
   * Upper bound of each destination's probability from the destination candidates alone (the competitors can
   * only lower it): not `open` when no destination can reach `threshold` now — score() would say the same.
   */
  gate(ev: Evaluation, threshold: number): Gate {
    const set = this.set;
    const caps = set.caps;
    const destinationWeight: number[] = set.destinations.map(() => 0);
    let candidateWeight = 0;
    // Index arrays of the layout (candidates.ts) have one entry more than the destinations, chunks and
    // candidates they delimit; every index below stays inside them.
    for (let d = 0; d < destinationWeight.length; d++) {
      if (capOutOfReach(caps, this.capLimits, caps.groups + d, ev.frame)) continue;
      for (let g = caps.destGroups[d]!; g < caps.destGroups[d + 1]!; g++) {
        if (capOutOfReach(caps, this.capLimits, g, ev.frame)) continue;
        for (let k = caps.groupStart[g]!; k < caps.groupStart[g + 1]!; k++) {
          const i = caps.members[k]!;
          const w = this.weightOf(ev, i);
          if (w === 0) continue;
          candidateWeight += w;
          for (let j = set.destStart[i]!; j < set.destStart[i + 1]!; j++) destinationWeight[set.destFlat[j]!]! += w;
        }
      }
    }
    const denom = candidateWeight + this.cfg.elsewhereWeight;
    const bound = destinationWeight.map((w) => (denom > 0 ? w / denom : 0));
    return { bound, open: bound.some((p) => p >= threshold), destinationWeight, candidateWeight };
  }

  /** The corridor for `ev`: `previous` (this aircraft's last one) while it still holds, else a new one. */
  corridor(ev: Evaluation, previous?: Corridor): Corridor {
    return this.corridors.corridorFor(ev.frame, previous);
  }

  /** Weighs every candidate of the corridor. */
  score(ev: Evaluation, corridor: Corridor): Scores {
    // Without a stop bound the scan always completes.
    return this.scoreCorridor(ev, corridor, Infinity)!;
  }

  /**
   * score(), but undefined as soon as no destination can reach `threshold`: once the competitors seen so far
   * push every destination's probability under it (their weights are `gate`'s, exact — gate() of the same
   * evaluation; the normaliser only grows), the answer "none is likely" is certain. The corridor is ordered
   * nearest first, where the weight is, so this usually decides early.
   */
  scoreIfAnyReaches(ev: Evaluation, corridor: Corridor, gate: Gate, threshold: number): Scores | undefined {
    let maxWeight = 0;
    for (const w of gate.destinationWeight) maxWeight = Math.max(maxWeight, w);
    // Stop once the non-destination weight exceeds this (max destination weight / threshold − the rest).
    const stopAt = maxWeight / threshold - this.cfg.elsewhereWeight - gate.candidateWeight;
    return this.scoreCorridor(ev, corridor, stopAt);
  }

  private scoreCorridor(ev: Evaluation, corridor: Corridor, stopAt: number): Scores | undefined {
    const set = this.set;
    const nd = set.destinations.length;
    const destinationP = new Float64Array(nd);
    const destinationBest = new Int32Array(nd).fill(-1);
    const bestWeight = new Float64Array(nd);
    let total = this.cfg.elsewhereWeight;
    let count = 0;
    let others = 0;
    for (const i of corridor.members) {
      const w = this.weightOf(ev, i);
      if (w === 0) continue;
      this.weights[count] = w;
      this.indices[count] = i;
      count++;
      total += w;
      // destStart has one entry more than the candidates: i + 1 is inside it.
      const j0 = set.destStart[i]!;
      const j1 = set.destStart[i + 1]!;
      if (j0 === j1) {
        others += w;
        if (others > stopAt) return undefined;
        continue;
      }
      for (let j = j0; j < j1; j++) {
        const e = set.destFlat[j]!;
        destinationP[e]! += w;
        if (w > bestWeight[e]!) {
          bestWeight[e] = w;
          destinationBest[e] = count - 1;
        }
      }
    }
    for (let e = 0; e < nd; e++) destinationP[e] = destinationP[e]! / total;
    return new Scores(
      set,
      ev,
      total,
      this.weights.slice(0, count),
      this.indices.slice(0, count),
      destinationP,
      destinationBest,
    );
  }

  /**
   * Total kind prior (distance-decayed, as weightOf) of every candidate within range of a point, plus the
   * elsewhere weight: the prior mass of "an airport somewhere around", before the track says anything. History
   * weights are scaled by it (history.ts). Cached per point (departure airports repeat); one pass over the
   * candidates otherwise.
   */
  genericMass(lat: number, lon: number): number {
    const key = `${lat.toFixed(3)},${lon.toFixed(3)}`;
    let g = this.massCache.get(key);
    if (g !== undefined) return g;
    const at = unitVector(lat, lon);
    const { x, y, z, weight } = this.set;
    g = this.cfg.elsewhereWeight;
    for (let i = 0; i < weight.length; i++) {
      // i < the set's length: x, y, z and weight have one entry per candidate.
      const cos = dotXyz(at, x[i]!, y[i]!, z[i]!);
      if (cos < this.reach.minCos) continue;
      g += distanceDecay(weight[i]!, arcNm(cos), this.cfg.distanceScaleNm);
    }
    if (this.massCache.size > MAX_CACHED) this.massCache.clear();
    this.massCache.set(key, g);
    return g;
  }
}

export interface Prediction {
  /** Best candidates first (at most 5). */
  top: Scored[];
  /** Per configured destination id: probability and its most likely airport. */
  destinations: Map<string, { p: number; best: Scored }>;
}

const predictors = new WeakMap<CandidateSet, Map<EnRouteConfig, Predictor>>();

/** One observation scored over every candidate (tools and tests; the extension keeps a Predictor and corridors). */
export function predict(
  obs: Observation,
  set: CandidateSet,
  cfg: EnRouteConfig,
  opts: PredictOptions = {},
): Prediction {
  let byCfg = predictors.get(set);
  if (!byCfg) predictors.set(set, (byCfg = new Map<EnRouteConfig, Predictor>()));
  let predictor = byCfg.get(cfg);
  if (!predictor) byCfg.set(cfg, (predictor = new Predictor(set, cfg)));
  const ev = predictor.observe(obs, opts);
  const scores = predictor.score(ev, predictor.corridor(ev));
  const destinations = new Map<string, { p: number; best: Scored }>();
  set.destinations.forEach((d, e) => {
    const best = scores.best(e);
    if (best) destinations.set(d.id, { p: scores.destinationP[e] ?? 0, best });
  });
  return { top: scores.top(5), destinations };
}
