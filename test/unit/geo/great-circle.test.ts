/**
 * Point forms and paths against published worked examples (Chris Veness, "Calculate distance, bearing and more
 * between latitude/longitude points", movable-type.co.uk; spherical Earth, R = 6371 km, values to the second).
 */
import { bearingDeg, destinationPoint, distanceNm, interpolate } from '../../../src/geo/great-circle';
import { EARTH_RADIUS_NM } from '../../../src/geo/sphere';

const dms = (d: number, m: number, s: number) => Math.sign(d || 1) * (Math.abs(d) + m / 60 + s / 3600);
/** The example's distances are on a 6,371 km sphere: the same angle on ours. */
const nmOfKm = (km: number) => (km / 6371) * EARTH_RADIUS_NM;
const ONE_SECOND = 1 / 3600;

// Land's End → John o' Groats.
const landsEnd = { lat: dms(50, 3, 59), lon: -dms(5, 42, 53) };
const johnOGroats = { lat: dms(58, 38, 38), lon: -dms(3, 4, 12) };

describe('distanceNm', () => {
  it("Land's End to John o' Groats: 968.9 km", () => {
    expect(Math.abs(distanceNm(landsEnd, johnOGroats) - nmOfKm(968.9))).toBeLessThan(0.1);
  });
  it('a quarter of the equator', () => {
    expect(distanceNm({ lat: 0, lon: 0 }, { lat: 0, lon: 90 })).toBeCloseTo((Math.PI / 2) * EARTH_RADIUS_NM, 9);
  });
});

describe('bearingDeg', () => {
  it("Land's End to John o' Groats: 009°07′11″", () => {
    expect(Math.abs(bearingDeg(landsEnd, johnOGroats) - dms(9, 7, 11))).toBeLessThan(ONE_SECOND);
  });
  it('due east along the equator, due north along a meridian, due south from the north', () => {
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 0, lon: 10 })).toBeCloseTo(90, 9);
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 10, lon: 0 })).toBeCloseTo(0, 9);
    expect(bearingDeg({ lat: 10, lon: 0 }, { lat: 0, lon: 0 })).toBeCloseTo(180, 9);
  });
});

describe('interpolate', () => {
  it("halfway Land's End to John o' Groats: 54°21′44″N, 004°31′50″W", () => {
    const mid = interpolate(landsEnd, johnOGroats, 0.5);
    expect(Math.abs(mid.lat - dms(54, 21, 44))).toBeLessThan(ONE_SECOND);
    expect(Math.abs(mid.lon + dms(4, 31, 50))).toBeLessThan(ONE_SECOND);
  });
  it('returns the ends at 0 and 1, and the start for a zero-length path', () => {
    const a = interpolate(landsEnd, johnOGroats, 0);
    const b = interpolate(landsEnd, johnOGroats, 1);
    expect(a.lat).toBeCloseTo(landsEnd.lat, 9);
    expect(a.lon).toBeCloseTo(landsEnd.lon, 9);
    expect(b.lat).toBeCloseTo(johnOGroats.lat, 9);
    expect(b.lon).toBeCloseTo(johnOGroats.lon, 9);
    expect(interpolate(landsEnd, landsEnd, 0.5)).toEqual(landsEnd);
  });
  it('follows the great circle, not the rhumb line: halfway between two points at 60°N lies north of 60°', () => {
    const mid = interpolate({ lat: 60, lon: -45 }, { lat: 60, lon: 45 }, 0.5);
    expect(mid.lon).toBeCloseTo(0, 9);
    // tan(lat) = tan(60°) / cos(45°).
    expect(mid.lat).toBeCloseTo(Math.atan(Math.tan(Math.PI / 3) / Math.cos(Math.PI / 4)) * (180 / Math.PI), 9);
  });
  it('crosses the antimeridian the short way', () => {
    const mid = interpolate({ lat: 0, lon: 170 }, { lat: 0, lon: -170 }, 0.5);
    expect(Math.abs(mid.lon)).toBeCloseTo(180, 9);
    expect(mid.lat).toBeCloseTo(0, 9);
  });
});

describe('destinationPoint', () => {
  it('53°19′14″N 001°43′47″W, 096°01′18″ for 124.8 km: 53°11′18″N 000°08′00″E', () => {
    const p = destinationPoint({ lat: dms(53, 19, 14), lon: -dms(1, 43, 47) }, dms(96, 1, 18), nmOfKm(124.8));
    expect(Math.abs(p.lat - dms(53, 11, 18))).toBeLessThan(ONE_SECOND);
    expect(Math.abs(p.lon - dms(0, 8, 0))).toBeLessThan(ONE_SECOND);
  });
  it('one degree north is 60.04 nm', () => {
    const p = destinationPoint({ lat: 10, lon: 20 }, 0, EARTH_RADIUS_NM * (Math.PI / 180));
    expect(p.lat).toBeCloseTo(11, 9);
    expect(p.lon).toBeCloseTo(20, 9);
  });
  it('wraps the longitude across the antimeridian', () => {
    const p = destinationPoint({ lat: 0, lon: 179.5 }, 90, EARTH_RADIUS_NM * (Math.PI / 180));
    expect(p.lon).toBeCloseTo(-179.5, 9);
  });
  it('is the inverse of distance and bearing', () => {
    const p = destinationPoint(landsEnd, bearingDeg(landsEnd, johnOGroats), distanceNm(landsEnd, johnOGroats));
    expect(distanceNm(p, johnOGroats)).toBeLessThan(1e-6);
  });
});
