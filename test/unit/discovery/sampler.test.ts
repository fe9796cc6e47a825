/**
 * The sighting sampler: only unlisted aircraft on the ground or low at a hub (or an airport in a country of
 * return) are kept, one per aircraft, place and callsign per sampling window, at most maxPerCycle a cycle.
 */
import { NO_FLAGS, type AircraftState } from '../../../src/domain/aircraft-state';
import { SightingSampler, type SamplerOptions } from '../../../src/discovery/sighting';
import { destinationPoint } from '../../../src/geo/great-circle';

const KAEX = { icao: 'KAEX', lat: 31.3274, lon: -92.5498, country: 'US' };
const MGGT = { icao: 'MGGT', lat: 14.5833, lon: -90.5275, country: 'GT' };
const T0 = Date.UTC(2026, 2, 2, 8);
const MIN = 60_000;

function state(
  hex: string,
  at: { lat: number; lon: number },
  t: number,
  extra: Partial<AircraftState> = {},
): AircraftState {
  return {
    hex,
    lat: at.lat,
    lon: at.lon,
    onGround: true,
    flags: NO_FLAGS,
    observedAt: t,
    sourceId: 'adsblol',
    fetchedAt: t,
    ...extra,
  };
}

const sampler = (o: Partial<SamplerOptions> = {}) =>
  new SightingSampler({
    hubs: [KAEX],
    destinationNear: (lat, lon) =>
      Math.abs(lat - MGGT.lat) < 0.1 && Math.abs(lon - MGGT.lon) < 0.1 ? MGGT : undefined,
    isListed: (s) => s.hex === 'listed',
    radiusNm: 8,
    lowAltitudeFt: 3000,
    sampleMinutes: 180,
    maxPerCycle: 100,
    ...o,
  });

it('keeps unlisted aircraft on the ground or low near a hub, with source and time', () => {
  const s = sampler();
  const out = s.sample(
    [
      state('a00001', KAEX, T0, { callsign: 'GXA6001', type: 'A320' }),
      state('a00002', destinationPoint(KAEX, 90, 5), T0, { onGround: false, altFt: 1800 }),
      state('a00003', destinationPoint(KAEX, 90, 5), T0, { onGround: false, altFt: 9000 }), // overflying
      state('a00004', destinationPoint(KAEX, 90, 30), T0), // another airfield
      state('listed', KAEX, T0),
      state('a00005', MGGT, T0),
    ],
    T0,
  );
  expect(out.map((x) => [x.hex, x.place, x.hub])).toEqual([
    ['a00001', 'KAEX', true],
    ['a00002', 'KAEX', true],
    ['a00005', 'MGGT', false],
  ]);
  expect(out[0]).toMatchObject({ source: 'adsblol', at: T0, callsign: 'GXA6001', type: 'A320', onGround: true });
  expect(out[1]).toMatchObject({ altFt: 1800, onGround: false });
});

it('keeps one sighting per aircraft, place and callsign per window', () => {
  const s = sampler();
  expect(s.sample([state('a00001', KAEX, T0)], T0)).toHaveLength(1);
  expect(s.sample([state('a00001', KAEX, T0 + 60 * MIN)], T0 + 60 * MIN)).toHaveLength(0);
  // a new callsign is new evidence
  expect(s.sample([state('a00001', KAEX, T0 + 61 * MIN, { callsign: 'SWQ310' })], T0 + 61 * MIN)).toHaveLength(1);
  expect(s.sample([state('a00001', KAEX, T0 + 181 * MIN)], T0 + 181 * MIN)).toHaveLength(1);
});

it('bounds the sightings of one cycle', () => {
  const states = Array.from({ length: 50 }, (_, i) => state(`b${String(i).padStart(5, '0')}`, KAEX, T0));
  expect(sampler({ maxPerCycle: 7 }).sample(states, T0)).toHaveLength(7);
});

it('samples again what could not be stored', () => {
  const s = sampler();
  const first = s.sample([state('a00001', KAEX, T0)], T0);
  s.forget(first);
  expect(s.sample([state('a00001', KAEX, T0 + MIN)], T0 + MIN)).toHaveLength(1);
});
