/**
 * Corridor search on its own (src/trips/corridor.ts): who is in the list, nearest first, and when a corridor is
 * reused. That scoring over it equals a full scan is checked in predict.test.ts.
 */
import { tripsSchema } from '../../../src/config/trips-schema';
import { destinationPoint } from '../../../src/geo/great-circle';
import { courseFrame } from '../../../src/geo/vector';
import type { Airport } from '../../../src/places/airport-index';
import { createAirportIndex } from '../../../src/places/kd-airport-index';
import { buildCandidates } from '../../../src/trips';
import { CORRIDOR_MOVE_NM, corridorHolds, CorridorSearch } from '../../../src/trips/corridor';
import { reachOf } from '../../../src/trips/reach';

const origin = { lat: 10, lon: -60 };
const row = (icao: string, brg: number, nm: number): Airport => ({
  icao,
  name: icao,
  country: 'ZZ',
  ...destinationPoint(origin, brg, nm),
  elevationFt: 0,
  kind: 'large_airport',
});
// Flying 045 from the origin: airports ahead on the track, off it, behind, and out of range.
const airports = [
  row('FAR1', 45, 1500),
  row('NEAR', 45, 200),
  row('MID1', 50, 700),
  row('LEFT', 45 - 90, 900), // 900 nm abeam: off a 100 nm σ corridor's 400 nm band
  row('BACK', 225, 900),
  row('GONE', 45, 3000),
];
const cfg = tripsSchema.parse({ enRoute: { maxRangeNm: 2000, corridorMaxNm: 100 } }).enRoute;
const set = buildCandidates(createAirportIndex(airports), [], cfg);
const search = new CorridorSearch(set, reachOf(cfg));
const icaos = (members: Int32Array) => Array.from(members, (i) => set.list[i].airport.icao);

describe('CorridorSearch', () => {
  it('lists the candidates in the band ahead and in range, nearest first', () => {
    const corridor = search.corridorFor(courseFrame(origin.lat, origin.lon, 45));
    expect(icaos(corridor.members)).toEqual(['NEAR', 'MID1', 'FAR1']);
  });
  it('reuses a corridor while the course holds, and finds a new one after a turn', () => {
    const first = search.corridorFor(courseFrame(origin.lat, origin.lon, 45));
    const on = destinationPoint(origin, 45, 50);
    expect(search.corridorFor(courseFrame(on.lat, on.lon, 46), first)).toBe(first);
    const turned = search.corridorFor(courseFrame(on.lat, on.lon, 225), first);
    expect(turned).not.toBe(first);
    // NEAR, now 150 nm behind, stays listed: within the margin (turn + move) a reused corridor needs.
    expect(icaos(turned.members)).toEqual(['NEAR', 'BACK']);
  });
});

describe('corridorHolds', () => {
  const first = search.corridorFor(courseFrame(origin.lat, origin.lon, 90));
  it('holds for a turn under 2° and fails for one over', () => {
    expect(corridorHolds(first, courseFrame(origin.lat, origin.lon, 91.9))).toBe(true);
    expect(corridorHolds(first, courseFrame(origin.lat, origin.lon, 92.1))).toBe(false);
  });
  it('holds along the same great circle until the aircraft has moved CORRIDOR_MOVE_NM', () => {
    // Flying east along the equator keeps the course-plane normal: only the move counts.
    const eq = search.corridorFor(courseFrame(0, 0, 90));
    const at = (nm: number) => destinationPoint({ lat: 0, lon: 0 }, 90, nm);
    expect(corridorHolds(eq, courseFrame(at(CORRIDOR_MOVE_NM - 1).lat, at(CORRIDOR_MOVE_NM - 1).lon, 90))).toBe(true);
    expect(corridorHolds(eq, courseFrame(at(CORRIDOR_MOVE_NM + 1).lat, at(CORRIDOR_MOVE_NM + 1).lon, 90))).toBe(false);
  });
});
