/**
 * Airframe history (src/trips/history.ts): what is remembered and how it turns into prior weights; and, through
 * the real detector, that a tail that flew a route before is announced earlier on it — and only when enabled.
 */
import type { FlightEvent } from '../../../src/domain/event';
import { tripsSchema, type TripsConfigInput } from '../../../src/config/trips-schema';
import { tripsExtension } from '../../../src/trips';
import { historyPriors, recordLanding, type HistoryLeg } from '../../../src/trips/history';
import { tripsTrackState } from '../../../src/trips/state';
import { newTrack } from '../../../src/detect';
import { MIN, T0, detector, ofType, polls, run, simAirport, summary, trace } from '../detect/harness';

const DAY = 86_400_000;
const cfg = (over: Record<string, unknown> = {}) => tripsSchema.parse({ enRoute: { history: over } }).enRoute.history;

describe('recordLanding', () => {
  it('appends, forgets legs older than `days` and keeps at most `maxLegs`, oldest dropped first', () => {
    const c = cfg({ days: 10, maxLegs: 3 });
    let h: HistoryLeg[] | undefined;
    h = recordLanding(h, 'KAEX', 'MGGT', 0, c);
    h = recordLanding(h, 'MGGT', 'KAEX', 1 * DAY, c);
    h = recordLanding(h, null, 'MHLM', 2 * DAY, c);
    expect(h).toEqual([
      ['KAEX', 'MGGT', 0],
      ['MGGT', 'KAEX', DAY],
      ['', 'MHLM', 2 * DAY],
    ]);
    h = recordLanding(h, 'MHLM', 'KAEX', 3 * DAY, c);
    expect(h.map((x) => x[1])).toEqual(['KAEX', 'MHLM', 'KAEX']);
    // Eleven days later everything before day 3 is forgotten.
    h = recordLanding(h, 'KAEX', 'MSLP', 13.5 * DAY, c);
    expect(h).toEqual([['KAEX', 'MSLP', 13.5 * DAY]]);
  });

  it('state of another shape (another version, a hand edit) starts afresh instead of throwing', () => {
    const c = cfg();
    expect(recordLanding({} as unknown as HistoryLeg[], 'KAEX', 'MGGT', 5, c)).toEqual([['KAEX', 'MGGT', 5]]);
    expect(recordLanding([null, ['KAEX', 'MHLM', 1]] as unknown as HistoryLeg[], 'KAEX', 'MGGT', 5, c)).toEqual([
      ['KAEX', 'MHLM', 1],
      ['KAEX', 'MGGT', 5],
    ]);
    expect(historyPriors({ a: 1 } as unknown as HistoryLeg[], 'KAEX', 5, 8, c)).toEqual([]);
    expect(
      historyPriors([null, ['KAEX', 7, 1], ['KAEX', 'MGGT', 1]] as unknown as HistoryLeg[], 'KAEX', 5, 8, c).map(
        (x) => x[0],
      ),
    ).toEqual(['MGGT']);
  });
});

describe('historyPriors', () => {
  const hist: HistoryLeg[] = [
    ['KAEX', 'MGGT', 1],
    ['MGGT', 'KAEX', 2],
    ['KAEX', 'MGGT', 3],
    ['KAEX', 'MHLM', 4],
    ['KHRL', 'MSLP', 5],
    ['MSLP', 'KAEX', 6],
  ];

  it('weighs past legs from the same departure 1, others otherDepartureWeight, scaled by G / pseudoLegs', () => {
    const c = cfg({ pseudoLegs: 4, otherDepartureWeight: 0.5 });
    const p = historyPriors(hist, 'KAEX', 10, 8, c);
    // KAEX → KAEX legs say nothing about where a leg out of KAEX goes; MGGT → KAEX is such a leg.
    expect(p).toEqual([
      ['MGGT', (8 * 2) / 4, 2],
      ['MHLM', (8 * 1) / 4, 1],
      ['MSLP', (8 * 0.5) / 4, 1],
    ]);
  });

  it('a leg first seen in the air (departure unknown) weighs every past leg otherDepartureWeight', () => {
    const c = cfg({ pseudoLegs: 1, otherDepartureWeight: 0.25 });
    const p = Object.fromEntries(historyPriors(hist, null, 10, 4, c).map(([icao, w, legs]) => [icao, [w, legs]]));
    expect(p).toEqual({ MGGT: [2, 2], KAEX: [2, 2], MHLM: [1, 1], MSLP: [1, 1] });
  });

  it('strongest first, at most maxAirports; nothing when disabled, empty, or too old', () => {
    expect(historyPriors(hist, 'KAEX', 10, 8, cfg({ maxAirports: 1 })).map((x) => x[0])).toEqual(['MGGT']);
    expect(historyPriors(hist, 'KAEX', 10, 8, cfg({ enabled: false }))).toEqual([]);
    expect(historyPriors([], 'KAEX', 10, 8, cfg())).toEqual([]);
    expect(historyPriors(undefined, 'KAEX', 10, 8, cfg())).toEqual([]);
    expect(historyPriors(hist, 'KAEX', 10 + 91 * DAY, 8, cfg({ days: 90 }))).toEqual([]);
    // Legs "from the future" (clock skew between replicas) do not count either.
    expect(historyPriors(hist, 'KAEX', 0, 8, cfg())).toEqual([]);
  });
});

describe('history in the en-route prediction', () => {
  const PANC = simAirport('PANC');
  const ZYTX = simAirport('ZYTX');
  const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };
  const withRoutes = (routes: TripsConfigInput = {}) =>
    detector({ destinations: [SHENYANG], extensions: [tripsExtension({ cfg: tripsSchema.parse(routes) })] });
  const of = ofType;
  const out = { from: PANC, to: ZYTX, cruiseAltFt: 39_000 };
  const back = { from: ZYTX, to: PANC, groundBeforeMin: 90, cruiseAltFt: 39_000 };
  // Two rotations Anchorage → Shenyang → Anchorage, then the same outbound leg again.
  const rotations = trace({
    legs: [out, back, { ...out, groundBeforeMin: 240 }, back, { ...out, groundBeforeMin: 240 }],
  });
  const fresh = trace({ legs: [out] });
  const leadOf = (evs: FlightEvent[], landingAt: number, after: number) => {
    const e = of(evs, 'en_route').find((x) => Date.parse(x.time) > after);
    return e ? { lead: (landingAt - Date.parse(e.time)) / MIN, e } : undefined;
  };

  it('a tail that flew the route before is announced earlier on it, and says why', async () => {
    const last = rotations.legs[4];
    const withHistory = leadOf(
      await run(withRoutes({ enRoute: { history: { pseudoLegs: 2 } } }), polls(rotations)),
      last.landingAt,
      last.takeoffAt,
    );
    const first = leadOf(await run(withRoutes(), polls(fresh)), fresh.legs[0].landingAt, 0);
    expect(first).toBeDefined();
    expect(withHistory).toBeDefined();
    expect(withHistory!.lead).toBeGreaterThan(first!.lead + 15);
    expect(withHistory!.e.details!.basis).toBe('track+history');
    expect(withHistory!.e.details!.history).toEqual([{ icao: 'ZYTX', weight: expect.any(Number), legs: 2 }]);
    expect(first!.e.details!.basis).toBe('track');
    expect(first!.e.details!.history).toBeUndefined();
  });

  it('history disabled: the same leg is announced exactly as for a tail without a past', async () => {
    const last = rotations.legs[4];
    const off = leadOf(
      await run(withRoutes({ enRoute: { history: { enabled: false } } }), polls(rotations)),
      last.landingAt,
      last.takeoffAt,
    );
    const first = leadOf(await run(withRoutes(), polls(fresh)), fresh.legs[0].landingAt, 0);
    // Same geometry; only the phase of the once-a-minute evaluation differs.
    expect(Math.abs(off!.lead - first!.lead)).toBeLessThan(1.5);
    expect(off!.e.details!.basis).toBe('track');
  });
});

describe('the trips state a step reads back (src/trips/state.ts)', () => {
  const hist: HistoryLeg[] = [['KAEX', 'MGGT', 1]];
  const trip = {
    id: 'trip1',
    status: 'open',
    origin: 'US',
    legs: [{ from: null, departedAt: 5, src: 's', pts: [[5, 31, -92, 9000, 6]], gap: 120_000 }],
    countries: [],
    announced: false,
  };
  const leg = { key: 5, dep: 'KAEX', evalAt: 0, streak: { shenyang: 1 }, emitted: [] };
  const stateWith = (ext: Record<string, unknown>) => Object.assign(newTrack('a1b2c3', T0), { ext });

  it('state an older release kept under ext.routes moves to ext.trips', () => {
    const st = stateWith({ routes: { trip, leg, hist } });
    expect(tripsTrackState(st)).toEqual({ trip, leg, hist });
    expect(st.ext).toEqual({ trips: { trip, leg, hist } });
  });

  it('next to ext.trips, a leftover ext.routes (an older replica in a rolling upgrade) is dropped, not used', () => {
    const st = stateWith({ trips: { hist }, routes: { trip, leg } });
    expect(tripsTrackState(st)).toEqual({ hist });
    expect(Object.keys(st.ext)).toEqual(['trips']);
  });

  it('each part of another shape starts afresh; the rest is kept', () => {
    expect(tripsTrackState(stateWith({ trips: { trip: { ...trip, legs: null }, leg, hist } }))).toEqual({ leg, hist });
    expect(tripsTrackState(stateWith({ trips: { trip, leg: { ...leg, streak: [] }, hist: {} } }))).toEqual({ trip });
    expect(tripsTrackState(stateWith({ trips: { trip: { ...trip, status: 'paused' } } }))).toEqual({});
    const badPoint = { ...trip.legs[0], pts: [[5, 31, -92, 'FL090', 6]] };
    expect(tripsTrackState(stateWith({ trips: { trip: { ...trip, legs: [badPoint] }, hist } }))).toEqual({ hist });
    expect(tripsTrackState(stateWith({ trips: 'x' }))).toEqual({});
    expect(tripsTrackState(stateWith({ trips: [trip] }))).toEqual({});
  });

  it('through the detector: a stored trip of another shape does not break the step; the flight is still followed', async () => {
    const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
    const ps = polls(t);
    const cut = ps.findIndex((p) => p.now >= t.legs[0].topOfClimbAt + 5 * MIN);
    const d = detector({ extensions: [tripsExtension({ cfg: tripsSchema.parse({}) })] });
    const before = await run(d, ps.slice(0, cut));
    // The memory store hands out its live state: replace the entry as if it had been read back malformed.
    const st = (await d.store.get('a1b2c3'))!;
    st.ext = { trips: { trip: { id: 7, legs: 'none' }, leg: 'none', hist } };
    const after = await run(d, ps.slice(cut));
    expect(summary(before)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
    expect(summary(after)).toEqual(['landing:KSAT']);
    expect(tripsTrackState(st).trip?.legs.at(-1)?.to?.icao).toBe('KSAT');
  });
});
