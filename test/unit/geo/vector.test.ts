import { haversineNm, EARTH_RADIUS_NM } from '../../../src/geo/sphere';
import {
  arcNm,
  chordSquared,
  courseFrame,
  cross,
  dot,
  dotXyz,
  offCircleNm,
  unitVector,
  type Vec3,
} from '../../../src/geo/vector';

const NM_PER_DEG = EARTH_RADIUS_NM * (Math.PI / 180);
const expectVec = (v: Vec3, x: number, y: number, z: number) => {
  expect(v.x).toBeCloseTo(x, 12);
  expect(v.y).toBeCloseTo(y, 12);
  expect(v.z).toBeCloseTo(z, 12);
};

describe('unitVector', () => {
  it('points along the axes at 0/0, 0/90E and the north pole', () => {
    expectVec(unitVector(0, 0), 1, 0, 0);
    expectVec(unitVector(0, 90), 0, 1, 0);
    expectVec(unitVector(90, 0), 0, 0, 1);
    expectVec(unitVector(0, 180), -1, 0, 0);
  });
  it('has length 1 at 45N 45E: (½, ½, √½)', () => {
    expectVec(unitVector(45, 45), 0.5, 0.5, Math.SQRT1_2);
  });
});

describe('dot, dotXyz, cross, chordSquared', () => {
  const a = { x: 1, y: 2, z: 3 };
  const b = { x: -4, y: 5, z: 0.5 };
  it('dot and dotXyz: 1·−4 + 2·5 + 3·0.5 = 7.5', () => {
    expect(dot(a, b)).toBe(7.5);
    expect(dotXyz(a, b.x, b.y, b.z)).toBe(7.5);
  });
  it('cross: x × y = z, and the product is orthogonal to both', () => {
    expect(cross({ x: 1, y: 0, z: 0 }, { x: 0, y: 1, z: 0 })).toEqual({ x: 0, y: 0, z: 1 });
    const c = cross(a, b);
    expect(c).toEqual({ x: 2 * 0.5 - 3 * 5, y: 3 * -4 - 1 * 0.5, z: 1 * 5 - 2 * -4 });
    expect(dot(c, a)).toBe(0);
    expect(dot(c, b)).toBe(0);
  });
  it('chordSquared: (5² + 3² + 2.5²)', () => {
    expect(chordSquared(a, b)).toBe(25 + 9 + 6.25);
  });
});

describe('arcNm and offCircleNm', () => {
  it('arcNm of two points agrees with haversine (KAEX → ZYTX)', () => {
    const kaex = unitVector(31.3274, -92.549797);
    const zytx = unitVector(41.639801, 123.483002);
    expect(arcNm(dot(kaex, zytx))).toBeCloseTo(haversineNm(31.3274, -92.549797, 41.639801, 123.483002), 6);
  });
  it('arcNm: 0 at cos 1, a quarter circle at cos 0, half at cos −1; rounding past ±1 is clamped', () => {
    expect(arcNm(1)).toBe(0);
    expect(arcNm(1 + 1e-15)).toBe(0);
    expect(arcNm(0)).toBeCloseTo(90 * NM_PER_DEG, 9);
    expect(arcNm(-1 - 1e-15)).toBeCloseTo(180 * NM_PER_DEG, 9);
  });
  it('offCircleNm: a point 1° north of the equator is 60.04 nm off it, on either side', () => {
    const equatorNormal = { x: 0, y: 0, z: 1 };
    expect(offCircleNm(dot(equatorNormal, unitVector(1, 30)))).toBeCloseTo(NM_PER_DEG, 9);
    expect(offCircleNm(dot(equatorNormal, unitVector(-1, 30)))).toBeCloseTo(NM_PER_DEG, 9);
  });
});

describe('courseFrame', () => {
  it('flying east on the equator: heading +y, normal towards the north pole', () => {
    const f = courseFrame(0, 0, 90);
    expectVec(f.position, 1, 0, 0);
    expectVec(f.heading, 0, 1, 0);
    expectVec(f.normal, 0, 0, 1);
  });
  it('flying north at 0/0: heading towards the pole, normal towards 0°N 90°W (left)', () => {
    const f = courseFrame(0, 0, 0);
    expectVec(f.heading, 0, 0, 1);
    expectVec(f.normal, 0, -1, 0);
  });
  it('is orthonormal anywhere, and the normal picks out the great circle flown', () => {
    const f = courseFrame(41.6, 123.5, 237);
    for (const v of [f.position, f.heading, f.normal]) expect(dot(v, v)).toBeCloseTo(1, 12);
    expect(dot(f.position, f.heading)).toBeCloseTo(0, 12);
    expect(dot(f.position, f.normal)).toBeCloseTo(0, 12);
    expect(dot(f.heading, f.normal)).toBeCloseTo(0, 12);
  });
  it('ahead and left: a point 2° along the track is ahead and on the circle; one to the left is off it', () => {
    // Heading 045 from 10N 20E: a point straight ahead, and one 1° to the left (heading 315 from the start).
    const start = { lat: 10, lon: 20 };
    const f = courseFrame(start.lat, start.lon, 45);
    const ahead = unitVector(11.4, 21.42); // roughly along 045
    expect(dot(f.heading, ahead)).toBeGreaterThan(0);
    expect(dot(f.heading, unitVector(8.6, 18.58))).toBeLessThan(0); // behind
    expect(dot(f.normal, unitVector(11, 19))).toBeGreaterThan(0); // north-west: left of a north-east track
    expect(dot(f.normal, unitVector(9, 21))).toBeLessThan(0); // south-east: right
  });
});
