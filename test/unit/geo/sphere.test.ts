import { angleDiff, bearingDeg, boundingBoxes, haversineNm, normalizeLon } from '../../../src/geo/sphere';

describe('haversineNm', () => {
  it('measures one degree of latitude as 60.04 nm', () => {
    expect(haversineNm(10, 20, 11, 20)).toBeCloseTo(60.04, 2);
  });
  it('measures KAEX to ZYTX (about 5,900 nm great circle)', () => {
    const d = haversineNm(31.3274, -92.549797, 41.639801, 123.483002);
    expect(d).toBeGreaterThan(5800);
    expect(d).toBeLessThan(6000);
  });
  it('is short across the antimeridian', () => {
    expect(haversineNm(0, 179.9, 0, -179.9)).toBeCloseTo(12.0, 1);
  });
  it('is zero between two spellings of the pole', () => {
    expect(haversineNm(90, 0, 90, 123)).toBeCloseTo(0, 9);
  });
});

describe('boundingBoxes', () => {
  it('is one box away from the antimeridian and the poles', () => {
    const boxes = boundingBoxes(31.3, -92.5, 10);
    expect(boxes).toHaveLength(1);
    const [w, s, e, n] = boxes[0];
    expect(n - 31.3).toBeCloseTo(10 / 60.04, 3);
    expect(31.3 - s).toBeCloseTo(10 / 60.04, 3);
    // Wider in longitude by 1/cos(lat).
    expect(e - w).toBeGreaterThan(n - s);
  });
  it('splits in two across the antimeridian', () => {
    const boxes = boundingBoxes(-16.7, 179.95, 20);
    expect(boxes).toHaveLength(2);
    expect(boxes.some(([w, , e]) => w > 179 && e === 180)).toBe(true);
    expect(boxes.some(([w, , e]) => w === -180 && e > -180 && e < -179)).toBe(true);
  });
  it('covers every longitude when the circle reaches a pole', () => {
    const boxes = boundingBoxes(89.9, 10, 20);
    expect(boxes).toEqual([[-180, expect.any(Number), 180, 90]]);
  });
});

describe('normalizeLon', () => {
  it('wraps into [-180, 180)', () => {
    expect(normalizeLon(181)).toBeCloseTo(-179);
    expect(normalizeLon(-181)).toBeCloseTo(179);
    expect(normalizeLon(540)).toBeCloseTo(-180);
    expect(normalizeLon(12.5)).toBe(12.5);
  });
});

describe('bearingDeg', () => {
  it('is 0–360: east, south, west along the axes', () => {
    expect(bearingDeg(0, 0, 0, 10)).toBeCloseTo(90, 9);
    expect(bearingDeg(10, 0, 0, 0)).toBeCloseTo(180, 9);
    expect(bearingDeg(0, 10, 0, 0)).toBeCloseTo(270, 9);
  });
  it('heads north of west on the great circle KAEX → PANC (not the rhumb line)', () => {
    const b = bearingDeg(31.3274, -92.549797, 61.1744, -149.996);
    expect(b).toBeGreaterThan(300);
    expect(b).toBeLessThan(340);
  });
  it('takes the short way across the antimeridian', () => {
    expect(bearingDeg(0, 179.5, 0, -179.5)).toBeCloseTo(90, 9);
  });
});

describe('angleDiff', () => {
  it('is the smaller angle between two bearings, across north too', () => {
    expect(angleDiff(10, 350)).toBe(20);
    expect(angleDiff(350, 10)).toBe(20);
    expect(angleDiff(90, 270)).toBe(180);
    expect(angleDiff(45, 45)).toBe(0);
    expect(angleDiff(-30, 400)).toBe(70);
  });
});
