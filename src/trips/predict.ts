/**
 * En-route destination scoring, pure. For one airborne observation every candidate airport ahead gets a weight
 *   (kind prior × distance decay + airframe history) × callsign route × course fit × route fit × vertical fit
 * and the weights are normalised together with an "elsewhere" weight (an airport that is not a candidate), so
 * a configured destination's probability — the sum over the candidates that count for it — is only high when
 * its airports explain the track much better than everything else ahead.
 *
 * Course fit: cross-track distance of the airport from the great circle the aircraft is flying now (position +
 * track), Gaussian with σ = corridorFraction × distance (between corridorMinNm and corridorMaxNm): far airports
 * are allowed the detours real routes make, near ones must be on the nose. Airports behind are out.
 * Route fit (the track so far): flying from the departure to here and on to the airport must not be a much
 * longer way than the great circle departure → airport (`maxDetour`); this drops airports the aircraft's
 * current heading happens to point at after a turn but that the flight so far does not lead to.
 * Vertical fit (distance to go vs altitude): an aircraft level at cruise cannot land at an airport closer than
 * it could descend to; a descending aircraft most likely lands about where its current descent rate and speed
 * reach the airport's elevation (log-normal around that distance; wide, descents have steps).
 *
 * Speed (replay runs this once a minute of flight time for every airborne aircraft): nothing is allocated per
 * evaluation; `gate()` first bounds each destination's probability from its own candidates alone (skipping a
 * destination whose cap lies behind, out of range or off the corridor), and only when one could reach the
 * threshold does `score()` weigh the competitors — those inside the aircraft's corridor, a list cached per
 * aircraft and reused while its great circle stays put (see Corridor).
 */
import type { TripsConfig } from '../config/trips-schema';
import { EARTH_RADIUS_NM } from '../geo/sphere';
import type { Candidate, CandidateSet } from './candidates';
import {
  COURSE_CUTOFF_SIGMAS,
  courseFit,
  distanceDecay,
  etaMinutes,
  MIN_GROUND_SPEED_KT,
  ROUTE_FIT_MIN_FLOWN_NM,
  routeFit,
  verticalFit,
} from './fits';

const RAD = Math.PI / 180;
const R = EARTH_RADIUS_NM;
/** Airports this close count even when just behind (overhead the field). */
const OVERHEAD_NM = 3;
/** Corridor reuse: how far the course-plane normal may turn (chord; ≈ 2°) and the aircraft move (nm). */
const CORRIDOR_TURN = 0.035;
const CORRIDOR_MOVE_NM = 300;
/** History airports per observation; a short list, scanned per candidate. */
const MAX_HISTORY = 32;

type EnRouteConfig = TripsConfig['enRoute'];

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

/**
 * Candidates that may lie in an aircraft's corridor, computed from one position and course and valid while the
 * course-plane normal turns less than CORRIDOR_TURN and the aircraft moves less than CORRIDOR_MOVE_NM: every
 * candidate the full filters could accept then lies in this list (bounds in `Predictor.corridor`), so scoring
 * over it gives exactly the result of scoring over all candidates.
 */
export interface Corridor {
  mx: number;
  my: number;
  mz: number;
  px: number;
  py: number;
  pz: number;
  idx: Int32Array;
  n: number;
}

export interface Scored {
  candidate: Candidate;
  p: number;
  distanceNm: number;
  etaMs: number;
}

export class Predictor {
  readonly n: number;
  /** After score(): probability of each configured destination (index as in set.destinations) … */
  readonly destP: Float64Array;
  /** … and its most likely candidate (position in the scored list, see scored()), -1 when none. */
  readonly destBest: Int32Array;
  private readonly destBestW: Float64Array;
  /** From gate(): each destination's weight (exact: every candidate that counts for it) and their sum. */
  private readonly gateW: Float64Array;
  private gateDest = 0;
  /** After score(): weights and distances of the scored candidates (first `count`), and the normaliser. */
  private readonly w: Float64Array;
  private readonly wi: Int32Array;
  private readonly wd: Float64Array;
  count = 0;
  total = 0;
  private obsT = 0;
  private obsGs = 0;
  private obsAlt = 0;
  private obsVr = 0;

  // Frame of the current observation: position p, course direction t, normal of the course plane m.
  private px = 0;
  private py = 0;
  private pz = 0;
  private tx = 0;
  private ty = 0;
  private tz = 0;
  private mx = 0;
  private my = 0;
  private mz = 0;
  private gs = 0;
  private prior = -1;
  private priorWeight = 1;
  /** Candidates with a history weight for this observation (index, weight), first `nHist`. */
  private readonly histIdx = new Int32Array(MAX_HISTORY);
  private readonly histW = new Float64Array(MAX_HISTORY);
  private nHist = 0;
  private hasDep = false;
  private dx = 0;
  private dy = 0;
  private dz = 0;
  private flownNm = 0;
  private readonly minDot: number;
  private sortKey = new Float64Array(0);
  private readonly maxRangeRad: number;
  private readonly bandSin: number;
  private readonly capRange: Float64Array;
  private readonly capBand: Float64Array;
  private readonly capBehind: Float64Array;
  private readonly capOverhead: Float64Array;
  /** cos of OVERHEAD_NM: a candidate with a larger dot product is within it. */
  private readonly overheadCos = Math.cos(OVERHEAD_NM / R);

  constructor(
    readonly set: CandidateSet,
    private readonly cfg: EnRouteConfig,
  ) {
    this.n = set.list.length;
    const nd = set.destinations.length;
    this.destP = new Float64Array(nd);
    this.destBest = new Int32Array(nd);
    this.destBestW = new Float64Array(nd);
    this.gateW = new Float64Array(nd);
    this.w = new Float64Array(this.n);
    this.wi = new Int32Array(this.n);
    this.wd = new Float64Array(this.n);
    this.maxRangeRad = Math.min(cfg.maxRangeNm, 10_000) / R;
    this.minDot = Math.cos(this.maxRangeRad);
    // Nothing farther off the course than 4 σ at the widest counts.
    const band = Math.min(Math.PI / 2, (COURSE_CUTOFF_SIGMAS * cfg.corridorMaxNm) / R);
    this.bandSin = Math.sin(band);
    // Per cap: every point is out of range when the centre's dot < cos(range + r); off the band when
    // |m · centre| > sin(band + r); behind when t · centre < −sin(r) (angle from the course > 90° + r) and not
    // overhead when p · centre < cos(r + overhead). Limits that can never hold are ±2.
    const caps = set.caps;
    const nc = caps.radius.length;
    this.capRange = new Float64Array(nc);
    this.capBand = new Float64Array(nc);
    this.capBehind = new Float64Array(nc);
    this.capOverhead = new Float64Array(nc);
    for (let k = 0; k < nc; k++) {
      const r = caps.radius[k]!;
      this.capRange[k] = this.maxRangeRad + r < Math.PI ? Math.cos(this.maxRangeRad + r) : -2;
      this.capBand[k] = band + r < Math.PI / 2 ? Math.sin(band + r) : 2;
      this.capBehind[k] = r < Math.PI / 2 ? -Math.sin(r) : -2;
      this.capOverhead[k] = r + OVERHEAD_NM / R < Math.PI ? Math.cos(r + OVERHEAD_NM / R) : -2;
    }
  }

  /** Sets up the frame for an observation; call before gate()/corridor()/score(). */
  observe(obs: Observation, opts: PredictOptions = {}): void {
    const φ = obs.lat * RAD;
    const λ = obs.lon * RAD;
    const θ = obs.trackDeg * RAD;
    const cφ = Math.cos(φ);
    const sφ = Math.sin(φ);
    const cλ = Math.cos(λ);
    const sλ = Math.sin(λ);
    this.px = cφ * cλ;
    this.py = cφ * sλ;
    this.pz = sφ;
    // East and north at the position; the course direction; the normal of the course plane.
    const ex = -sλ;
    const ey = cλ;
    const nx = -sφ * cλ;
    const ny = -sφ * sλ;
    const nz = cφ;
    const cθ = Math.cos(θ);
    const sθ = Math.sin(θ);
    this.tx = cθ * nx + sθ * ex;
    this.ty = cθ * ny + sθ * ey;
    this.tz = cθ * nz;
    this.mx = this.py * this.tz - this.pz * this.ty;
    this.my = this.pz * this.tx - this.px * this.tz;
    this.mz = this.px * this.ty - this.py * this.tx;
    this.gs = Math.max(obs.gsKt, MIN_GROUND_SPEED_KT);
    this.obsT = obs.t;
    this.obsGs = obs.gsKt;
    this.obsAlt = obs.altFt;
    this.obsVr = obs.vrateFpm;
    this.prior = opts.priorIcao !== undefined ? this.indexOf(opts.priorIcao) : -1;
    this.priorWeight = opts.priorWeight ?? 1;
    this.nHist = 0;
    const h = opts.history;
    if (h) {
      for (let k = 0; k < h.length && this.nHist < MAX_HISTORY; k++) {
        const i = this.indexOf(h[k]![0]);
        if (i < 0 || !(h[k]![1] > 0)) continue; // not a candidate airport (a small field): no prior
        this.histIdx[this.nHist] = i;
        this.histW[this.nHist++] = h[k]![1];
      }
    }
    this.hasDep = opts.dep !== undefined;
    if (opts.dep) {
      const dφ = opts.dep.lat * RAD;
      const dλ = opts.dep.lon * RAD;
      this.dx = Math.cos(dφ) * Math.cos(dλ);
      this.dy = Math.cos(dφ) * Math.sin(dλ);
      this.dz = Math.sin(dφ);
      this.flownNm =
        Math.acos(Math.max(-1, Math.min(1, this.dx * this.px + this.dy * this.py + this.dz * this.pz))) * R;
    }
  }

  private indexOfCache = new Map<string, number>();
  private indexOf(icao: string): number {
    let i = this.indexOfCache.get(icao);
    if (i === undefined) {
      const c = this.set.byIcao.get(icao);
      i = c ? this.set.list.indexOf(c) : -1;
      if (this.indexOfCache.size > 10_000) this.indexOfCache.clear();
      this.indexOfCache.set(icao, i);
    }
    return i;
  }

  /** Weight of candidate i for the current observation (0: not a candidate now); its distance in `lastD`. */
  private lastD = 0;
  private weightOf(i: number): number {
    const set = this.set;
    const cfg = this.cfg;
    const cx = set.x[i]!;
    const cy = set.y[i]!;
    const cz = set.z[i]!;
    const dot = this.px * cx + this.py * cy + this.pz * cz;
    if (dot < this.minDot) return 0;
    const s = this.mx * cx + this.my * cy + this.mz * cz;
    if (s > this.bandSin || s < -this.bandSin) return 0;
    if (dot < this.overheadCos && this.tx * cx + this.ty * cy + this.tz * cz <= 0) return 0; // behind
    const d = Math.acos(dot > 1 ? 1 : dot) * R;
    const course = courseFit(Math.abs(Math.asin(s)) * R, d, cfg);
    if (course === 0) return 0;
    // History is added after the distance decay: a far usual destination is as usual as a near one.
    let prior = this.kindPrior(i, d);
    for (let k = 0; k < this.nHist; k++) if (this.histIdx[k] === i) prior += this.histW[k]!;
    let w = prior * course;
    if (w < 1e-6) return 0;
    w *= verticalFit(this.obsAlt - set.elevationFt[i]!, this.obsVr, d, this.gs);
    if (this.hasDep && this.flownNm > ROUTE_FIT_MIN_FLOWN_NM) {
      const dc = this.dx * cx + this.dy * cy + this.dz * cz;
      w *= routeFit(this.flownNm, d, Math.acos(dc > 1 ? 1 : dc < -1 ? -1 : dc) * R, cfg.maxDetour);
    }
    if (i === this.prior) w *= this.priorWeight;
    if (w < 1e-6) return 0;
    this.lastD = d;
    return w;
  }

  /** Kind (or destination) prior of candidate i, `d` nm away, with the distance decay. */
  private kindPrior(i: number, d: number): number {
    return distanceDecay(this.set.weight[i]!, d, this.cfg.distanceScaleNm);
  }

  /**
   * Upper bound of each destination's probability from the destination candidates alone (the competitors can
   * only lower it): false when no destination can reach `threshold` now — score() would say the same.
   */
  gate(threshold: number): boolean {
    const set = this.set;
    const caps = set.caps;
    const nd = set.destinations.length;
    const destP = this.destP;
    destP.fill(0);
    let sum = 0;
    for (let d = 0; d < nd; d++) {
      if (this.capOut(caps.groups + d)) continue;
      for (let g = caps.destGroups[d]!; g < caps.destGroups[d + 1]!; g++) {
        if (this.capOut(g)) continue;
        for (let k = caps.groupStart[g]!; k < caps.groupStart[g + 1]!; k++) {
          const i = caps.members[k]!;
          const w = this.weightOf(i);
          if (w === 0) continue;
          sum += w;
          for (let j = set.destStart[i]!; j < set.destStart[i + 1]!; j++) destP[set.destFlat[j]!]! += w;
        }
      }
    }
    const denom = sum + this.cfg.elsewhereWeight;
    this.gateDest = sum;
    let any = false;
    for (let e = 0; e < nd; e++) {
      this.gateW[e] = destP[e]!;
      destP[e] = denom > 0 ? destP[e]! / denom : 0;
      if (destP[e]! >= threshold) any = true;
    }
    return any;
  }

  /**
   * True when every point of cap k is out of range, off the corridor band, or behind and not overhead. Dot
   * products against per-cap limits (capLimits): no trigonometry per test.
   */
  private capOut(k: number): boolean {
    const caps = this.set.caps;
    const cx = caps.x[k]!;
    const cy = caps.y[k]!;
    const cz = caps.z[k]!;
    const dp = this.px * cx + this.py * cy + this.pz * cz;
    if (dp < this.capRange[k]!) return true;
    const dm = this.mx * cx + this.my * cy + this.mz * cz;
    if (dm > this.capBand[k]! || dm < -this.capBand[k]!) return true;
    return this.tx * cx + this.ty * cy + this.tz * cz < this.capBehind[k]! && dp < this.capOverhead[k]!;
  }

  /**
   * The corridor list for the current frame: `prev` when still valid, else rebuilt (into prev's buffer when it
   * fits). Bounds: with the normal within CORRIDOR_TURN (chord) of the cached one and the position within
   * CORRIDOR_MOVE_NM, a candidate inside the band now is inside the band widened by CORRIDOR_TURN then, in
   * range now is within range + move then, and ahead now is no more than turn + move (+ overhead) behind then.
   */
  corridor(prev: Corridor | undefined): Corridor {
    if (prev) {
      const dm = (this.mx - prev.mx) ** 2 + (this.my - prev.my) ** 2 + (this.mz - prev.mz) ** 2;
      const dp = (this.px - prev.px) ** 2 + (this.py - prev.py) ** 2 + (this.pz - prev.pz) ** 2;
      const move = CORRIDOR_MOVE_NM / R;
      if (dm <= CORRIDOR_TURN * CORRIDOR_TURN && dp <= move * move) return prev;
    }
    const set = this.set;
    const move = CORRIDOR_MOVE_NM / R;
    const range = this.maxRangeRad + move;
    const minDot = range >= Math.PI ? -2 : Math.cos(range);
    const band = Math.min(1, this.bandSin + CORRIDOR_TURN);
    const behind = -Math.sin(Math.min(Math.PI / 2, CORRIDOR_TURN + move + OVERHEAD_NM / R));
    const out = prev ?? { mx: 0, my: 0, mz: 0, px: 0, py: 0, pz: 0, idx: new Int32Array(64), n: 0 };
    let idx = out.idx;
    let n = 0;
    const { x, y, z } = set;
    for (let i = 0; i < this.n; i++) {
      const cx = x[i]!;
      const cy = y[i]!;
      const cz = z[i]!;
      if (this.px * cx + this.py * cy + this.pz * cz < minDot) continue;
      const s = this.mx * cx + this.my * cy + this.mz * cz;
      if (s > band || s < -band) continue;
      if (this.tx * cx + this.ty * cy + this.tz * cz < behind) continue;
      if (n === idx.length) {
        const grown = new Int32Array(Math.min(this.n, idx.length * 2));
        grown.set(idx);
        idx = grown;
      }
      idx[n++] = i;
    }
    // Nearest first: score() can stop early once the near competitors decide it.
    const near = idx.subarray(0, n);
    const key = this.sortKey.length >= this.n ? this.sortKey : (this.sortKey = new Float64Array(this.n));
    for (let k = 0; k < n; k++) {
      const i = near[k]!;
      key[i] = -(this.px * x[i]! + this.py * y[i]! + this.pz * z[i]!);
    }
    near.sort((a, b) => key[a]! - key[b]!);
    out.idx = idx;
    out.n = n;
    out.mx = this.mx;
    out.my = this.my;
    out.mz = this.mz;
    out.px = this.px;
    out.py = this.py;
    out.pz = this.pz;
    return out;
  }

  /**
   * Weighs every candidate of the corridor; fills destP / destBest and returns true. With `below` (after
   * gate(), same observation) it may stop early and return false: once the competitors seen so far push every
   * destination's probability under `below` (their weights are gate()'s, exact; the normaliser only grows),
   * the answer "none is likely" is certain. The corridor is ordered nearest first, where the weight is.
   */
  score(corridor: Corridor, below?: number): boolean {
    const set = this.set;
    const destP = this.destP;
    const destBest = this.destBest;
    const destBestW = this.destBestW;
    destP.fill(0);
    destBest.fill(-1);
    destBestW.fill(0);
    let total = this.cfg.elsewhereWeight;
    let count = 0;
    // Stop once the non-destination weight exceeds this (max destination weight / below − the rest).
    let stopAt = Infinity;
    if (below !== undefined) {
      let wMax = 0;
      for (let e = 0; e < this.gateW.length; e++) wMax = Math.max(wMax, this.gateW[e]!);
      stopAt = wMax / below - this.cfg.elsewhereWeight - this.gateDest;
    }
    let others = 0;
    const idx = corridor.idx;
    for (let k = 0; k < corridor.n; k++) {
      const i = idx[k]!;
      const w = this.weightOf(i);
      if (w === 0) continue;
      this.w[count] = w;
      this.wi[count] = i;
      this.wd[count] = this.lastD;
      count++;
      total += w;
      const j0 = set.destStart[i]!;
      const j1 = set.destStart[i + 1]!;
      if (j0 === j1) {
        others += w;
        if (others > stopAt) {
          this.count = 0;
          this.total = total;
          destP.fill(0);
          return false;
        }
        continue;
      }
      for (let j = j0; j < j1; j++) {
        const e = set.destFlat[j]!;
        destP[e]! += w;
        if (w > destBestW[e]!) {
          destBestW[e] = w;
          destBest[e] = count - 1;
        }
      }
    }
    for (let e = 0; e < destP.length; e++) destP[e] = destP[e]! / total;
    this.count = count;
    this.total = total;
    return true;
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
    const φ = lat * RAD;
    const λ = lon * RAD;
    const qx = Math.cos(φ) * Math.cos(λ);
    const qy = Math.cos(φ) * Math.sin(λ);
    const qz = Math.sin(φ);
    const { x, y, z } = this.set;
    g = this.cfg.elsewhereWeight;
    for (let i = 0; i < this.n; i++) {
      const dot = qx * x[i]! + qy * y[i]! + qz * z[i]!;
      if (dot < this.minDot) continue;
      g += this.kindPrior(i, Math.acos(dot > 1 ? 1 : dot) * R);
    }
    if (this.massCache.size > 10_000) this.massCache.clear();
    this.massCache.set(key, g);
    return g;
  }
  private readonly massCache = new Map<string, number>();

  /** Scored entry k (0 … count-1) as an object (only for what goes into an event). */
  scored(k: number): Scored {
    const c = this.set.list[this.wi[k]!]!;
    const d = this.wd[k]!;
    return {
      candidate: c,
      p: this.w[k]! / this.total,
      distanceNm: d,
      etaMs:
        this.obsT +
        etaMinutes(d, this.obsGs, Math.max(0, this.obsAlt - (c.airport.elevationFt ?? 0)), this.obsVr) * 60_000,
    };
  }

  /** The k most likely scored candidates, best first. */
  top(k: number): Scored[] {
    const best: number[] = [];
    for (let j = 0; j < this.count; j++) {
      if (best.length === k && this.w[j]! <= this.w[best[k - 1]!]!) continue;
      let at = best.length;
      while (at > 0 && this.w[best[at - 1]!]! < this.w[j]!) at--;
      best.splice(at, 0, j);
      if (best.length > k) best.pop();
    }
    return best.map((j) => this.scored(j));
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
  if (!byCfg) predictors.set(set, (byCfg = new Map()));
  let p = byCfg.get(cfg);
  if (!p) byCfg.set(cfg, (p = new Predictor(set, cfg)));
  p.observe(obs, opts);
  p.score(p.corridor(undefined));
  const destinations = new Map<string, { p: number; best: Scored }>();
  set.destinations.forEach((d, e) => {
    if (p.destBest[e]! >= 0) destinations.set(d.id, { p: p.destP[e]!, best: p.scored(p.destBest[e]!) });
  });
  return { top: p.top(5), destinations };
}
