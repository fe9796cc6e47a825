/**
 * Fleet priors (src/trips/fleet-priors.ts): where an operator's and a hub's archived legs went becomes a prior
 * for an airframe with little history, weighed as a few of its own legs and fading as its own legs accumulate.
 */
import { tripsSchema } from '../../../src/config/trips-schema';
import { fleetPriors, mergePriors, operatorKey, type FleetLeg } from '../../../src/trips/fleet-priors';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const cfg = (fleet: Record<string, unknown> = {}) =>
  tripsSchema.parse({ enRoute: { history: { fleet } } }).enRoute.history;
const G = 12; // generic prior mass; with pseudoLegs 12, weight = equivalentLegs × share
const of = (legs: FleetLeg[]) => ({ legs, loadedAt: NOW });

it('an operator is its ICAO callsign prefix, else the database operator, else nothing', () => {
  expect(operatorKey('GXA6123')).toBe('GXA');
  expect(operatorKey(' gxa6123 ')).toBe('GXA');
  expect(operatorKey('N917XA', 'GlobalX')).toBe('GLOBALX');
  expect(operatorKey(undefined)).toBe('');
});

it("spreads `operatorLegs` over where the operator's legs from this departure went", () => {
  const legs: FleetLeg[] = [
    ['GXA', 'KAEX', 'MGGT', NOW - DAY],
    ['GXA', 'KAEX', 'MGGT', NOW - 2 * DAY],
    ['GXA', 'KAEX', 'MHLM', NOW - 3 * DAY],
    ['GXA', 'KAEX', 'KAEX', NOW - 3 * DAY], // back home: says nothing about a leg out of KAEX
    ['SWQ', 'KMIA', 'MDSD', NOW - DAY], // another operator from another hub: nothing
  ];
  const p = fleetPriors(of(legs), 'GXA', 'KAEX', NOW, G, cfg({ operatorLegs: 3, equivalentLegs: 0, minLegs: 1 }));
  expect(p).toEqual([
    ['MGGT', 2, 2],
    ['MHLM', 1, 1],
  ]);
});

it('weighs the operator (other departures at otherDepartureWeight) and the hub (any operator) apart', () => {
  const legs: FleetLeg[] = [
    ['SWQ', 'KAEX', 'MSLP', NOW - DAY], // same hub, other operator: hub only
    ['GXA', 'KIWA', 'MGGT', NOW - DAY], // same operator, other hub: 0.25 of an operator leg
    ['GXA', 'KAEX', 'MHLM', NOW - DAY], // both
  ];
  const p = fleetPriors(of(legs), 'GXA', 'KAEX', NOW, G, cfg({ operatorLegs: 5, equivalentLegs: 2, minLegs: 0 }));
  // Operator: MHLM 5 × 1/1.25, MGGT 5 × 0.25/1.25; hub: MSLP and MHLM 2 × 1/2 each.
  expect(Object.fromEntries(p.map(([icao, w]) => [icao, w]))).toEqual({ MHLM: 5, MSLP: 1, MGGT: 1 });
  // A new airframe with no operator callsign still gets the hub's prior.
  expect(
    fleetPriors(of(legs), '', 'KAEX', NOW, G, cfg({ minLegs: 0 }))
      .map((x) => x[0])
      .sort(),
  ).toEqual(['MHLM', 'MSLP']);
});

it("a busy hub does not dilute the operator's habit", () => {
  const legs: FleetLeg[] = [
    ...Array.from({ length: 100 }, (_, k): FleetLeg => ['SWQ', 'KAEX', `K${k}`, NOW - DAY]),
    ['GXA', 'KAEX', 'MGGT', NOW - DAY],
    ['GXA', 'KAEX', 'MGGT', NOW - 2 * DAY],
    ['GXA', 'KAEX', 'MGGT', NOW - 3 * DAY],
  ];
  const p = fleetPriors(of(legs), 'GXA', 'KAEX', NOW, G, cfg({ operatorLegs: 6, equivalentLegs: 4, minLegs: 3 }));
  // All six operator legs' worth on MGGT, plus its 3 of 103 hub legs × 4.
  expect(p[0]).toEqual(['MGGT', 6.117, 6]);
});

it('says nothing with too few legs, legs outside the window, or when disabled', () => {
  const legs: FleetLeg[] = [
    ['GXA', 'KAEX', 'MGGT', NOW - DAY],
    ['GXA', 'KAEX', 'MGGT', NOW - 91 * DAY], // older than 90 days
    ['GXA', 'KAEX', 'MGGT', NOW + DAY], // after the leg: not known yet
  ];
  expect(fleetPriors(of(legs), 'GXA', 'KAEX', NOW, G, cfg({ minLegs: 2 }))).toEqual([]);
  expect(fleetPriors(of(legs), 'GXA', 'KAEX', NOW, G, cfg({ minLegs: 1 }))).toHaveLength(1);
  expect(fleetPriors(of(legs), 'GXA', 'KAEX', NOW, G, cfg({ minLegs: 1, enabled: false }))).toEqual([]);
  expect(fleetPriors(undefined, 'GXA', 'KAEX', NOW, G, cfg())).toEqual([]);
});

it("merges with the airframe's own priors, the fleet fading as its own legs accumulate", () => {
  const own: [string, number, number][] = [['MGGT', 3, 3]];
  const fleet: [string, number, number][] = [
    ['MHLM', 2, 10],
    ['MGGT', 1, 5],
  ];
  expect(mergePriors([], fleet, 0, 8)).toEqual([
    ['MHLM', 2, 10],
    ['MGGT', 1, 5],
  ]);
  // Three own legs: the fleet counts a quarter.
  expect(mergePriors(own, fleet, 3, 8)).toEqual([
    ['MGGT', 3.25, 3],
    ['MHLM', 0.5, 10],
  ]);
  expect(mergePriors(own, fleet, 3, 1)).toEqual([['MGGT', 3.25, 3]]);
});
