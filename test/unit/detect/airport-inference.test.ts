/**
 * The airport inference model (src/detect/airport-inference.ts) on the geometry of the cases seen on real data
 * (issue 12): airports placed around an aircraft by bearing and distance.
 */
import { aircraftClass } from '../../../src/detect/aircraft-class';
import { inferArrival, inferDeparture, type TrackPoint } from '../../../src/detect/airport-inference';
import { destinationPoint } from '../../../src/geo/great-circle';
import type { Airport } from '../../../src/places/airport-index';
import { createAirportIndex } from '../../../src/places/kd-airport-index';

const HERE = { lat: 30, lon: -90 };
const KINDS = ['large_airport', 'medium_airport', 'small_airport', 'unknown', 'heliport'];

function place(icao: string, kind: string, brg: number, nm: number, elevationFt = 0): Airport {
  const p = destinationPoint(HERE, brg, nm);
  return { icao, name: icao, country: 'US', lat: p.lat, lon: p.lon, kind, elevationFt };
}

/** Five minutes flown on `trk` at `gs`, ending at HERE at `altFt` after descending at `fpm`. */
function approach(trk: number, altFt: number, gs: number, fpm = -800): TrackPoint[] {
  const out: TrackPoint[] = [];
  for (let m = 5; m >= 0; m--) {
    const p = destinationPoint(HERE, (trk + 180) % 360, (gs * m) / 60);
    out.push({ t: -m * 60_000, lat: p.lat, lon: p.lon, alt: altFt - fpm * m, gs, trk });
  }
  return out;
}

describe('airport inference: arrival', () => {
  it('a hub 3° off the track beats a GA field 32° off it that fits the glide path better', () => {
    const index = createAirportIndex([place('HUB', 'large_airport', 93, 14), place('GAF', 'small_airport', 122, 8)]);
    const inf = inferArrival(index, { track: approach(90, 2600, 200), cls: 'airliner', kinds: KINDS, maxNm: 30 });
    expect(inf?.airport.icao).toBe('HUB');
    expect(inf?.runnerUp?.icao).toBe('GAF');
    expect(inf?.confidence).toBeGreaterThan(0.9);
    expect(inf?.basis).toBe('airport-position');
  });

  it('an airport 4.4 nm ahead beats an air base 13 nm away and 87° off', () => {
    const index = createAirportIndex([place('AHD', 'medium_airport', 0, 4.4), place('BASE', 'large_airport', 87, 13)]);
    const inf = inferArrival(index, { track: approach(0, 1500, 160), cls: 'jet', kinds: KINDS, maxNm: 30 });
    expect(inf?.airport.icao).toBe('AHD');
    expect(inf?.runnerUp).toMatchObject({ icao: 'BASE', distanceNm: 13 });
  });

  it('an airliner is never sent to a heliport or the grass strip under its approach; a light aircraft may be', () => {
    const index = createAirportIndex([
      place('HELI', 'heliport', 0, 1),
      place('STRIP', 'small_airport', 0, 2.5),
      place('CITY', 'large_airport', 0, 9),
    ]);
    const track = approach(0, 1000, 140, -500);
    expect(inferArrival(index, { track, cls: 'airliner', kinds: KINDS, maxNm: 30 })?.airport.icao).toBe('CITY');
    const light = approach(0, 800, 90, -500);
    expect(inferArrival(index, { track: light, cls: 'light', kinds: KINDS, maxNm: 30 })?.airport.icao).toBe('STRIP');
  });

  it('names no airport it could not get down to (too high for the distance)', () => {
    const index = createAirportIndex([place('NEAR', 'large_airport', 0, 3)]);
    expect(inferArrival(index, { track: approach(0, 9000, 250), cls: 'jet', kinds: KINDS, maxNm: 30 })).toBeUndefined();
  });
});

describe('airport inference: departure', () => {
  it('a light aircraft first seen 89 ft above its field departed that field, not the served airport 11.5 nm away', () => {
    const index = createAirportIndex([
      place('FLD', 'small_airport', 180, 0.3, 500),
      place('SRV', 'medium_airport', 90, 11.5, 20),
    ]);
    const inf = inferDeparture(index, {
      at: { t: 0, ...HERE, alt: 589, gs: 70, trk: 0 },
      cls: aircraftClass('C172', 70),
      kinds: KINDS,
      maxNm: 30,
      maxAglFt: 10_000,
    });
    expect(inf?.airport.icao).toBe('FLD');
    expect(inf?.aircraftClass).toBe('light');
  });

  it("an airliner's departure is the big airport, not the GA field beside it", () => {
    const index = createAirportIndex([place('BIG', 'large_airport', 180, 3), place('GA', 'small_airport', 200, 2.5)]);
    const inf = inferDeparture(index, {
      at: { t: 0, ...HERE, alt: 1500, gs: 170, trk: 0 },
      cls: aircraftClass('B738', 170),
      kinds: KINDS,
      maxNm: 30,
      maxAglFt: 10_000,
    });
    expect(inf?.airport.icao).toBe('BIG');
    expect(inf?.runnerUp?.icao).toBe('GA');
  });
});

describe('aircraft class', () => {
  it('from the type designator, else from speed', () => {
    expect(aircraftClass('B738', undefined)).toBe('airliner');
    expect(aircraftClass('A320', undefined)).toBe('airliner');
    expect(aircraftClass('GLF5', undefined)).toBe('jet');
    expect(aircraftClass('C172', 110)).toBe('light');
    expect(aircraftClass('EC35', undefined)).toBe('helicopter');
    expect(aircraftClass(undefined, 280)).toBe('jet');
    expect(aircraftClass(undefined, 120)).toBe('unknown');
  });
});
