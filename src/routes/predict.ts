/**
 * En-route destination scoring, pure. For one airborne observation every candidate airport gets a weight
 *   prior (kind, configured destination, callsign route) × course fit × vertical fit
 * and the weights are normalised together with an "elsewhere" weight (an airport that is not a candidate), so
 * a probability is only high when one airport (or one configured destination's airports) explains the
 * track much better than everything else ahead.
 *
 * Course fit: cross-track distance of the airport from the great circle the aircraft is flying now (position +
 * track), Gaussian with σ = max(corridorMinNm, corridorFraction × distance): far airports are allowed the
 * detours real routes make, near ones must be on the nose. Airports behind are out.
 * Vertical fit: an aircraft level at cruise cannot land at an airport closer than it could descend to; a
 * descending aircraft most likely lands about where its current descent rate and speed reach the airport's
 * elevation (log-normal around that distance; wide, descents have steps).
 */
import type { RoutesConfig } from '../config/routes-schema';
import { EARTH_RADIUS_NM } from '../places/geo';
import type { Candidate, CandidateSet } from './candidates';

const RAD = Math.PI / 180;
/** A normal 3° descent: about 318 ft per nm. */
const FT_PER_NM_NORMAL = 318;
/** The steepest descent we still believe (≈ 2,500 fpm at 250 kt). */
const FT_PER_NM_STEEP = 600;

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

export interface Scored {
  candidate: Candidate;
  /** Normalised probability 0–1. */
  p: number;
  distanceNm: number;
  etaMs: number;
}

export interface Prediction {
  /** Best candidates first (at most 5). */
  top: Scored[];
  /** Per configured destination id: probability and its most likely airport. */
  destinations: Map<string, { p: number; best: Scored }>;
}

export interface PredictOptions {
  /** ICAO the callsign route says comes next (already checked against the great circle). */
  priorIcao?: string;
  priorWeight?: number;
}

/** Unit vectors of the candidates, computed once per candidate set. */
const vectors = new WeakMap<CandidateSet, Float64Array>();
function unitVectors(set: CandidateSet): Float64Array {
  let v = vectors.get(set);
  if (!v) {
    v = new Float64Array(set.list.length * 3);
    set.list.forEach((c, i) => {
      v![3 * i] = c.cosLat * Math.cos(c.lonR);
      v![3 * i + 1] = c.cosLat * Math.sin(c.lonR);
      v![3 * i + 2] = Math.sin(c.latR);
    });
    vectors.set(set, v);
  }
  return v;
}

function verticalFit(aglFt: number, vr: number, d: number, gs: number): number {
  if (aglFt <= 0) return d < 10 ? 1 : 0.05;
  if (vr <= -300) {
    // Where the current descent reaches the ground, nm.
    const reach = (aglFt / -vr) * (gs / 60);
    const z = Math.log(Math.max(d, 1) / Math.max(reach, 1)) / 0.6;
    const g = Math.exp(-0.5 * z * z);
    // Farther than the descent reaches: maybe a step-down, keep some weight. Nearer: implausible.
    return d > reach ? Math.max(0.2, g) : Math.max(0.01, g);
  }
  if (vr >= 300) return d < aglFt / FT_PER_NM_NORMAL ? 0.3 : 1;
  // Level. High and level close to an airport: it would have to start down now (top of descent is about
  // 3 nm per 1,000 ft out), so an airport inside 1.2× that is unlikely and one inside a steep descent is not it.
  if (aglFt < 4000) return 1;
  const normal = aglFt / FT_PER_NM_NORMAL;
  if (d >= 1.2 * normal) return 1;
  if (d >= normal) return 0.6;
  const steep = aglFt / FT_PER_NM_STEEP;
  if (d >= steep) return 0.3;
  return 0.3 * (d / steep) ** 3;
}

export function predict(obs: Observation, set: CandidateSet, cfg: RoutesConfig['enRoute'], opts: PredictOptions = {}): Prediction {
  const vec = unitVectors(set);
  const φ = obs.lat * RAD;
  const λ = obs.lon * RAD;
  const θ = obs.trackDeg * RAD;
  const px = Math.cos(φ) * Math.cos(λ);
  const py = Math.cos(φ) * Math.sin(λ);
  const pz = Math.sin(φ);
  // Unit vectors east and north at the position, the course direction, and the normal of the course plane.
  const ex = -Math.sin(λ);
  const ey = Math.cos(λ);
  const nx = -Math.sin(φ) * Math.cos(λ);
  const ny = -Math.sin(φ) * Math.sin(λ);
  const nz = Math.cos(φ);
  const tx = Math.cos(θ) * nx + Math.sin(θ) * ex;
  const ty = Math.cos(θ) * ny + Math.sin(θ) * ey;
  const tz = Math.cos(θ) * nz;
  const mx = py * tz - pz * ty;
  const my = pz * tx - px * tz;
  const mz = px * ty - py * tx;
  const minDot = Math.cos(Math.min(cfg.maxRangeNm, 10_000) / EARTH_RADIUS_NM);
  const gs = Math.max(obs.gsKt, 120);

  const weights: number[] = [];
  const idx: number[] = [];
  const dists: number[] = [];
  // The "elsewhere" alternative (a field that is not a candidate) decays like a candidate a few hundred nm out.
  let total = cfg.elsewhereWeight;
  const list = set.list;
  for (let i = 0; i < list.length; i++) {
    const cx = vec[3 * i]!;
    const cy = vec[3 * i + 1]!;
    const cz = vec[3 * i + 2]!;
    const dot = px * cx + py * cy + pz * cz;
    if (dot < minDot) continue;
    const along = tx * cx + ty * cy + tz * cz;
    const d = Math.acos(Math.min(1, dot)) * EARTH_RADIUS_NM;
    if (along <= 0 && d > 3) continue; // behind
    const xtd = Math.abs(Math.asin(Math.max(-1, Math.min(1, mx * cx + my * cy + mz * cz)))) * EARTH_RADIUS_NM;
    const σ = Math.min(cfg.corridorMaxNm, Math.max(cfg.corridorMinNm, cfg.corridorFraction * d));
    if (xtd > 4 * σ) continue;
    const c = list[i]!;
    // Distance decay: a corridor holds more airports the farther it reaches (its area grows with d²); without
    // it the many airports far beyond a destination would outweigh the destination itself.
    const g = 1 / (1 + (d / cfg.distanceScaleNm) ** 2);
    let w = c.weight * g * Math.exp(-0.5 * (xtd / σ) ** 2);
    if (w < 1e-6) continue;
    w *= verticalFit(obs.altFt - (c.airport.elevationFt ?? 0), obs.vrateFpm, d, gs);
    if (opts.priorIcao !== undefined && c.airport.icao === opts.priorIcao) w *= opts.priorWeight ?? 1;
    if (w < 1e-6) continue;
    weights.push(w);
    idx.push(i);
    dists.push(d);
    total += w;
  }

  const scored: Scored[] = [];
  const destinations = new Map<string, { p: number; best: Scored }>();
  const order = weights.map((_, k) => k).sort((a, b) => weights[b]! - weights[a]!);
  for (const k of order) {
    const c = list[idx[k]!]!;
    const p = weights[k]! / total;
    if (scored.length >= 5 && !c.destinations.length) continue;
    const s: Scored = { candidate: c, p, distanceNm: dists[k]!, etaMs: obs.t + etaMinutes(obs, c, dists[k]!) * 60_000 };
    if (scored.length < 5) scored.push(s);
    for (const id of c.destinations) {
      const e = destinations.get(id);
      if (e) e.p += p;
      else destinations.set(id, { p, best: s });
    }
  }
  return { top: scored, destinations };
}

/** Cruise at the current speed, then the descent (a 3° path) at about 65 % of it. */
function etaMinutes(obs: Observation, c: Candidate, d: number): number {
  const gs = Math.max(obs.gsKt, 120);
  const agl = Math.max(0, obs.altFt - (c.airport.elevationFt ?? 0));
  const descent = Math.min(d, agl / FT_PER_NM_NORMAL);
  const descentGs = obs.vrateFpm <= -300 ? gs : Math.max(150, gs * 0.65);
  return ((d - descent) / gs + descent / descentGs) * 60;
}
