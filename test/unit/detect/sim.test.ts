/** The great-circle trace generator the detection tests rely on. */
import { bearingDeg, destinationPoint, distanceNm, generateTrace, interpolate, toPolls } from '../../../src/sim';
import { MIN, T0, simAirport } from './harness';

const KAEX = simAirport('KAEX');
const PANC = simAirport('PANC');
const ZYTX = simAirport('ZYTX');

describe('great-circle helpers', () => {
  it('distance, bearing, interpolation and destination point agree', () => {
    const d = distanceNm(KAEX, PANC);
    expect(d).toBeGreaterThan(2800);
    expect(d).toBeLessThan(2900);
    const mid = interpolate(KAEX, PANC, 0.5);
    expect(distanceNm(KAEX, mid)).toBeCloseTo(d / 2, 3);
    expect(distanceNm(mid, PANC)).toBeCloseTo(d / 2, 3);
    const p = destinationPoint(KAEX, bearingDeg(KAEX, PANC), d);
    expect(distanceNm(p, PANC)).toBeLessThan(0.01);
    // A great circle north-west from Louisiana to Alaska first heads north of west, not along a rhumb line.
    expect(bearingDeg(KAEX, PANC)).toBeGreaterThan(300);
    expect(bearingDeg(KAEX, PANC)).toBeLessThan(340);
  });
});

describe('generateTrace', () => {
  const t = generateTrace({
    hex: 'abc123',
    start: T0,
    intervalS: 30,
    legs: [
      { from: KAEX, to: PANC },
      { from: PANC, to: ZYTX, groundBeforeMin: 60 },
    ],
    gaps: [{ from: T0 + 3 * 60 * MIN, to: T0 + 4 * 60 * MIN }],
    adsc: [{ from: T0 + 5 * 60 * MIN, to: T0 + 5.5 * 60 * MIN, ageS: 600 }],
  });

  it('ground, climb, cruise, descent, ground stop, second leg, ground: physically consistent', () => {
    const [l0, l1] = t.legs;
    expect(l1.takeoffAt - l0.landingAt).toBe(60 * MIN);
    for (const s of t.states) {
      const t0 = s.positionAt!;
      const inFlight = (t0 >= l0.takeoffAt && t0 < l0.landingAt) || (t0 >= l1.takeoffAt && t0 < l1.landingAt);
      expect(s.onGround).toBe(!inFlight);
      if (s.onGround) {
        const at = t0 < l0.takeoffAt ? KAEX : t0 < l1.takeoffAt ? PANC : ZYTX;
        expect(distanceNm(at, { lat: s.lat!, lon: s.lon! })).toBeLessThan(0.5);
      } else {
        expect(s.altFt).toBeGreaterThan(0);
        expect(s.altFt).toBeLessThanOrEqual(41_000);
      }
    }
    const cruise = t.states.filter((s) => s.altFt === 41_000);
    expect(cruise.length).toBeGreaterThan(100);
    // Consecutive fresh airborne positions are never farther apart than the speed allows.
    const fresh = t.states.filter((s) => s.sourceType !== 'adsc' && !s.onGround);
    for (let i = 1; i < fresh.length; i++) {
      const dt = (fresh[i].positionAt! - fresh[i - 1].positionAt!) / 3_600_000;
      if (dt > 0.01) continue;
      expect(
        distanceNm({ lat: fresh[i].lat!, lon: fresh[i].lon! }, { lat: fresh[i - 1].lat!, lon: fresh[i - 1].lon! }),
      ).toBeLessThanOrEqual(470 * dt + 0.1);
    }
  });

  it('gaps have no positions; ADS-C windows carry old positions flagged adsc', () => {
    expect(t.states.some((s) => s.observedAt >= T0 + 3 * 60 * MIN && s.observedAt < T0 + 4 * 60 * MIN)).toBe(false);
    const adsc = t.states.filter((s) => s.sourceType === 'adsc');
    expect(adsc.length).toBe(60);
    for (const s of adsc) {
      expect(s.positionAgeS).toBe(600);
      expect(s.observedAt - s.positionAt!).toBe(600_000);
    }
  });

  it('is deterministic, and toPolls yields one poll per interval with empty polls in gaps', () => {
    const again = generateTrace({
      hex: 'abc123',
      start: T0,
      intervalS: 30,
      legs: [
        { from: KAEX, to: PANC },
        { from: PANC, to: ZYTX, groundBeforeMin: 60 },
      ],
      gaps: [{ from: T0 + 3 * 60 * MIN, to: T0 + 4 * 60 * MIN }],
      adsc: [{ from: T0 + 5 * 60 * MIN, to: T0 + 5.5 * 60 * MIN, ageS: 600 }],
    });
    expect(again.states).toEqual(t.states);
    const polls = toPolls(t.states, { from: t.start, to: t.end, watch: { ids: ['w'], tags: [] } });
    expect(polls.length).toBe(Math.floor((t.end - t.start) / 30_000) + 1);
    expect(polls.filter((p) => p.batch.length === 0).length).toBe(120);
    expect(polls.reduce((n, p) => n + p.batch.length, 0)).toBe(t.states.length);
  });

  it('rejects a trace without legs', () => {
    expect(() => generateTrace({ hex: 'abc123', start: T0, legs: [] })).toThrow(/at least one leg/);
  });
});
