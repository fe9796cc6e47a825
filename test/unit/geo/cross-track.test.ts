import { distanceToSegmentNm } from '../../../src/geo/cross-track';
import { EARTH_RADIUS_NM } from '../../../src/geo/sphere';

const NM_PER_DEG = EARTH_RADIUS_NM * (Math.PI / 180);

describe('distanceToSegmentNm', () => {
  // A → B: 0°N 0°E → 0°N 10°E along the equator.
  const seg = (lat: number, lon: number) => distanceToSegmentNm(0, 0, 0, 10, lat, lon);

  it('is the cross-track distance beside the segment, on either side', () => {
    expect(seg(1, 5)).toBeCloseTo(NM_PER_DEG, 6);
    expect(seg(-2, 3)).toBeCloseTo(2 * NM_PER_DEG, 6);
    expect(seg(0, 7)).toBeCloseTo(0, 6);
  });
  it('is the distance to the nearer end beyond either end', () => {
    expect(seg(0, 12)).toBeCloseTo(2 * NM_PER_DEG, 6);
    expect(seg(0, -3)).toBeCloseTo(3 * NM_PER_DEG, 6);
  });
  it('is the distance to A for a segment of no length', () => {
    expect(distanceToSegmentNm(5, 5, 5, 5, 6, 5)).toBeCloseTo(NM_PER_DEG, 6);
  });
  it('a worked example: 53.2611N 0.7972W from the path 53.3206N 1.7297W → 53.1887N 0.1334E is 307.5 m', () => {
    // movable-type.co.uk, "Cross-track distance" (R = 6371 km): −307.5 m, i.e. 0.166 nm on a 6,371 km sphere.
    const d = distanceToSegmentNm(53.3206, -1.7297, 53.1887, 0.1334, 53.2611, -0.7972);
    expect(d).toBeCloseTo((0.3075 / 6371) * EARTH_RADIUS_NM, 3);
  });
});
