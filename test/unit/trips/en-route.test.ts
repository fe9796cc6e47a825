/**
 * En-route prediction and diversions (docs/trips.md) over great-circle and waypoint traces and real airports.
 */
import { tripsSchema, type TripsConfigInput } from '../../../src/config/trips-schema';
import {
  parseCallsignRoutes,
  routePrior,
  tripsExtension,
  type CallsignRouteTable,
  type FleetLeg,
} from '../../../src/trips';
import { generatePathFlight } from '../../../src/sim/route-path';
import { toPolls } from '../../../src/sim';
import { DataError } from '../../../src/data/errors';
import { MIN, T0, airports, detector, ofType, polls, run, simAirport, trace } from '../detect/harness';

const PANC = simAirport('PANC');
const RKSI = simAirport('RKSI');
const ZYTX = simAirport('ZYTX');
const ZYTL = simAirport('ZYTL');
const RJAA = simAirport('RJAA');
const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };

function withRoutes(routes: TripsConfigInput = {}, callsignRoutes?: CallsignRouteTable) {
  return detector({
    destinations: [SHENYANG],
    extensions: [tripsExtension({ cfg: tripsSchema.parse(routes), callsignRoutes })],
  });
}
const of = ofType;

describe('en_route', () => {
  const t = trace({ legs: [{ from: PANC, to: ZYTX }] });

  it('names the configured destination once before landing, with ETA and confidence', async () => {
    const evs = await run(withRoutes(), polls(t));
    const er = of(evs, 'en_route');
    expect(er).toHaveLength(1);
    const e = er[0];
    expect(e.destination).toEqual({ id: 'shenyang' });
    expect(e.airport?.icao).toBe('ZYTX');
    const landing = t.legs[0].landingAt;
    expect(landing - Date.parse(e.time)).toBeGreaterThan(10 * MIN);
    // The default threshold (0.8; bench:routes: false alarms on overflights rise fast below it).
    expect(e.details!.confidence).toBeGreaterThanOrEqual(0.8);
    // ETA within 15 minutes of the real landing; the trip id threads it with the trip's e-mails.
    expect(Math.abs(Date.parse(e.details!.eta) - landing)).toBeLessThan(15 * MIN);
    expect(e.details!.tripId).toBe(of(evs, 'takeoff')[0].details!.tripId);
    expect(e.position).toBeDefined();
    expect(of(evs, 'diversion')).toHaveLength(0);
  });

  it('a lower threshold names a lone far destination an hour or more ahead', async () => {
    const early = of(await run(withRoutes({ enRoute: { threshold: 0.6 } }), polls(t)), 'en_route');
    const normal = of(await run(withRoutes(), polls(t)), 'en_route');
    expect(early).toHaveLength(1);
    expect(t.legs[0].landingAt - Date.parse(early[0].time)).toBeGreaterThan(60 * MIN);
    expect(Date.parse(early[0].time)).toBeLessThan(Date.parse(normal[0].time));
  });

  it('a leg is not announced en route to the destination it departed from; other legs to it are', async () => {
    const CHINA = { id: 'china', airports: ['ZYTX'], countries: ['CN'], radiusNm: 5 };
    const d = () => detector({ destinations: [CHINA], extensions: [tripsExtension({ cfg: tripsSchema.parse({}) })] });
    const ZSPD = simAirport('ZSPD');
    // Shenyang → Shanghai: a hop inside the destination; the landing still reaches it.
    const hop = await run(d(), polls(trace({ legs: [{ from: ZYTX, to: ZSPD }] })));
    expect(of(hop, 'en_route')).toHaveLength(0);
    expect(of(hop, 'destination').map((e) => e.destination?.id)).toEqual(['china']);
    // Seoul → Shanghai: from outside, announced.
    const inbound = await run(d(), polls(trace({ legs: [{ from: RKSI, to: ZSPD }] })));
    expect(of(inbound, 'en_route').map((e) => e.destination?.id)).toEqual(['china']);
  });

  it('the threshold gates it', async () => {
    expect(of(await run(withRoutes({ enRoute: { threshold: 0.999 } }), polls(t)), 'en_route')).toHaveLength(0);
  });

  it('is not raised for a flight to another airport whose route does not point at the destination', async () => {
    const tokyo = trace({ legs: [{ from: PANC, to: RJAA }] });
    expect(of(await run(withRoutes(), polls(tokyo)), 'en_route')).toHaveLength(0);
  });

  it('a leg announced en route that lands elsewhere raises diversion', async () => {
    // Heads for Shenyang, turns to Dalian about 200 nm out.
    const turn = { lat: 40.3, lon: 126.4 };
    const f = generatePathFlight({
      hex: 'a1b2c3',
      start: T0,
      legs: [{ path: [RKSI, { lat: 39.8, lon: 125.2 }, turn, ZYTL] }],
      callsign: 'GXA1',
    });
    const ps = toPolls(f.states, { from: T0, to: f.end + 30 * MIN, watch: { ids: ['glf5'], tags: [] } });
    // Same geometry, first straight on to Shenyang: the en_route must come before the turn.
    const straight = generatePathFlight({
      hex: 'a1b2c3',
      start: T0,
      legs: [{ path: [RKSI, { lat: 39.8, lon: 125.2 }, ZYTX] }],
    });
    const sps = toPolls(straight.states, { from: T0, to: straight.end + 30 * MIN, watch: { ids: ['glf5'], tags: [] } });
    expect(of(await run(withRoutes(), sps), 'en_route')).toHaveLength(1);
    const evs = await run(withRoutes(), ps);
    expect(of(evs, 'en_route').map((e) => e.destination?.id)).toEqual(['shenyang']);
    const dv = of(evs, 'diversion');
    expect(dv).toHaveLength(1);
    expect(dv[0].airport?.icao).toBe('ZYTL');
    expect(dv[0].destination).toEqual({ id: 'shenyang' });
    expect(dv[0].details).toMatchObject({ landedAt: 'ZYTL', predicted: [{ destination: 'shenyang', icao: 'ZYTX' }] });
    expect(dv[0].details!.landingId).toBe(of(evs, 'landing')[0].id);
    expect(of(evs, 'destination')).toHaveLength(0);
  });

  it('no diversion when the announced destination is where it lands', async () => {
    const evs = await run(withRoutes(), polls(trace({ legs: [{ from: RKSI, to: ZYTX }] })));
    expect(of(evs, 'destination')).toHaveLength(1);
    expect(of(evs, 'diversion')).toHaveLength(0);
  });
});

describe('fleet priors (other airframes of the operator or hub)', () => {
  const t = trace({ legs: [{ from: PANC, to: ZYTX }] });
  const DAY = 86_400_000;
  const legs = Array.from({ length: 10 }, (_, k): FleetLeg => ['', 'PANC', 'ZYTX', T0 - (k + 1) * DAY]);
  const withFleet = (routes: TripsConfigInput = {}) =>
    detector({
      destinations: [SHENYANG],
      extensions: [tripsExtension({ cfg: tripsSchema.parse(routes), fleet: () => ({ legs, loadedAt: T0 }) })],
    });

  it('a leg with a fleet prior announces at fleet.threshold, a leg without at enRoute.threshold', async () => {
    const e = of(await run(withFleet(), polls(t)), 'en_route');
    expect(e).toHaveLength(1);
    expect(e[0].details!.confidence).toBeGreaterThanOrEqual(0.85);
    expect(e[0].details!.history?.[0]).toMatchObject({ icao: 'ZYTX', legs: 10 });
    const strict = { enRoute: { history: { fleet: { threshold: 0.999 } } } };
    expect(of(await run(withFleet(strict), polls(t)), 'en_route')).toHaveLength(0);
    expect(of(await run(withRoutes(strict), polls(t)), 'en_route')).toHaveLength(1);
  });
});

describe('callsign routes (weak prior)', () => {
  const table = parseCallsignRoutes(
    'Callsign,Code,Number,AirlineCode,AirportCodes\nGXA1,GXA,1,GXA,PANC-ZYTX\nGXA2,GXA,2,GXA,RKSI-ZYTX-RKSS\nBAD1,GXA,3,GXA,PANC\n',
    'routes.csv',
  );

  it('parses the VRS table and skips rows without a usable airport list, naming file and line', () => {
    expect(table.size).toBe(2);
    expect(table.get('gxa2')).toEqual(['RKSI', 'ZYTX', 'RKSS']);
    expect(table.skipped.count).toBe(1);
    expect(table.skipped.examples[0]).toMatch(/routes\.csv line 4/);
    expect(() => parseCallsignRoutes('Flight,Route\nX,Y\n', 'r.csv')).toThrow(DataError);
    expect(() => parseCallsignRoutes('Flight,Route\nX,Y\n', 'r.csv')).toThrow(
      /r\.csv line 1: header lacks columns Callsign, AirportCodes/,
    );
  });

  it('counts only near the route great circle (max(50 nm, 20 % of its length)) and heading along it', () => {
    // Halfway PANC→ZYTX on the great circle, heading west-south-west.
    const mid = { lat: 57.5, lon: 165.5 };
    const p = routePrior(table.get('GXA1'), airports, mid.lat, mid.lon, 250);
    expect(p?.next).toBe('ZYTX');
    // Far off the route (over Japan): ignored.
    expect(routePrior(table.get('GXA1'), airports, 36, 140, 270)).toBeUndefined();
    // On the route but flying the other way: ignored.
    expect(routePrior(table.get('GXA1'), airports, 57.5, 165.5, 70)).toBeUndefined();
    // Multi-stop route, between Seoul and Shenyang: the direction of flight decides which segment it is on.
    expect(routePrior(table.get('GXA2'), airports, 39.6, 125.0, 330)?.next).toBe('ZYTX');
    expect(routePrior(table.get('GXA2'), airports, 39.6, 125.0, 150)?.next).toBe('RKSS');
  });

  it('a route naming the destination raises confidence only when it fits the track', async () => {
    const t = trace({ legs: [{ from: PANC, to: ZYTX }], callsign: 'GXA1' });
    const plain = of(await run(withRoutes(), polls(t)), 'en_route')[0];
    const prior = of(await run(withRoutes({}, table), polls(t)), 'en_route')[0];
    expect(prior.details!.basis).toBe('track+callsign-route');
    expect(Date.parse(prior.time)).toBeLessThanOrEqual(Date.parse(plain.time));
    // A wrong route (the callsign says RKSI→ZYTX→RKSS while flying PANC→ZYTX) is not used.
    const wrong = trace({ legs: [{ from: PANC, to: ZYTX }], callsign: 'GXA2' });
    const w = of(await run(withRoutes({}, table), polls(wrong)), 'en_route')[0];
    expect(w.details!.basis).toBe('track');
  });
});
