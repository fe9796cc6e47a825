/**
 * Where an operator's or a hub's legs went, as a prior for an airframe with little history of its own (issue 18,
 * "fleet priors"). A new GlobalX airframe out of Alexandria most likely flies where GlobalX and Alexandria legs
 * flew in the last 90 days. Pure: the legs arrive as plain data (the runtime reads them from the archive and
 * refreshes them); this module only weighs them.
 *
 * The fleet counts as `equivalentLegs` legs of the airframe's own history, spread over the airports in the
 * proportion the fleet's legs went there: weight(X) = G × equivalentLegs × share(X) / pseudoLegs (history.ts for
 * G and pseudoLegs). So a big fleet never outweighs an airframe's own habit, and a fleet that spreads over
 * twenty airports says little about any one of them. The operator's legs from this departure count 1, from
 * elsewhere `otherDepartureWeight` (as in history.ts); the hub's legs (any operator) count `hubWeight`.
 */
import type { TripsConfig } from '../config/trips-schema';
import type { HistoryPrior } from './history';

const DAY = 86_400_000;

/** One archived leg: [operator key or '' , departure ICAO or '', arrival ICAO, arrival time ms]. */
export type FleetLeg = [operator: string, dep: string, arr: string, at: number];

/** What the runtime hands the trips layer: the archive's recent legs, and when they were read. */
export interface FleetLegs {
  legs: readonly FleetLeg[];
  loadedAt: number;
}

type HistoryConfig = TripsConfig['enRoute']['history'];

/**
 * The operator an airframe flies for, from its ICAO callsign (three letters, then the flight number: GXA6123 →
 * GXA); an operator name from the aircraft database otherwise; '' when neither.
 */
export function operatorKey(callsign: string | undefined, operator?: string): string {
  const m = callsign ? /^([A-Z]{3})\d/.exec(callsign.trim().toUpperCase()) : null;
  if (m) return m[1]!;
  return operator?.trim().toUpperCase() ?? '';
}

/**
 * Prior weights from the fleet for a leg of `operator` departing `dep` at `now`; [] when the fleet says
 * nothing (no legs from that operator or hub in the window, or fleet priors off).
 */
export function fleetPriors(
  fleet: FleetLegs | undefined,
  operator: string,
  dep: string | null | undefined,
  now: number,
  genericMass: number,
  cfg: HistoryConfig,
): HistoryPrior[] {
  const f = cfg.fleet;
  if (!f.enabled || !fleet?.legs.length || !(genericMass > 0) || (!operator && !dep)) return [];
  const byAirport = new Map<string, { w: number; legs: number }>();
  let total = 0;
  for (const [op, from, to, at] of fleet.legs) {
    if (!(now - at <= f.days * DAY) || at > now || !to || (dep && to === dep)) continue;
    const sameOperator = operator !== '' && op === operator;
    const w = Math.max(
      sameOperator ? (dep && from === dep ? 1 : cfg.otherDepartureWeight) : 0,
      dep && from === dep ? f.hubWeight : 0,
    );
    if (w <= 0) continue;
    total += w;
    const e = byAirport.get(to);
    if (e) {
      e.w += w;
      e.legs++;
    } else byAirport.set(to, { w, legs: 1 });
  }
  if (total < f.minLegs) return [];
  const out: HistoryPrior[] = [];
  for (const [icao, e] of byAirport)
    out.push([icao, round((genericMass * f.equivalentLegs * e.w) / total / cfg.pseudoLegs), e.legs]);
  out.sort((a, b) => b[1] - a[1]);
  return out.slice(0, cfg.maxAirports);
}

/**
 * The airframe's own history priors and the fleet's, summed per airport, strongest first, at most
 * `maxAirports`. The fleet fades as the airframe's own legs accumulate: with `ownLegs` legs of its own it counts
 * × 1 / (1 + ownLegs), so a tail with a habit is predicted from its habit.
 */
export function mergePriors(own: HistoryPrior[], fleet: HistoryPrior[], ownLegs: number, max: number): HistoryPrior[] {
  if (!fleet.length) return own;
  const fade = 1 / (1 + ownLegs);
  const by = new Map<string, HistoryPrior>();
  for (const p of own) by.set(p[0], [...p]);
  for (const [icao, w, legs] of fleet) {
    const e = by.get(icao);
    if (e) e[1] = round(e[1] + w * fade);
    else by.set(icao, [icao, round(w * fade), legs]);
  }
  return [...by.values()].sort((a, b) => b[1] - a[1]).slice(0, max);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
