/**
 * One test per detection rule (docs/events.md), driven by great-circle traces from src/sim over real airports.
 * Each asserts the behaviour the rule promises, so breaking the rule fails the test.
 */
import type { FlightEvent } from '../../../src/domain/event';
import { toPolls, type Poll } from '../../../src/sim';
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { HOUR, MIN, T0, asType, detector, ms, polls, run, simAirport, summary, trace } from './harness';

const KAEX = simAirport('KAEX');
const PANC = simAirport('PANC');
const ZYTX = simAirport('ZYTX');
const MGGT = simAirport('MGGT');
const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };

const near = (a: number, b: number, tolMs: number) => Math.abs(a - b) <= tolMs;

describe('multi-leg trip with a fuel stop', () => {
  const t = trace({
    legs: [
      { from: KAEX, to: PANC },
      { from: PANC, to: ZYTX, groundBeforeMin: 75 },
    ],
  });

  it('KAEX → PANC → ZYTX yields seen, takeoff, landing, takeoff, landing, destination with the right airports and times', async () => {
    const evs = await run(detector({ destinations: [SHENYANG] }), polls(t));
    expect(summary(evs)).toEqual([
      'seen:KAEX',
      'takeoff:KAEX',
      'landing:PANC',
      'takeoff:PANC',
      'landing:ZYTX',
      'destination:ZYTX>shenyang',
    ]);
    const [, to1, ld1, to2, ld2, dest] = evs;
    expect(near(ms(to1.time), t.legs[0].takeoffAt, 30_000)).toBe(true);
    expect(near(ms(ld1.time), t.legs[0].landingAt, 30_000)).toBe(true);
    expect(near(ms(to2.time), t.legs[1].takeoffAt, 30_000)).toBe(true);
    expect(near(ms(ld2.time), t.legs[1].landingAt, 30_000)).toBe(true);
    expect(ld1.details).toMatchObject({ inferred: false, departure: 'KAEX' });
    expect(ld2.details).toMatchObject({ inferred: false, departure: 'PANC' });
    expect(
      Math.abs(asType(ld2, 'landing').details!.flightMinutes! - (t.legs[1].landingAt - t.legs[1].takeoffAt) / MIN),
    ).toBeLessThanOrEqual(1);
    expect(dest.destination).toEqual({ id: 'shenyang' });
    expect(dest.details).toMatchObject({ via: 'airport', landingId: ld2.id });
    expect(dest.airport?.tz).toBe('Asia/Shanghai');
    // Time order, unique ids.
    expect(evs.map((e) => e.time)).toEqual([...evs.map((e) => e.time)].sort());
    expect(new Set(evs.map((e) => e.id)).size).toBe(evs.length);
  });

  it('fuel stop without ground coverage: landing at PANC is inferred after the timeout, then takeoff from PANC', async () => {
    const leg0 = t.legs[0];
    const leg1 = t.legs[1];
    const gapped = trace({
      legs: [
        { from: KAEX, to: PANC },
        { from: PANC, to: ZYTX, groundBeforeMin: 75 },
      ],
      // Lost 2 minutes before touchdown (≈ 2,000 ft, 8 nm out), found again 3 minutes into the climb.
      gaps: [{ from: leg0.landingAt - 2 * MIN, to: leg1.takeoffAt + 3 * MIN }],
    });
    const evs = await run(detector({ destinations: [SHENYANG] }), polls(gapped));
    expect(summary(evs)).toEqual([
      'seen:KAEX',
      'takeoff:KAEX',
      'landing:PANC*',
      'takeoff:PANC*',
      'landing:ZYTX',
      'destination:ZYTX>shenyang',
    ]);
    const landing = asType(evs[2], 'landing');
    expect(landing.details).toMatchObject({ inferred: true, reason: 'signal-lost-low-slow', departure: 'KAEX' });
    // Estimated touchdown: after the last position, no later than the timeout.
    const lastSeen = ms(landing.details!.signalLostAt!);
    expect(ms(landing.time)).toBeGreaterThan(lastSeen);
    expect(ms(landing.time)).toBeLessThanOrEqual(lastSeen + 10 * MIN);
    expect(near(ms(landing.time), leg0.landingAt, 3 * MIN)).toBe(true);
    expect(landing.evidence.length).toBeGreaterThanOrEqual(1);
    // Second takeoff: departure from the inferred arrival, time estimated back from the climb.
    expect(evs[3].details).toMatchObject({ inferred: true });
    expect(near(ms(evs[3].time), leg1.takeoffAt, 2 * MIN)).toBe(true);
  });
});

describe('no takeoff/landing from a coverage gap at cruise altitude', () => {
  it('a three-hour gap at FL410 (empty replies all along) produces nothing', async () => {
    const base = trace({ legs: [{ from: KAEX, to: PANC }] });
    const leg = base.legs[0];
    const t = trace({
      legs: [{ from: KAEX, to: PANC }],
      gaps: [{ from: leg.topOfClimbAt + 10 * MIN, to: leg.topOfClimbAt + 190 * MIN }],
    });
    const evs = await run(detector(), polls(t));
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX', 'landing:PANC']);
    expect(evs[2].details).toMatchObject({ inferred: false });
  });

  it('an aircraft lost at cruise and never heard again is not landed (24 h of empty polls)', async () => {
    const base = trace({ legs: [{ from: KAEX, to: PANC }] });
    const leg = base.legs[0];
    const t = trace({ legs: [{ from: KAEX, to: PANC }], gaps: [{ from: leg.topOfClimbAt + 30 * MIN, to: Infinity }] });
    const d = detector();
    const evs = await run(d, polls(t, 24 * 60));
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
    expect((await d.store.get('a1b2c3'))?.phase).toBe('airborne');
  });

  it('lost at cruise, found climbing out of the fuel stop: the open leg closed at PANC, then a takeoff from PANC', async () => {
    const base = trace({
      legs: [
        { from: KAEX, to: PANC },
        { from: PANC, to: ZYTX, groundBeforeMin: 60 },
      ],
    });
    const [l0, l1] = base.legs;
    const t = trace({
      legs: [
        { from: KAEX, to: PANC },
        { from: PANC, to: ZYTX, groundBeforeMin: 60 },
      ],
      gaps: [{ from: l0.topOfDescentAt - 30 * MIN, to: l1.takeoffAt + 2 * MIN }],
    });
    const evs = await run(detector(), polls(t));
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX', 'landing:PANC*', 'takeoff:PANC*', 'landing:ZYTX']);
    expect(evs[2].details).toMatchObject({ reason: 'closed-by-next-takeoff', inferred: true, departure: 'KAEX' });
    expect(evs[2].details).toHaveProperty('gapS');
    expect(Date.parse(evs[2].time)).toBeLessThan(Date.parse(evs[3].time));
    expect(evs[3].details).toMatchObject({ reason: 'reacquired-climbing' });
  });

  it('lost at cruise, found descending low near the destination: a landing, not a takeoff', async () => {
    const base = trace({ legs: [{ from: KAEX, to: PANC }] });
    const leg = base.legs[0];
    const t = trace({
      legs: [{ from: KAEX, to: PANC }],
      gaps: [{ from: leg.topOfClimbAt + 30 * MIN, to: leg.landingAt - 4 * MIN }],
    });
    const evs = await run(detector(), polls(t));
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX', 'landing:PANC']);
  });

  it('cruise → gap → cruise that looks like a climb far from any airport is not a takeoff', async () => {
    // Step climb over the Pacific after a gap: climbing, but no airport within 30 nm.
    const d = detector();
    const rec = (t: number, alt: number, vr: number, lat: number, lon: number): MatchedAircraft => ({
      hex: 'c0ffee',
      lat,
      lon,
      altFt: alt,
      onGround: false,
      gsKt: 470,
      trackDeg: 280,
      vrateFpm: vr,
      flags: { military: false, interesting: false, pia: false, ladd: false },
      positionAgeS: 0,
      observedAt: t,
      positionAt: t,
      sourceId: 'sim',
      fetchedAt: t,
      watch: { ids: ['x'], tags: [] },
    });
    await d.process([rec(T0, 37000, 0, 45, -170)], T0);
    const evs = await d.process([rec(T0 + 2 * HOUR, 39000, 1000, 47, -178)], T0 + 2 * HOUR);
    expect(evs).toEqual([]);
  });
});

describe('stale positions never count as fresh', () => {
  const aircraft = (over: Partial<MatchedAircraft>): MatchedAircraft => ({
    hex: 'abc123',
    onGround: false,
    flags: { military: false, interesting: false, pia: false, ladd: false },
    observedAt: T0,
    sourceId: 'adsbx',
    fetchedAt: T0,
    watch: { ids: ['w'], tags: [] },
    ...over,
  });

  it('ADS-C stretch over the ocean: no events, and an ADS-C report at low altitude near an airport arms no landing timer', async () => {
    const base = trace({ legs: [{ from: PANC, to: ZYTX }] });
    const leg = base.legs[0];
    const t = trace({
      legs: [{ from: PANC, to: ZYTX }],
      adsc: [{ from: leg.topOfClimbAt + 20 * MIN, to: leg.topOfDescentAt - 20 * MIN, ageS: 900 }],
    });
    const d = detector();
    expect(summary(await run(d, polls(t)))).toEqual(['seen:PANC', 'takeoff:PANC', 'landing:ZYTX']);

    const d2 = detector();
    // Fresh at cruise, then only stale ADS-C reports that put it low and slow next to ZYTX.
    await d2.process([aircraft({ lat: 40, lon: 125, altFt: 39000, gsKt: 450, positionAt: T0, positionAgeS: 0 })], T0);
    for (let i = 1; i <= 60; i++) {
      const now = T0 + i * MIN;
      const evs = await d2.process(
        [
          aircraft({
            lat: 41.64,
            lon: 123.5,
            altFt: 1500,
            gsKt: 150,
            sourceType: 'adsc',
            observedAt: now,
            positionAt: now - 60_000,
            positionAgeS: 60,
          }),
        ],
        now,
      );
      expect(evs).toEqual([]);
    }
    const st = await d2.store.get('abc123');
    expect(st?.phase).toBe('airborne');
    expect(st?.deadline).toBeUndefined();
  });

  it('a ground report older than poll.maxPositionAgeS does not land an airborne aircraft', async () => {
    const d = detector({ maxPositionAgeS: 60 });
    await d.process(
      [aircraft({ lat: 41.0, lon: 123.0, altFt: 30000, gsKt: 450, positionAt: T0, positionAgeS: 1 })],
      T0,
    );
    const later = T0 + 5 * MIN;
    const evs = await d.process(
      [
        aircraft({
          lat: ZYTX.lat,
          lon: ZYTX.lon,
          onGround: true,
          gsKt: 10,
          observedAt: later,
          positionAt: later - 120_000,
          positionAgeS: 120,
        }),
      ],
      later,
    );
    expect(evs).toEqual([]);
    expect((await d.store.get('abc123'))?.phase).toBe('airborne');
    // The same report when fresh is a landing: the rule, not the data, suppressed it.
    const fresh = await d.process(
      [
        aircraft({
          lat: ZYTX.lat,
          lon: ZYTX.lon,
          onGround: true,
          gsKt: 10,
          observedAt: later + MIN,
          positionAt: later + MIN,
          positionAgeS: 0,
        }),
      ],
      later + MIN,
    );
    // (one ground report is confirmed by the next or, as here, by the timer)
    const confirmed = [...fresh, ...(await d.process([], later + 3 * MIN))];
    expect(summary(confirmed)).toEqual(['landing:ZYTX*']);
  });

  it('first heard only through ADS-C: seen (flagged stale), no takeoff', async () => {
    const d = detector();
    const evs = await d.process(
      [
        aircraft({
          lat: 50,
          lon: -160,
          altFt: 41000,
          gsKt: 480,
          vrateFpm: 1500,
          sourceType: 'adsc',
          positionAt: T0 - 600_000,
          positionAgeS: 600,
        }),
      ],
      T0,
    );
    expect(summary(evs)).toEqual(['seen']);
    expect(evs[0].details).toMatchObject({ stale: true, firstSighting: true });
    expect(evs[0].evidence[0]).toMatchObject({ positionAgeS: 600, source: 'adsbx' });
  });
});

describe('an empty reply means "not heard", never "landed"', () => {
  it('empty polls while descending high (FL200) never land the aircraft', async () => {
    const base = trace({ legs: [{ from: KAEX, to: MGGT }] });
    const leg = base.legs[0];
    // Lost during descent at about 20,000 ft above MGGT's 4,952 ft, 70+ nm out: not low, not near.
    const t = trace({ legs: [{ from: KAEX, to: MGGT }], gaps: [{ from: leg.topOfDescentAt + 5 * MIN, to: Infinity }] });
    const d = detector();
    const evs = await run(d, polls(t, 12 * 60));
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
  });

  it('lost on the descent 7,000 ft above MGGT, 14 nm out: an inferred landing there, with its confidence', async () => {
    const base = trace({ legs: [{ from: KAEX, to: MGGT }] });
    const leg = base.legs[0];
    const t = trace({ legs: [{ from: KAEX, to: MGGT }], gaps: [{ from: leg.landingAt - 3.5 * MIN, to: Infinity }] });
    const d = detector();
    const evs = await run(d, polls(t, 6 * 60));
    const last = t.states[t.states.length - 1];
    expect(last.altFt! - 4952).toBeGreaterThan(5000);
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX', 'landing:MGGT*']);
    expect(evs[2].details).toMatchObject({
      reason: 'signal-lost-low-slow',
      airportInference: { aircraftClass: 'jet', basis: 'airport-position' },
    });
  });

  it('low and slow near an airport: nothing before the timeout, an inferred landing once it passes', async () => {
    const base = trace({ legs: [{ from: KAEX, to: MGGT }] });
    const leg = base.legs[0];
    const t = trace({ legs: [{ from: KAEX, to: MGGT }], gaps: [{ from: leg.landingAt - 90_000, to: Infinity }] });
    const d = detector({ detect: { landingTimeoutMinutes: 10 } });
    const ps = polls(t, 60);
    const lastHeard = Math.max(...t.states.map((s) => s.observedAt));
    let landedAt: number | undefined;
    const evs: FlightEvent[] = [];
    for (const p of ps) {
      const out = await d.process(p.batch, p.now);
      if (out.some((e) => e.type === 'landing')) landedAt ??= p.now;
      evs.push(...out);
    }
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX', 'landing:MGGT*']);
    expect(landedAt).toBeGreaterThanOrEqual(lastHeard + 10 * MIN);
    expect(landedAt).toBeLessThan(lastHeard + 10 * MIN + 31_000);
    expect(evs[2].airport).toMatchObject({ icao: 'MGGT', country: 'GT', tz: 'America/Guatemala' });
  });
});

describe('squawk held for a minimum time', () => {
  const legs = [{ from: KAEX, to: PANC }];
  const base = trace({ legs });
  // On the 30 s position grid, so the squawk starts exactly at a position.
  const cruise = T0 + Math.ceil((base.legs[0].topOfClimbAt + 30 * MIN - T0) / 30_000) * 30_000;

  it('7700 for 45 s (two polls) does not fire with a 60 s hold', async () => {
    const t = trace({ legs, squawks: [{ from: cruise, to: cruise + 45_000, code: '7700' }] });
    const evs = await run(detector({ detect: { squawkHoldSeconds: 60 } }), polls(t));
    expect(evs.filter((e) => e.type === 'squawk')).toEqual([]);
  });

  it('7700 for 3 minutes fires once, timed at its start, with both ends as evidence', async () => {
    const t = trace({ legs, squawks: [{ from: cruise, to: cruise + 3 * MIN, code: '7700' }] });
    const evs = (await run(detector({ detect: { squawkHoldSeconds: 60 } }), polls(t))).filter(
      (e) => e.type === 'squawk',
    );
    expect(evs).toHaveLength(1);
    expect(ms(evs[0].time)).toBe(cruise);
    expect(evs[0].details).toMatchObject({ code: '7700', meaning: 'emergency' });
    expect(evs[0].details!.heldS).toBeGreaterThanOrEqual(60);
    expect(evs[0].evidence).toHaveLength(2);
  });

  it('a new squawk period later is a new event; 2000 in between ends the first', async () => {
    const t = trace({
      legs,
      squawks: [
        { from: cruise, to: cruise + 3 * MIN, code: '7600' },
        { from: cruise + 60 * MIN, to: cruise + 65 * MIN, code: '7600' },
      ],
    });
    const evs = (await run(detector(), polls(t))).filter((e) => e.type === 'squawk');
    expect(evs.map((e) => ms(e.time))).toEqual([cruise, cruise + 60 * MIN]);
    expect(new Set(evs.map((e) => e.id)).size).toBe(2);
  });
});

describe('quiet period', () => {
  const parked = (fromMs: number, minutes: number) =>
    trace({ start: fromMs, legs: [{ from: KAEX, to: PANC, groundBeforeMin: minutes }] }).states.filter(
      (s) => s.onGround && s.observedAt < fromMs + minutes * MIN,
    );

  it('seen again after the quiet period (on the ground: names the airport), not after a shorter absence', async () => {
    const d = detector({ detect: { quietPeriodMinutes: 360 } });
    const a = parked(T0, 5);
    const b = parked(T0 + 2 * HOUR, 5); // 2 h absence
    const c = parked(T0 + 9 * HOUR, 5); // 7 h absence
    const evs = await run(
      d,
      toPolls([...a, ...b, ...c], { from: T0, to: T0 + 10 * HOUR, watch: { ids: ['w'], tags: [] } }),
    );
    expect(summary(evs)).toEqual(['seen:KAEX', 'seen:KAEX']);
    expect(evs[1].details).toMatchObject({ firstSighting: false });
    expect(asType(evs[1], 'seen').details!.quietMinutes).toBeGreaterThanOrEqual(6 * 60);
    expect(ms(evs[1].time)).toBe(T0 + 9 * HOUR);
  });
});

describe('never the same event twice for one transition', () => {
  const legs = [
    { from: KAEX, to: PANC },
    { from: PANC, to: ZYTX, groundBeforeMin: 45 },
  ];

  it('every poll delivered twice (retried job) gives the same events as once', async () => {
    const t = trace({ legs });
    const once = await run(detector({ destinations: [SHENYANG] }), polls(t));
    const d = detector({ destinations: [SHENYANG] });
    const twice: FlightEvent[] = [];
    for (const p of polls(t)) {
      twice.push(...(await d.process(p.batch, p.now)));
      twice.push(...(await d.process(p.batch, p.now)));
    }
    expect(twice).toEqual(once);
  });

  it('two sources reporting the same positions (second lagging one poll) do not double events', async () => {
    const t = trace({ legs });
    const lagged = t.states.map((s) => ({
      ...s,
      sourceId: 'b',
      observedAt: s.observedAt + 30_000,
      fetchedAt: s.fetchedAt + 30_000,
    }));
    const ps: Poll[] = toPolls([...t.states, ...lagged], {
      from: t.start,
      to: t.end + 30 * MIN,
      watch: { ids: ['glf5'], tags: [] },
    });
    const evs = await run(detector({ destinations: [SHENYANG] }), ps);
    expect(summary(evs)).toEqual([
      'seen:KAEX',
      'takeoff:KAEX',
      'landing:PANC',
      'takeoff:PANC',
      'landing:ZYTX',
      'destination:ZYTX>shenyang',
    ]);
  });

  it('re-detection is idempotent: a second detector over the same data yields identical ids', async () => {
    const t = trace({ legs });
    const a = await run(detector({ destinations: [SHENYANG] }), polls(t));
    const b = await run(detector({ destinations: [SHENYANG] }), polls(t));
    expect(b.map((e) => e.id)).toEqual(a.map((e) => e.id));
    expect(a.every((e) => /^[0-9a-f]{32}$/.test(e.id))).toBe(true);
  });

  it('a position older than the newest one (a lagging source) changes nothing', async () => {
    const t = trace({
      legs: [
        { from: KAEX, to: PANC },
        { from: PANC, to: ZYTX, groundBeforeMin: 45 },
      ],
    });
    const ps = polls(t);
    const cut = ps.findIndex((p) => p.now >= t.legs[1].topOfClimbAt + 30 * MIN);
    const d = detector();
    expect(summary(await run(d, ps.slice(0, cut)))).toEqual([
      'seen:KAEX',
      'takeoff:KAEX',
      'landing:PANC',
      'takeoff:PANC',
    ]);
    // A lagging source delivers a ground position from KAEX hours ago: it must not "land" the aircraft there.
    const old = t.states.find((s) => s.onGround)!;
    const now = ps[cut].now;
    const late = await d.process(
      [{ ...old, sourceId: 'lagging', observedAt: now, fetchedAt: now, watch: { ids: ['glf5'], tags: [] } }],
      now,
    );
    expect(late).toEqual([]);
    expect((await d.store.get('a1b2c3'))?.phase).toBe('airborne');
    expect(summary(await run(d, ps.slice(cut)))).toEqual(['landing:ZYTX']);
  });

  it('air/ground bit flapping on the takeoff roll is one takeoff, not takeoff-landing-takeoff', async () => {
    const d = detector();
    const base = {
      hex: 'f1a9f1',
      flags: { military: false, interesting: false, pia: false, ladd: false },
      sourceId: 's',
      watch: { ids: ['w'], tags: [] },
    };
    const at = (k: number, over: Partial<MatchedAircraft>): MatchedAircraft => {
      const t = T0 + k * 10_000;
      return {
        ...base,
        lat: KAEX.lat + k * 0.002,
        lon: KAEX.lon,
        onGround: false,
        observedAt: t,
        positionAt: t,
        fetchedAt: t,
        ...over,
      };
    };
    const seq = [
      at(0, { onGround: true, gsKt: 15 }),
      at(1, { onGround: true, gsKt: 120 }),
      at(2, { altFt: 200, gsKt: 150, vrateFpm: 1500 }),
      at(3, { onGround: true, gsKt: 155 }), // flap
      at(4, { altFt: 600, gsKt: 165, vrateFpm: 2000 }),
      at(5, { altFt: 900, gsKt: 170, vrateFpm: 2000 }),
    ];
    const evs: FlightEvent[] = [];
    for (const r of seq) evs.push(...(await d.process([r], r.observedAt)));
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
  });
});

describe('takeoff when first seen climbing near an airport', () => {
  it('names the departure airport and estimates the takeoff time from the climb', async () => {
    const base = trace({ legs: [{ from: KAEX, to: PANC }] });
    const leg = base.legs[0];
    const t = trace({ legs: [{ from: KAEX, to: PANC }], gaps: [{ from: 0, to: leg.takeoffAt + 2 * MIN }] });
    const evs = await run(detector(), polls(t));
    // Time order: the estimated takeoff precedes the first sighting.
    expect(summary(evs)).toEqual(['takeoff:KAEX*', 'seen', 'landing:PANC']);
    expect(evs[0].details).toMatchObject({ reason: 'first-seen-climbing' });
    expect(near(ms(evs[0].time), leg.takeoffAt, MIN)).toBe(true);
    expect(evs[1].airport).toBeUndefined(); // 5,000 ft climbing at 280 kt is neither on the ground nor low and slow
  });

  it('first seen at cruise: seen only, and the landing reports an unknown departure', async () => {
    const base = trace({ legs: [{ from: KAEX, to: PANC }] });
    const t = trace({
      legs: [{ from: KAEX, to: PANC }],
      gaps: [{ from: 0, to: base.legs[0].topOfClimbAt + 60 * MIN }],
    });
    const evs = await run(detector(), polls(t));
    expect(summary(evs)).toEqual(['seen', 'landing:PANC']);
    expect(evs[1].details).toMatchObject({ departure: null });
  });
});

describe('seen names the airport on the ground or when low and slow', () => {
  it('on final approach into MGGT (low and slow): names MGGT', async () => {
    const base = trace({ legs: [{ from: KAEX, to: MGGT }] });
    const leg = base.legs[0];
    const t = trace({ legs: [{ from: KAEX, to: MGGT }], gaps: [{ from: 0, to: leg.landingAt - 2 * MIN }] });
    const evs = await run(detector(), polls(t));
    expect(summary(evs)).toEqual(['seen:MGGT', 'landing:MGGT']);
    expect(evs[0].details).toMatchObject({ phase: 'airborne', firstSighting: true });
  });
});

describe('destinations', () => {
  it('by country: a landing at ZYTL matches countries [CN]', async () => {
    const t = trace({ legs: [{ from: simAirport('RKSI'), to: simAirport('ZYTL') }] });
    const evs = await run(
      detector({ destinations: [{ id: 'china', airports: [], countries: ['CN'], radiusNm: 5 }] }),
      polls(t),
    );
    expect(summary(evs)).toEqual(['seen:RKSI', 'takeoff:RKSI', 'landing:ZYTL', 'destination:ZYTL>china']);
    expect(evs[3].details).toMatchObject({ via: 'country' });
  });

  it('by radius: a landing at Gimpo is within 20 nm of a destination at Incheon, not within 5 nm', async () => {
    const t = trace({ legs: [{ from: ZYTX, to: simAirport('RKSS') }] });
    const wide = await run(
      detector({ destinations: [{ id: 'seoul', airports: ['RKSI'], countries: [], radiusNm: 20 }] }),
      polls(t),
    );
    expect(summary(wide)).toEqual(['seen:ZYTX', 'takeoff:ZYTX', 'landing:RKSS', 'destination:RKSI>seoul']);
    expect(wide[3].details).toMatchObject({ via: 'radius', arrival: 'RKSS' });
    const tight = await run(
      detector({ destinations: [{ id: 'seoul', airports: ['RKSI'], countries: [], radiusNm: 5 }] }),
      polls(t),
    );
    expect(summary(tight)).toEqual(['seen:ZYTX', 'takeoff:ZYTX', 'landing:RKSS']);
  });

  it('a landing elsewhere is no destination', async () => {
    const t = trace({ legs: [{ from: KAEX, to: PANC }] });
    const evs = await run(detector({ destinations: [SHENYANG] }), polls(t));
    expect(evs.some((e) => e.type === 'destination')).toBe(false);
  });
});

describe('events in time order', () => {
  it('two aircraft in the same polls: output of every process() call is sorted, and so is the whole run', async () => {
    const a = trace({ hex: 'aaaaaa', legs: [{ from: KAEX, to: MGGT }] });
    const b = trace({ hex: 'bbbbbb', start: T0 + 7 * MIN, legs: [{ from: PANC, to: ZYTX }] });
    const d = detector();
    const all: FlightEvent[] = [];
    for (const p of toPolls([...a.states, ...b.states], {
      from: T0,
      to: Math.max(a.end, b.end) + 30 * MIN,
      watch: { ids: ['w'], tags: [] },
    })) {
      const out = await d.process(p.batch, p.now);
      expect(out.map((e) => e.time)).toEqual([...out.map((e) => e.time)].sort());
      all.push(...out);
    }
    expect(all).toHaveLength(6);
    expect(all.map((e) => e.time)).toEqual([...all.map((e) => e.time)].sort());
  });
});
