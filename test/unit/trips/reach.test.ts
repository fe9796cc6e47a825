/** Where a candidate can count (src/trips/reach.ts): range, corridor band, ahead or overhead — for caps at once. */
import { destinationPoint } from '../../../src/geo/great-circle';
import { EARTH_RADIUS_NM } from '../../../src/geo/sphere';
import { courseFrame, unitVector } from '../../../src/geo/vector';
import type { DestinationCaps } from '../../../src/trips/candidates';
import { capLimits, capOutOfReach, OVERHEAD_NM, reachOf } from '../../../src/trips/reach';

const R = EARTH_RADIUS_NM;

describe('reachOf', () => {
  it('range and band from the config; the band is 4 σ at the widest', () => {
    const reach = reachOf({ maxRangeNm: 3000, corridorMaxNm: 100 });
    expect(reach.rangeRad).toBeCloseTo(3000 / R, 15);
    expect(reach.minCos).toBeCloseTo(Math.cos(3000 / R), 15);
    expect(reach.bandRad).toBeCloseTo(400 / R, 15);
    expect(reach.bandSin).toBeCloseTo(Math.sin(400 / R), 15);
    expect(reach.overheadCos).toBeCloseTo(Math.cos(OVERHEAD_NM / R), 15);
  });
  it('never beyond 10,000 nm, and the band never beyond a hemisphere', () => {
    const reach = reachOf({ maxRangeNm: 50_000, corridorMaxNm: 10_000 });
    expect(reach.rangeRad).toBeCloseTo(10_000 / R, 15);
    expect(reach.bandRad).toBe(Math.PI / 2);
  });
});

describe('capOutOfReach', () => {
  // An aircraft at 0/0 flying east; caps of radius 50 nm at points around it.
  const frame = courseFrame(0, 0, 90);
  const reach = reachOf({ maxRangeNm: 2000, corridorMaxNm: 100 });
  const at = (brg: number, nm: number) => destinationPoint({ lat: 0, lon: 0 }, brg, nm);
  const centres = [
    at(90, 1000), // 0: ahead on the track
    at(90, 2030), // 1: beyond range, but the cap's near edge is inside it
    at(90, 2060), // 2: wholly beyond range
    at(0, 500), // 3: 500 nm off the track (band 400 nm + 50 nm radius)
    at(0, 420), // 4: partly inside the band
    at(270, 500), // 5: behind
    at(270, 40), // 6: behind, the cap reaching overhead (within 3 nm of the aircraft)
  ];
  const caps: DestinationCaps = {
    x: Float64Array.from(centres, (c) => unitVector(c.lat, c.lon).x),
    y: Float64Array.from(centres, (c) => unitVector(c.lat, c.lon).y),
    z: Float64Array.from(centres, (c) => unitVector(c.lat, c.lon).z),
    radius: new Float64Array(centres.length).fill(50 / R),
    members: new Int32Array(0),
    groupStart: new Int32Array(1),
    destGroups: new Int32Array(1),
    groups: 0,
  };
  const limits = capLimits(caps.radius, reach);
  const out = centres.map((_, k) => capOutOfReach(caps, limits, k, frame));

  it('keeps a cap any point of which may count', () => {
    expect([out[0], out[1], out[4], out[6]]).toEqual([false, false, false, false]);
  });
  it('skips a cap wholly out of range, off the band, or behind and not overhead', () => {
    expect([out[2], out[3], out[5]]).toEqual([true, true, true]);
  });
  it('a cap as large as a hemisphere is never skipped', () => {
    const huge = { ...caps, radius: new Float64Array(centres.length).fill(Math.PI / 2) };
    const hugeLimits = capLimits(huge.radius, reach);
    expect(centres.some((_, k) => capOutOfReach(huge, hugeLimits, k, frame))).toBe(false);
  });
});
