/**
 * Where this airframe has landed before, pure. Charter airframes fly recurring routes (a tail on a Guatemala
 * contract flies KAEX → MGGT again and again), and monitors use exactly that when they say where a flight is
 * going long before it descends. The landings the detector saw are kept in TrackState.ext.trips (so they live
 * as long as the track: `detect.trackTtlDays` after the aircraft was last heard) and become a prior for the
 * next leg.
 *
 * The model is a Dirichlet-multinomial: the generic prior (kind weights decayed with distance, what the
 * predictor uses without history) counts as `pseudoLegs` legs, and every past leg of this airframe as one:
 *
 *   prior(X) ∝ pseudoLegs × generic(X) / G + n(X)      ⇔      generic(X) + G × n(X) / pseudoLegs
 *
 * with G the total generic prior around the departure (Predictor.genericMass) and n(X) the past legs to X — a
 * leg from the same departure airport counts 1, from another `otherDepartureWeight`. So one past leg weighs
 * little against "anywhere", five to the same airport say "probably there again", and the weight does not
 * decay with distance: an airframe that usually flies to Guayaquil is as likely to when Guayaquil is 1,500 nm
 * ahead as when it is 150. The track still decides: an airport off the course or behind gets nothing.
 */
import type { TripsConfig } from '../config/trips-schema';

const DAY = 86_400_000;

/** One landing: [departure ICAO or '' when unknown, arrival ICAO, arrival time ms]. */
export type HistoryLeg = [string, string, number];

/** A prior weight for one airport (to be added to its generic prior), with the past legs behind it. */
export type HistoryPrior = [icao: string, weight: number, legs: number];

type HistoryConfig = TripsConfig['enRoute']['history'];

/** Appends a landing and drops what is older than `days` or beyond `maxLegs` (oldest first). */
export function recordLanding(
  hist: HistoryLeg[] | undefined,
  dep: string | null | undefined,
  arr: string,
  at: number,
  cfg: HistoryConfig,
): HistoryLeg[] {
  // State written by another version may lack the list or hold something else: start afresh, never throw.
  const out = (Array.isArray(hist) ? hist : []).filter(
    (h) => Array.isArray(h) && at - h[2] <= cfg.days * DAY && h[2] <= at,
  );
  out.push([dep ?? '', arr, at]);
  return out.length > cfg.maxLegs ? out.slice(out.length - cfg.maxLegs) : out;
}

/**
 * Prior weights for a leg departing `dep` at `now` (G = generic prior mass around the departure), strongest
 * first, at most `maxAirports`; [] without history.
 */
export function historyPriors(
  hist: readonly HistoryLeg[] | undefined,
  dep: string | null | undefined,
  now: number,
  genericMass: number,
  cfg: HistoryConfig,
): HistoryPrior[] {
  if (!cfg.enabled || !Array.isArray(hist) || !hist.length || !(genericMass > 0)) return [];
  const byAirport = new Map<string, { w: number; legs: number }>();
  let total = 0;
  // Stored state: a leg of another shape is skipped, not trusted.
  for (const h of hist as readonly unknown[]) {
    if (!Array.isArray(h)) continue;
    const [from, to, at] = h as unknown[];
    if (typeof to !== 'string' || typeof at !== 'number' || !(now - at <= cfg.days * DAY) || at > now) continue;
    // Returning to where it left from says nothing about this leg's destination beyond "home".
    if (dep && to === dep) continue;
    const w = dep && from === dep ? 1 : cfg.otherDepartureWeight;
    if (w <= 0) continue;
    total += w;
    const e = byAirport.get(to);
    if (e) {
      e.w += w;
      e.legs++;
    } else byAirport.set(to, { w, legs: 1 });
  }
  if (total === 0) return [];
  const out: HistoryPrior[] = [];
  for (const [icao, e] of byAirport) out.push([icao, round((genericMass * e.w) / cfg.pseudoLegs), e.legs]);
  out.sort((a, b) => b[1] - a[1]);
  return out.slice(0, cfg.maxAirports);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
