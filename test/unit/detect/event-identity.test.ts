/** Event ids come from the transition (time, airport, kind): a second real transition is never swallowed. */
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { transitionId } from '../../../src/detect';
import { detector, MIN, ofType, T0, simAirport } from './harness';

const AEX = simAirport('KAEX');

function at(
  t: number,
  air: { altFt: number; gsKt: number; vrateFpm?: number; nm?: number } | 'ground',
): MatchedAircraft {
  const ground = air === 'ground';
  return {
    hex: 'a1b2c3',
    lat: AEX.lat + (ground ? 0 : (air.nm ?? 1) / 60),
    lon: AEX.lon,
    ...(ground ? { gsKt: 10 } : { altFt: air.altFt, gsKt: air.gsKt, trackDeg: 0, vrateFpm: air.vrateFpm }),
    onGround: ground,
    flags: { military: false, interesting: false, pia: false, ladd: false },
    observedAt: t,
    positionAt: t,
    sourceId: 's',
    fetchedAt: t,
    watch: { ids: ['w'], tags: [] },
  };
}

describe('event identity', () => {
  it('announces two takeoffs and a landing within one quarter hour (touch-and-go circuit) with distinct ids', async () => {
    const d = detector();
    const seq: MatchedAircraft[] = [
      at(T0, 'ground'),
      at(T0 + 0.5 * MIN, 'ground'),
      at(T0 + 1 * MIN, { altFt: 600, gsKt: 130, vrateFpm: 1200 }),
      at(T0 + 2 * MIN, { altFt: 1500, gsKt: 130, vrateFpm: 900 }),
      at(T0 + 5 * MIN, { altFt: 600, gsKt: 110, vrateFpm: -700, nm: 0.5 }),
      at(T0 + 6 * MIN, 'ground'),
      at(T0 + 6.5 * MIN, 'ground'),
      at(T0 + 7 * MIN, { altFt: 500, gsKt: 120, vrateFpm: 1000 }),
      at(T0 + 8 * MIN, { altFt: 1800, gsKt: 140, vrateFpm: 1100 }),
    ];
    const evs = [];
    for (const r of seq) evs.push(...(await d.process([r], r.observedAt)));
    const takeoffs = ofType(evs, 'takeoff');
    expect(takeoffs.map((e) => e.time)).toEqual([
      new Date(T0 + MIN).toISOString(),
      new Date(T0 + 7 * MIN).toISOString(),
    ]);
    expect(ofType(evs, 'landing')).toHaveLength(1);
    const ids = evs.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives the same id when the same positions are processed again', async () => {
    const seq = [
      at(T0, 'ground'),
      at(T0 + MIN, { altFt: 800, gsKt: 140, vrateFpm: 1500 }),
      at(T0 + 1.5 * MIN, { altFt: 1500, gsKt: 150, vrateFpm: 1500, nm: 2 }),
    ];
    const ids: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const d = detector();
      const evs = [];
      for (const r of seq) evs.push(...(await d.process([r], r.observedAt)));
      ids.push(ofType(evs, 'takeoff').map((e) => e.id));
    }
    expect(ids[0]).toHaveLength(1);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[0]?.[0]).toBe(transitionId('a1b2c3', 'takeoff', T0 + MIN, 'KAEX'));
  });

  it('does not announce a takeoff twice when a second source repeats it', async () => {
    const d = detector();
    const evs = [];
    evs.push(...(await d.process([at(T0, 'ground')], T0)));
    evs.push(...(await d.process([at(T0 + MIN, { altFt: 800, gsKt: 140, vrateFpm: 1500 })], T0 + MIN)));
    const late = { ...at(T0 + MIN + 5000, { altFt: 900, gsKt: 140, vrateFpm: 1500 }), sourceId: 'other' };
    evs.push(...(await d.process([late], T0 + MIN + 5000)));
    expect(ofType(evs, 'takeoff')).toHaveLength(1);
  });
});
