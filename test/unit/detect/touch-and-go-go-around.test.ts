/**
 * Touch-and-go and go-around as explicit events (issue 12), on synthetic tracks around KAEX: a touch-and-go
 * is one `touch_and_go` and no landing or takeoff (the leg goes on: a training circuit is one leg); a
 * go-around is an approach that climbs away without touching down; a low pass without an approach is nothing.
 */
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { destinationPoint } from '../../../src/geo/great-circle';
import { asType, detector, MIN, ofType, simAirport, summary, T0 } from './harness';

const AEX = simAirport('KAEX'); // 89 ft
const iso = (ms: number) => new Date(ms).toISOString();

type Air = { altFt: number; gsKt?: number; vrateFpm?: number; trackDeg?: number; nm: number; brg: number };
type Ground = { gsKt?: number; nm?: number; brg?: number };

function at(t: number, pos: Air | ({ ground: true } & Ground)): MatchedAircraft {
  const p = destinationPoint(AEX, pos.brg ?? 0, pos.nm ?? 0);
  const common = {
    hex: 'a1b2c3',
    lat: p.lat,
    lon: p.lon,
    flags: { military: false, interesting: false, pia: false, ladd: false },
    observedAt: t,
    positionAt: t,
    sourceId: 's',
    fetchedAt: t,
    watch: { ids: ['w'], tags: [] },
  };
  if ('ground' in pos) return { ...common, onGround: true, ...(pos.gsKt !== undefined ? { gsKt: pos.gsKt } : {}) };
  return {
    ...common,
    onGround: false,
    altFt: pos.altFt,
    gsKt: pos.gsKt ?? 130,
    trackDeg: pos.trackDeg ?? 0,
    vrateFpm: pos.vrateFpm,
  };
}

/** A straight-in approach from the south (runway heading north), every `stepS` seconds, ending 0.3 nm out at 150 ft. */
function approach(t0: number, stepS = 10, fromNm = 6): MatchedAircraft[] {
  const out: MatchedAircraft[] = [];
  const n = Math.round((((fromNm - 0.3) / 130) * 3600) / stepS);
  for (let i = 0; i <= n; i++) {
    const nm = fromNm - (i * stepS * 130) / 3600;
    out.push(at(t0 + i * stepS * 1000, { altFt: 89 + Math.round(nm * 318), nm, brg: 180, vrateFpm: -700 }));
  }
  return out;
}

/** Climbing out north from over the field, `n` positions `stepS` apart, from `altFt`. */
function climbOut(t0: number, n: number, altFt = 300, stepS = 10): MatchedAircraft[] {
  const out: MatchedAircraft[] = [];
  for (let i = 0; i < n; i++) {
    const nm = 0.5 + (i * stepS * 120) / 3600;
    out.push(at(t0 + i * stepS * 1000, { altFt: altFt + i * 150, gsKt: 120, nm, brg: 0, vrateFpm: 900 }));
  }
  return out;
}

/** A departure from KAEX: two taxi positions then a climb out. */
function departure(t0: number): MatchedAircraft[] {
  return [at(t0, { ground: true, gsKt: 10 }), at(t0 + 20_000, { ground: true, gsKt: 15 }), ...climbOut(t0 + 60_000, 6)];
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

const moves = (evs: Parameters<typeof summary>[0]) => summary(evs).filter((s) => !s.startsWith('seen'));

describe('touch-and-go', () => {
  it('rolling ground positions between an approach and a climb-out: one touch_and_go, no landing or takeoff', async () => {
    const ap = approach(T0);
    const td = ap[ap.length - 1].observedAt + 10_000;
    const recs = [
      ...ap,
      at(td, { ground: true, gsKt: 120 }),
      at(td + 5_000, { ground: true, gsKt: 105, nm: 0.15, brg: 0 }),
      at(td + 10_000, { ground: true, gsKt: 95, nm: 0.3, brg: 0 }),
      ...climbOut(td + 20_000, 18),
    ];
    const { evs, state } = await feed(recs);
    expect(moves(evs)).toEqual(['touch_and_go:KAEX']);
    const tg = asType(
      evs.find((e) => e.type === 'touch_and_go'),
      'touch_and_go',
    );
    expect(tg.time).toBe(iso(td));
    expect(tg.details).toEqual({
      groundS: 20,
      groundPositions: 3,
      minGsKt: 95,
      climbFpm: 900,
      lastAirborneAt: iso(td - 10_000),
      departure: null,
    });
    expect(tg.evidence.map((p) => p.onGround)).toEqual([false, true, true, false]);
    expect(state?.phase).toBe('airborne');
  });

  it('a training circuit (takeoff, two touch-and-goes, full stop) is one leg: one takeoff and one landing', async () => {
    const recs = [...departure(T0)];
    const touchAndGo = (t: number) => {
      const ap = approach(t, 10, 3);
      const td = ap[ap.length - 1].observedAt + 10_000;
      recs.push(...ap, at(td, { ground: true, gsKt: 110 }), at(td + 10_000, { ground: true, gsKt: 90 }));
      recs.push(...climbOut(td + 20_000, 6));
      return td;
    };
    const td1 = touchAndGo(T0 + 8 * MIN);
    const td2 = touchAndGo(T0 + 16 * MIN);
    const ap = approach(T0 + 24 * MIN, 10, 3);
    const land = ap[ap.length - 1].observedAt + 10_000;
    recs.push(...ap, at(land, { ground: true, gsKt: 110 }), at(land + 10_000, { ground: true, gsKt: 60 }));
    recs.push(at(land + 20_000, { ground: true, gsKt: 25 }), at(land + 60_000, { ground: true, gsKt: 10 }));
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual(['takeoff:KAEX', 'touch_and_go:KAEX', 'touch_and_go:KAEX', 'landing:KAEX']);
    expect(ofType(evs, 'touch_and_go').map((e) => e.time)).toEqual([iso(td1), iso(td2)]);
    expect(ofType(evs, 'touch_and_go').map((e) => e.details?.departure)).toEqual(['KAEX', 'KAEX']);
    const landing = asType(
      evs.find((e) => e.type === 'landing'),
      'landing',
    );
    expect(landing.time).toBe(iso(land));
    expect(landing.details).toMatchObject({ inferred: false, departure: 'KAEX', departedAt: iso(T0 + 60_000) });
    expect(landing.details?.touchAndGo).toBeUndefined();
  });

  it('a landing that slows to taxi speed is a landing, timed at the first ground position', async () => {
    const ap = approach(T0);
    const td = ap[ap.length - 1].observedAt + 10_000;
    const recs = [
      ...ap,
      at(td, { ground: true, gsKt: 120 }),
      at(td + 10_000, { ground: true, gsKt: 70 }),
      at(td + 20_000, { ground: true, gsKt: 30 }),
      at(td + 40_000, { ground: true, gsKt: 12 }),
    ];
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual(['landing:KAEX']);
    expect(evs.find((e) => e.type === 'landing')?.time).toBe(iso(td));
  });

  it('rolling fast until the signal ends on the runway: the landing stands (timer)', async () => {
    const ap = approach(T0);
    const td = ap[ap.length - 1].observedAt + 10_000;
    const { evs } = await feed([
      ...ap,
      at(td, { ground: true, gsKt: 120 }),
      at(td + 5_000, { ground: true, gsKt: 100 }),
    ]);
    expect(moves(evs)).toEqual(['landing:KAEX']);
  });

  it('without ground speeds it cannot tell a touch-and-go before announcing the landing: landing, then a takeoff marked touchAndGo', async () => {
    const ap = approach(T0);
    const td = ap[ap.length - 1].observedAt + 10_000;
    const recs = [...ap, at(td, { ground: true }), at(td + 15_000, { ground: true, nm: 0.01, brg: 0 })];
    recs.push(...climbOut(td + 45_000, 6));
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual(['landing:KAEX', 'takeoff:KAEX']);
    expect(
      asType(
        evs.find((e) => e.type === 'takeoff'),
        'takeoff',
      ).details?.touchAndGo,
    ).toBe(true);
  });
});

describe('go-around', () => {
  it('an approach that climbs away at 300 ft without touching down: go_around at its lowest position', async () => {
    const ap = approach(T0, 10);
    const low = ap[ap.length - 1];
    const recs = [...ap, ...climbOut(low.observedAt + 10_000, 12, 250)];
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual(['go_around:KAEX']);
    const ga = asType(
      evs.find((e) => e.type === 'go_around'),
      'go_around',
    );
    expect(ga.time).toBe(iso(low.observedAt));
    expect(ga.details).toMatchObject({
      lowestAltFt: low.altFt,
      lowestHeightFt: (low.altFt as number) - 89,
      // The track's first position is a sighting; the approach starts with the second.
      approachFrom: iso(T0 + 10_000),
      departure: null,
    });
    expect(ga.details?.distanceNm).toBeLessThanOrEqual(0.4);
    expect(ga.details?.descentFt).toBeGreaterThan(1000);
    expect(ga.details?.climbFt).toBeGreaterThanOrEqual(400);
    expect(ga.evidence).toHaveLength(3);
  });

  it('a go-around followed by a circuit and a landing: go_around, then landing, one leg', async () => {
    const ap1 = approach(T0, 10);
    const low = ap1[ap1.length - 1];
    const ap2 = approach(low.observedAt + 10 * MIN, 10);
    const td = ap2[ap2.length - 1].observedAt + 10_000;
    const recs = [
      ...departure(T0 - 30 * MIN),
      ...ap1,
      ...climbOut(low.observedAt + 10_000, 12, 250),
      ...ap2,
      at(td, { ground: true, gsKt: 110 }),
      at(td + 10_000, { ground: true, gsKt: 50 }),
      at(td + 20_000, { ground: true, gsKt: 20 }),
    ];
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual(['takeoff:KAEX', 'go_around:KAEX', 'landing:KAEX']);
    expect(
      asType(
        evs.find((e) => e.type === 'go_around'),
        'go_around',
      ).details?.departure,
    ).toBe('KAEX');
    expect(evs.find((e) => e.type === 'landing')?.time).toBe(iso(td));
  });

  it('a low pass without an approach (level at 500 ft over the field, then climbing away) raises no event', async () => {
    const recs: MatchedAircraft[] = [];
    for (let i = 0; i <= 24; i++) {
      const nm = 3 - i * 0.25; // 3 nm south to 3 nm north, level at 589 ft (500 ft above the field)
      recs.push(at(T0 + i * 5_000, { altFt: 589, gsKt: 180, nm: Math.abs(nm), brg: nm >= 0 ? 180 : 0, vrateFpm: 0 }));
    }
    recs.push(...climbOut(T0 + 125_000, 12, 700).map((r) => ({ ...r, lat: (r.lat as number) + 0.05 })));
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual([]);
  });

  it('a descent to 600 ft across the field, not heading for it, then a climb: no event', async () => {
    const recs: MatchedAircraft[] = [];
    for (let i = 0; i <= 40; i++) {
      // Flying east 2 nm south of the field, descending to 600 ft, then climbing.
      const p = destinationPoint(destinationPoint(AEX, 180, 2), 270, 2 - i * 0.22);
      const down = i <= 12;
      recs.push({
        ...at(T0 + i * 5_000, { altFt: down ? 2000 - i * 110 : 680 + (i - 12) * 120, nm: 0, brg: 0 }),
        gsKt: 160,
        lat: p.lat,
        lon: p.lon,
        trackDeg: 90,
        vrateFpm: down ? -1300 : 1400,
      });
    }
    const { evs } = await feed(recs);
    expect(moves(evs)).toEqual([]);
  });
});
