import fc from 'fast-check';
import type { Airport } from '../../../src/places/airport-index';
import { haversineNm } from '../../../src/geo/sphere';
import { createAirportIndex } from '../../../src/places/kd-airport-index';
import { FIXED_WING_KINDS } from '../../../src/places/kinds';
import { LinearAirportIndex } from '../../../src/places/linear-airport-index';

const ap = (icao: string, lat: number, lon: number, kind = 'small_airport'): Airport => ({
  icao,
  name: icao,
  country: 'ZZ',
  lat,
  lon,
  kind,
});

/** Deterministic airports clustered where spherical geometry is awkward: poles, antimeridian, equator. */
function syntheticAirports(n: number, seed = 1): Airport[] {
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const kinds = ['large_airport', 'medium_airport', 'small_airport', 'heliport', 'seaplane_base', 'closed', 'unknown'];
  const out: Airport[] = [];
  for (let i = 0; i < n; i++) {
    const zone = i % 4;
    const lat = zone === 0 ? 85 + rnd() * 5 : zone === 1 ? -90 + rnd() * 5 : -60 + rnd() * 120;
    const lon = zone === 2 ? (rnd() < 0.5 ? 178 + rnd() * 2 : -180 + rnd() * 2) : -180 + rnd() * 360;
    out.push(ap(`X${i}`, lat, lon, kinds[i % kinds.length]));
  }
  return out;
}

describe('kd-tree airport index', () => {
  const airports = syntheticAirports(4000);
  const kd = createAirportIndex(airports);
  const linear = new LinearAirportIndex(airports);

  it('agrees with a linear haversine scan for nearest, within and kind filters (anywhere on Earth)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.constantFrom(5, 30, 119, 121, 400),
        fc.option(fc.subarray(['large_airport', 'small_airport', 'heliport', 'unknown'], { minLength: 1 }), {
          nil: undefined,
        }),
        (lat, lon, maxNm, kinds) => {
          const a = kd.nearest(lat, lon, { maxNm, kinds });
          const b = linear.nearest(lat, lon, { maxNm, kinds });
          expect(Boolean(a)).toBe(Boolean(b));
          if (a && b) expect(a.distanceNm).toBeCloseTo(b.distanceNm, 6);
          const wa = kd.within(lat, lon, { maxNm, kinds, limit: 5 }).map((x) => x.distanceNm);
          const wb = linear.within(lat, lon, { maxNm, kinds, limit: 5 }).map((x) => x.distanceNm);
          expect(wa.length).toBe(wb.length);
          wa.forEach((d, i) => expect(d).toBeCloseTo(wb[i], 6));
        },
      ),
      { numRuns: 400, seed: 7 },
    );
  });

  it('finds an airport across the antimeridian rather than a farther one on the same side', () => {
    const idx = createAirportIndex([ap('EAST', 0, -179.9), ap('WEST', 0, 179.5)]);
    const r = idx.nearest(0, 179.95, { maxNm: 50 });
    expect(r?.icao).toBe('EAST');
    expect(r?.distanceNm).toBeCloseTo(haversineNm(0, 179.95, 0, -179.9), 9);
    // Same through geokdbush (radius above the box threshold).
    expect(idx.nearest(0, 179.95, { maxNm: 500 })?.icao).toBe('EAST');
    expect(idx.within(0, -179.95, { maxNm: 50 }).map((a) => a.icao)).toEqual(['EAST', 'WEST']);
  });

  it('finds an airport on the far side of the pole', () => {
    const idx = createAirportIndex([ap('ACROSS', 89.9, 180), ap('SAMESIDE', 89.5, 0)]);
    // 0.1° beyond the pole is 12 nm; the same-meridian one is 24 nm.
    const r = idx.nearest(89.9, 0, { maxNm: 30 });
    expect(r?.icao).toBe('ACROSS');
    expect(r?.distanceNm).toBeCloseTo(12.0, 1);
    expect(idx.nearest(-89.95, 45, { maxNm: 30 })).toBeUndefined();
  });

  it('respects maxNm exactly and the kinds filter', () => {
    const idx = createAirportIndex([
      ap('HELI', 0, 0.05, 'heliport'),
      ap('FIELD', 0, 0.2, 'medium_airport'),
      ap('SHUT', 0, 0.01, 'closed'),
    ]);
    expect(idx.nearest(0, 0, { maxNm: 20 })?.icao).toBe('SHUT');
    expect(idx.nearest(0, 0, { maxNm: 20, kinds: FIXED_WING_KINDS })?.icao).toBe('FIELD');
    expect(idx.nearest(0, 0, { maxNm: 20, kinds: ['heliport'] })?.icao).toBe('HELI');
    expect(idx.nearest(0, 0, { maxNm: 11, kinds: ['medium_airport'] })).toBeUndefined(); // FIELD is 12.0 nm away
    expect(idx.within(0, 0, { maxNm: 20 }).map((a) => a.icao)).toEqual(['SHUT', 'HELI', 'FIELD']);
    expect(idx.within(0, 0, { maxNm: 20, limit: 2 }).map((a) => a.icao)).toEqual(['SHUT', 'HELI']);
  });

  it('looks airports up by code, case-insensitively, and rejects nonsense queries', () => {
    const idx = createAirportIndex([ap('KAEX', 31.3274, -92.549797)], new Map([['US', 'United States']]));
    expect(idx.byIcao(' kaex ')?.icao).toBe('KAEX');
    expect(idx.byIcao('ZZZZ')).toBeUndefined();
    expect(idx.countryName('us')).toBe('United States');
    expect(idx.nearest(NaN, 0, { maxNm: 10 })).toBeUndefined();
    expect(idx.nearest(31.3274, -92.549797, { maxNm: 0 })).toBeUndefined();
    expect(idx.size).toBe(1);
  });
});
