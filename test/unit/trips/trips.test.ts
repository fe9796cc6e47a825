/**
 * Trip stitching (docs/trips.md), driven by great-circle traces (src/sim) over real airports. Each test
 * breaks when its rule is broken: short ground stops continue a trip, long ones close it, a return to the
 * origin country closes it, trip events carry legs/countries/destinations and the legs' positions.
 */
import type { FlightEvent, TripEvent } from '../../../src/domain/event';
import { tripsSchema, type TripsConfigInput } from '../../../src/config/trips-schema';
import { tripsExtension } from '../../../src/trips';
import { HOUR, MIN, T0, detector, ofType, polls, run, simAirport, trace } from '../detect/harness';

const KAEX = simAirport('KAEX');
const PANC = simAirport('PANC');
const RKSI = simAirport('RKSI');
const ZYTX = simAirport('ZYTX');
const KSAT = simAirport('KSAT');
const KHRL = simAirport('KHRL');
const MGGT = simAirport('MGGT');
const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };
const CHINA = { id: 'china', airports: [], countries: ['CN'], radiusNm: 5 };

function withRoutes(routes: TripsConfigInput = {}, destinations = [SHENYANG, CHINA]) {
  return detector({ destinations, extensions: [tripsExtension({ cfg: tripsSchema.parse(routes) })] });
}
const trips = (evs: FlightEvent[]) => ofType(evs, 'trip');
const legsOf = (e: TripEvent) => e.details!.legs.map((l) => `${l.from?.icao}-${l.to?.icao ?? '…'}`);

describe('trips', () => {
  const removal = trace({
    legs: [
      { from: KAEX, to: PANC },
      { from: PANC, to: RKSI, groundBeforeMin: 90 },
      { from: RKSI, to: ZYTX, groundBeforeMin: 60 },
      { from: ZYTX, to: RKSI, groundBeforeMin: 120 },
      { from: RKSI, to: PANC, groundBeforeMin: 60 },
      { from: PANC, to: KAEX, groundBeforeMin: 60 },
    ],
  });

  it('stitches fuel stops into one trip that grows at each landing and closes back in the origin country', async () => {
    const evs = await run(withRoutes(), polls(removal));
    const ts = trips(evs);
    // KAEX-PANC alone is a domestic leg (not announced); from the second landing on the trip grows.
    expect(ts.map((e) => `${e.details!.status}:${e.airport?.icao}`)).toEqual([
      'open:RKSI',
      'open:ZYTX',
      'open:RKSI',
      'closed:PANC',
    ]);
    const tripId = ts[0].details!.tripId;
    expect(ts.every((e) => e.details!.tripId === tripId)).toBe(true);
    expect(ts[0].id).toBe(tripId); // the first trip event is the root of the e-mail thread
    expect(new Set(ts.map((e) => e.id)).size).toBe(ts.length);
    expect(legsOf(ts[3])).toEqual(['KAEX-PANC', 'PANC-RKSI', 'RKSI-ZYTX', 'ZYTX-RKSI', 'RKSI-PANC']);
    expect(ts[3].details).toMatchObject({
      status: 'closed',
      closeReason: 'returned',
      origin: 'US',
      countries: ['KR', 'CN'],
    });
    // Departure/arrival times are the detector's takeoff/landing times.
    const takeoffs = evs.filter((e) => e.type === 'takeoff');
    const legs = ts[3].details!.legs as { departedAt: string; arrivedAt: string }[];
    expect(legs.map((l) => l.departedAt)).toEqual(takeoffs.slice(0, 5).map((e) => e.time));
    // The trip matches destinations by airport reached (ZYTX) and by country reached (CN).
    expect(ts[1].destination).toEqual({ id: 'shenyang' });
    expect(ts[1].details!.destinations).toEqual(['shenyang', 'china']);
    expect(ts[0].details!.destinations).toEqual([]); // RKSI: neither
    // The map gets the whole route: positions from every leg flown so far, and the airports as objects.
    const ev = ts[3].evidence;
    expect(ev.length).toBeGreaterThan(5 * 4);
    for (const [i, l] of removal.legs.slice(0, 5).entries()) {
      const inLeg = ev.filter((p) => Date.parse(p.time) > l.takeoffAt && Date.parse(p.time) <= l.landingAt + MIN);
      expect({ leg: i, n: inLeg.length > 3 }).toEqual({ leg: i, n: true });
    }
    expect(ev.length).toBeLessThanOrEqual(240);
    // Takeoff/landing events of the trip carry its id (one e-mail thread); the last leg is a new trip.
    const landings = evs.filter((e) => e.type === 'landing');
    expect(landings.slice(0, 5).every((e) => e.details!.tripId === tripId)).toBe(true);
    expect(landings[5].details!.tripId).not.toBe(tripId);
  });

  it('a ground stop longer than maxGroundStopMinutes ends the trip (timer, even when the aircraft is not heard)', async () => {
    const t = trace({ legs: [{ from: KAEX, to: MGGT }], groundAfterMin: 5 });
    const d = withRoutes({ stitch: { maxGroundStopMinutes: 120 } }, []);
    const evs = await run(d, polls(t, 4 * 60)); // nothing heard after 5 min on the ground
    const ts = trips(evs);
    expect(ts.map((e) => e.details!.status)).toEqual(['open', 'closed']);
    expect(ts[1].details!.closeReason).toBe('ground-stop-limit');
    expect(Date.parse(ts[1].time) - t.legs[0].landingAt).toBeGreaterThanOrEqual(120 * MIN - 60_000);
    expect(Date.parse(ts[1].time) - t.legs[0].landingAt).toBeLessThanOrEqual(120 * MIN + 60_000);
    expect((await d.store.get('a1b2c3'))?.extDeadline).toBeUndefined();
  });

  it('a short ground stop continues the trip; a long one starts a new trip', async () => {
    const legs = [
      { from: KSAT, to: KHRL },
      { from: KHRL, to: MGGT, groundBeforeMin: 100 },
    ];
    const short = trips(await run(withRoutes({ stitch: { maxGroundStopMinutes: 180 } }, []), polls(trace({ legs }))));
    expect(short.map((e) => legsOf(e).join(','))).toEqual(['KSAT-KHRL,KHRL-MGGT']);
    const long = trips(await run(withRoutes({ stitch: { maxGroundStopMinutes: 60 } }, []), polls(trace({ legs }))));
    // KSAT-KHRL alone: domestic single leg, closed silently; KHRL-MGGT is a trip of its own.
    expect(long.map((e) => legsOf(e).join(','))).toEqual(['KHRL-MGGT']);
  });

  it('single domestic legs are announced only with announceDomestic', async () => {
    const t = trace({ legs: [{ from: KSAT, to: KHRL }] });
    expect(trips(await run(withRoutes({}, []), polls(t)))).toHaveLength(0);
    const on = trips(await run(withRoutes({ stitch: { announceDomestic: true } }, []), polls(t)));
    expect(on.map((e) => e.details!.status)).toEqual(['open']);
  });

  it('routes.enabled: false adds nothing to the detection events', async () => {
    const t = trace({ legs: [{ from: KAEX, to: MGGT }] });
    const plain = await run(detector({ destinations: [] }), polls(t));
    const off = await run(withRoutes({ enabled: false }, []), polls(t));
    expect(off).toEqual(plain);
    const on = await run(withRoutes({}, []), polls(t));
    expect(on.length).toBeGreaterThan(plain.length);
    void HOUR;
    void T0;
  });
});
