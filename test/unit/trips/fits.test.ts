/** Each factor of a candidate's weight on its own (src/trips/fits.ts; docs/trips.md "En-route prediction"). */
import {
  climbFit,
  courseFit,
  courseSigmaNm,
  descentFit,
  distanceDecay,
  etaMinutes,
  FT_PER_NM_NORMAL,
  FT_PER_NM_STEEP,
  gaussian,
  levelFit,
  routeFit,
  verticalFit,
} from '../../../src/trips/fits';

const tolerance = { corridorFraction: 0.2, corridorMinNm: 15, corridorMaxNm: 400 };

describe('gaussian', () => {
  it('is 1 at 0 and e^-½ at one σ, the same either side', () => {
    expect(gaussian(0)).toBe(1);
    expect(gaussian(1)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(gaussian(-2)).toBe(gaussian(2));
  });
});

describe('distanceDecay', () => {
  it('keeps the weight near, halves it at the scale, a fifth at twice the scale', () => {
    expect(distanceDecay(2, 0, 500)).toBe(2);
    expect(distanceDecay(2, 500, 500)).toBe(1);
    expect(distanceDecay(1, 1000, 500)).toBeCloseTo(0.2, 15);
  });
});

describe('courseSigmaNm and courseFit', () => {
  it('σ is the fraction of the distance, between the bounds', () => {
    expect(courseSigmaNm(500, tolerance)).toBe(100);
    expect(courseSigmaNm(20, tolerance)).toBe(15);
    expect(courseSigmaNm(5000, tolerance)).toBe(400);
  });
  it('is 1 on the nose, a Gaussian in σ off it, 0 beyond 4 σ', () => {
    expect(courseFit(0, 500, tolerance)).toBe(1);
    expect(courseFit(100, 500, tolerance)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(courseFit(400, 500, tolerance)).toBeCloseTo(Math.exp(-8), 15);
    expect(courseFit(401, 500, tolerance)).toBe(0);
  });
  it('allows far airports the detours near ones may not make', () => {
    expect(courseFit(60, 1000, tolerance)).toBeGreaterThan(0.9);
    expect(courseFit(70, 100, tolerance)).toBeLessThan(0.01);
  });
});

describe('routeFit', () => {
  it('is 1 up to the allowed detour', () => {
    // 600 flown + 500 to go against 1,000 direct: 10 % longer, 15 % allowed.
    expect(routeFit(600, 500, 1000, 0.15)).toBe(1);
    expect(routeFit(650, 500, 1000, 0.15)).toBe(1);
  });
  it('falls as a Gaussian of 10 % beyond it, to no less than 0.02', () => {
    // 25 % longer: 10 % beyond the allowed 15 %, one σ.
    expect(routeFit(750, 500, 1000, 0.15)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(routeFit(2000, 500, 1000, 0.15)).toBe(0.02);
  });
  it('measures short legs against 200 nm', () => {
    // 40 nm of detour on a 100 nm leg is 20 % of 200, 5 % beyond the allowed 15 %: half a σ.
    expect(routeFit(70, 70, 100, 0.15)).toBeCloseTo(Math.exp(-0.125), 12);
  });
});

describe('descentFit', () => {
  // 30,000 ft above the field at 2,000 fpm and 300 kt: the descent reaches it in 15 min, 75 nm out.
  const fit = (d: number) => descentFit(30_000, -2000, d, 300);
  it('is 1 where the descent reaches the field, log-normal around it', () => {
    expect(fit(75)).toBe(1);
    expect(fit(75 * Math.exp(0.6))).toBeCloseTo(Math.exp(-0.5), 12);
  });
  it('nearer than the reach: implausible but at least 0.01', () => {
    expect(fit(75 * Math.exp(-0.6))).toBeCloseTo(Math.exp(-0.5), 12);
    expect(fit(5)).toBe(0.01);
  });
  it('farther: the log-normal, and far beyond, what a step-down keeps (0.2 × (2 × reach / d)²)', () => {
    expect(fit(150)).toBeCloseTo(Math.exp(-0.5 * (Math.log(2) / 0.6) ** 2), 12);
    expect(fit(600)).toBeCloseTo(0.2 * (150 / 600) ** 2, 12);
    expect(fit(1200)).toBeCloseTo(0.2 * (150 / 1200) ** 2, 12);
  });
});

describe('climbFit', () => {
  it('an airport closer than a normal descent from here is unlikely (0.3)', () => {
    const normal = 10_000 / FT_PER_NM_NORMAL;
    expect(climbFit(10_000, normal - 1)).toBe(0.3);
    expect(climbFit(10_000, normal + 1)).toBe(1);
  });
});

describe('levelFit', () => {
  const agl = 36_000;
  const normal = agl / FT_PER_NM_NORMAL;
  const steep = agl / FT_PER_NM_STEEP;
  it('low and level: any airport', () => {
    expect(levelFit(3_999, 1)).toBe(1);
  });
  it('beyond 1.2 × the top of descent: 1; inside it: 0.6; inside a normal descent: 0.3', () => {
    expect(levelFit(agl, 1.2 * normal)).toBe(1);
    expect(levelFit(agl, 1.1 * normal)).toBe(0.6);
    expect(levelFit(agl, normal - 1)).toBe(0.3);
    expect(levelFit(agl, steep)).toBe(0.3);
  });
  it('inside a steep descent: falling with the cube of the distance', () => {
    expect(levelFit(agl, steep / 2)).toBeCloseTo(0.3 / 8, 15);
  });
});

describe('verticalFit', () => {
  it('at or below the field: only an airport within 10 nm', () => {
    expect(verticalFit(0, 0, 9, 200)).toBe(1);
    expect(verticalFit(-50, -1000, 11, 200)).toBe(0.05);
  });
  it('picks the descent, climb or level fit by the vertical rate (±300 fpm)', () => {
    expect(verticalFit(30_000, -300, 40, 300)).toBe(descentFit(30_000, -300, 40, 300));
    expect(verticalFit(30_000, -299, 40, 300)).toBe(levelFit(30_000, 40));
    expect(verticalFit(30_000, 299, 40, 300)).toBe(levelFit(30_000, 40));
    expect(verticalFit(30_000, 300, 40, 300)).toBe(climbFit(30_000, 40));
  });
});

describe('etaMinutes', () => {
  it('cruise at the current speed, then a 3° descent at 65 % of it', () => {
    // 36,000 ft: descent 113.2 nm at 292.5 kt; the other 286.8 nm at 450 kt.
    const descent = 36_000 / FT_PER_NM_NORMAL;
    expect(etaMinutes(400, 450, 36_000, 0)).toBeCloseTo(((400 - descent) / 450 + descent / 292.5) * 60, 12);
  });
  it('already descending: the descent at the current speed', () => {
    expect(etaMinutes(100, 300, 20_000, -1500)).toBeCloseTo(20, 12);
  });
  it('at least 120 kt, and a descent at least 150 kt', () => {
    expect(etaMinutes(60, 50, 0, 0)).toBe(30);
    const descent = 10_000 / FT_PER_NM_NORMAL;
    expect(etaMinutes(descent, 180, 10_000, 0)).toBeCloseTo((descent / 150) * 60, 12);
  });
  it('an airport nearer than the descent: all of it descending', () => {
    expect(etaMinutes(30, 300, 36_000, -2000)).toBeCloseTo(6, 12);
  });
});
