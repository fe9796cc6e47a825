/**
 * The rules against the symptoms seen on real data (issue 12): implausible positions, ground-flag flips,
 * climb without a vertical rate, approaches a little over `slowKt`.
 */
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { destinationPoint } from '../../../src/geo/great-circle';
import { detector, MIN, ofType, simAirport, summary, T0 } from './harness';

const AEX = simAirport('KAEX'); // 89 ft

type Air = { altFt?: number; gsKt?: number; vrateFpm?: number; trackDeg?: number; nm?: number; brg?: number };

function at(t: number, pos: Air | 'ground', hex = 'a1b2c3'): MatchedAircraft {
  const ground = pos === 'ground';
  const p = ground ? AEX : destinationPoint(AEX, pos.brg ?? 0, pos.nm ?? 1);
  return {
    hex,
    lat: p.lat,
    lon: p.lon,
    ...(ground ? { gsKt: 10 } : { altFt: pos.altFt, gsKt: pos.gsKt, trackDeg: pos.trackDeg, vrateFpm: pos.vrateFpm }),
    onGround: ground,
    flags: { military: false, interesting: false, pia: false, ladd: false },
    observedAt: t,
    positionAt: t,
    sourceId: 's',
    fetchedAt: t,
    watch: { ids: ['w'], tags: [] },
  };
}

async function feed(recs: MatchedAircraft[], tailMin = 30) {
  const d = detector();
  const evs = [];
  let now = 0;
  for (const r of recs) {
    now = r.observedAt;
    evs.push(...(await d.process([r], now)));
  }
  for (let m = 1; m <= tailMin; m++) evs.push(...(await d.process([], now + m * MIN)));
  return { evs, state: await d.store.get('a1b2c3') };
}

describe('plausibility and debounce', () => {
  it('"airborne at 38,000 ft" with no speed between taxi positions (OpenSky) is dropped: no takeoff, landing or destination', async () => {
    const recs: MatchedAircraft[] = [];
    for (let s = 0; s < 120; s += 5) recs.push(at(T0 + s * 1000, 'ground'));
    for (let s = 120; s < 210; s += 1) recs.push(at(T0 + s * 1000, { altFt: 38_000, nm: 0.01 }));
    for (let s = 210; s < 400; s += 5) recs.push(at(T0 + s * 1000, 'ground'));
    const { evs, state } = await feed(recs);
    expect(summary(evs)).toEqual(['seen:KAEX']);
    expect(state?.implausible).toBeGreaterThan(0);
    expect(state?.phase).toBe('ground');
  });

  it('an "airborne" report at 468 kt at field elevation right after ground positions is not a takeoff', async () => {
    const { evs } = await feed([
      at(T0, 'ground'),
      at(T0 + 30_000, 'ground'),
      at(T0 + 60_000, { altFt: 100, gsKt: 468, nm: 0.2 }),
      at(T0 + 90_000, 'ground'),
    ]);
    expect(ofType(evs, 'takeoff')).toEqual([]);
  });

  it('first seen again 4 minutes after its ground positions at 8,000 ft and 310 kt: a takeoff, not an implausible fix', async () => {
    const { evs } = await feed([
      at(T0, 'ground'),
      at(T0 + 30_000, 'ground'),
      at(T0 + 4.5 * MIN, { altFt: 8000, gsKt: 310, nm: 18, trackDeg: 0, vrateFpm: 2000 }),
      at(T0 + 5 * MIN, { altFt: 9000, gsKt: 320, nm: 20.5, trackDeg: 0, vrateFpm: 2000 }),
    ]);
    const takeoffs = ofType(evs, 'takeoff');
    expect(takeoffs.map((e) => e.airport?.icao)).toEqual(['KAEX']);
    expect(takeoffs[0]?.evidence.map((p) => p.time)).toContain(new Date(T0 + 4.5 * MIN).toISOString());
  });

  it('a short flip to airborne while taxiing is noise; the flip is counted', async () => {
    const { evs, state } = await feed([
      at(T0, 'ground'),
      at(T0 + 30_000, { altFt: 150, gsKt: 25, nm: 0.1 }),
      at(T0 + 31_000, { altFt: 150, gsKt: 45, nm: 0.1 }),
      at(T0 + 60_000, 'ground'),
    ]);
    expect(ofType(evs, 'takeoff')).toEqual([]);
    expect(state?.flips).toBe(1);
    expect(state?.phase).toBe('ground');
  });

  it('one "ground" report on short final followed by airborne ones is not a landing', async () => {
    const recs = [
      at(T0, { altFt: 3000, gsKt: 160, nm: 9, brg: 180, trackDeg: 0, vrateFpm: -700 }),
      at(T0 + 30_000, { altFt: 2600, gsKt: 150, nm: 8, brg: 180, trackDeg: 0, vrateFpm: -700 }),
      { ...at(T0 + 60_000, 'ground'), lat: destinationPoint(AEX, 180, 1).lat },
      at(T0 + 61_000, { altFt: 600, gsKt: 140, nm: 0.9, brg: 180, trackDeg: 0, vrateFpm: -700 }),
      at(T0 + 90_000, { altFt: 400, gsKt: 140, nm: 0.3, brg: 180, trackDeg: 0, vrateFpm: -700 }),
    ];
    const { evs } = await feed(recs, 0);
    expect(ofType(evs, 'landing')).toEqual([]);
  });
});

describe('touch-and-go', () => {
  it('one rolling ground position between descent and climb-out (30 s polls) is a touch_and_go, not noise', async () => {
    const recs = [
      at(T0, { altFt: 1500, gsKt: 140, nm: 4, brg: 180, trackDeg: 0, vrateFpm: -700 }),
      at(T0 + 30_000, { altFt: 900, gsKt: 135, nm: 2.8, brg: 180, trackDeg: 0, vrateFpm: -700 }),
      at(T0 + 60_000, { altFt: 400, gsKt: 130, nm: 1.7, brg: 180, trackDeg: 0, vrateFpm: -700 }),
      { ...at(T0 + 90_000, 'ground'), gsKt: 100 },
      at(T0 + 120_000, { altFt: 700, gsKt: 120, nm: 0.8, trackDeg: 0, vrateFpm: 1200 }),
      at(T0 + 150_000, { altFt: 1300, gsKt: 125, nm: 1.8, trackDeg: 0, vrateFpm: 1200 }),
    ];
    const { evs } = await feed(recs, 0);
    // A touch-and-go is no landing and no takeoff (the leg goes on): test/unit/detect/touch-and-go-go-around.test.ts.
    expect(summary(evs)).toEqual(['seen:KAEX', 'touch_and_go:KAEX']);
    const [tg] = ofType(evs, 'touch_and_go');
    expect(tg?.time).toBe(new Date(T0 + 90_000).toISOString());
    expect(tg?.details).toMatchObject({ groundS: 30, groundPositions: 1, minGsKt: 100, climbFpm: 1200 });
  });
});

describe('climb and approach ranges', () => {
  it('a trace ending while climbing through 2,175 ft with no vertical rate is not a landing at its departure', async () => {
    const recs = [at(T0, 'ground'), at(T0 + 20_000, 'ground')];
    for (let s = 0; s <= 40; s += 5)
      recs.push(at(T0 + 40_000 + s * 1000, { altFt: 200 + s * 50, gsKt: 150, nm: 0.3 + s * 0.04, trackDeg: 0 }));
    const { evs } = await feed(recs);
    expect(summary(evs)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
  });

  it('lost five minutes out at 252 kt (over slowKt 250) and 3,000 ft: landed at the airport ahead, with confidence and runner-up', async () => {
    const recs = [at(T0 - 20 * MIN, { altFt: 30_000, gsKt: 450, nm: 150, brg: 180, trackDeg: 0 })];
    for (let m = 8; m >= 0; m--)
      recs.push(
        at(T0 - m * MIN, { altFt: 3000 + m * 900, gsKt: 252, nm: 12 + m * 4, brg: 180, trackDeg: 0, vrateFpm: -900 }),
      );
    const { evs } = await feed(recs);
    const [landing] = ofType(evs, 'landing');
    expect(landing?.airport?.icao).toBe('KAEX');
    expect(landing?.details).toMatchObject({
      inferred: true,
      reason: 'signal-lost-low-slow',
      airportInference: { aircraftClass: 'jet', basis: 'airport-position' },
    });
    expect(landing?.details?.airportInference?.confidence).toBeGreaterThan(0.5);
    expect(landing?.details?.airportInference?.runnerUp?.icao).toBeDefined();
    // touchdown some 12 nm × 1.15 at (252 + 130) / 2 kt later: 4–5 minutes
    const after = Date.parse(landing.time) - T0;
    expect(after).toBeGreaterThan(3 * MIN);
    expect(after).toBeLessThan(6 * MIN);
  });
});
