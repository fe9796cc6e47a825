/**
 * Where an operator's or a hub's legs went, as a prior for an airframe with little history of its own (issue 18,
 * "fleet priors"). A new GlobalX airframe out of Alexandria most likely flies where GlobalX and Alexandria legs
 * flew in the last 90 days. Pure: the legs arrive as plain data (the runtime reads them from the archive and
 * refreshes them); this module only weighs them.
 *
 * Each source counts as a few legs of the airframe's own history, spread over the airports in the proportion
 * its legs went there: weight(X) = G × E × share(X) / pseudoLegs (history.ts for G and pseudoLegs), E =
 * `operatorLegs` for the operator's legs, `equivalentLegs` for the hub's. So a big fleet never outweighs an
 * airframe's own habit, and a source that spreads over twenty airports says little about any one of them.
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
 * nothing (no legs from that operator or hub in the window, or fleet priors off). Two sources, each weighed
 * on its own so one cannot dilute the other: the operator's legs (`operatorLegs` equivalent legs; the same
 * departure counts 1, another `otherDepartureWeight`) and the hub's legs, any operator (`equivalentLegs`).
 * An operator flies its own contracts; a hub's legs go wherever all its operators go.
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
  const ops = new Shares();
  const hub = new Shares();
  for (const [op, from, to, at] of fleet.legs) {
    if (!(now - at <= f.days * DAY) || at > now || !to || (dep && to === dep)) continue;
    if (operator !== '' && op === operator) ops.add(to, dep && from === dep ? 1 : cfg.otherDepartureWeight);
    if (dep && from === dep) hub.add(to, f.hubWeight);
  }
  const by = new Map<string, HistoryPrior>();
  const spread = (s: Shares, equivalentLegs: number) => {
    if (s.total < f.minLegs || !(s.total > 0) || !(equivalentLegs > 0)) return;
    for (const [icao, e] of s.by) {
      const w = (genericMass * equivalentLegs * e.w) / s.total / cfg.pseudoLegs;
      const p = by.get(icao);
      if (p) {
        p[1] += w;
        p[2] += e.legs;
      } else by.set(icao, [icao, w, e.legs]);
    }
  };
  spread(ops, f.operatorLegs);
  spread(hub, f.equivalentLegs);
  const out = [...by.values()].map(([icao, w, legs]): HistoryPrior => [icao, round(w), legs]);
  out.sort((a, b) => b[1] - a[1]);
  return out.slice(0, cfg.maxAirports);
}

/** Weighted legs per arrival airport. */
class Shares {
  readonly by = new Map<string, { w: number; legs: number }>();
  total = 0;
  add(to: string, w: number): void {
    if (!(w > 0)) return;
    this.total += w;
    const e = this.by.get(to);
    if (e) {
      e.w += w;
      e.legs++;
    } else this.by.set(to, { w, legs: 1 });
  }
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
