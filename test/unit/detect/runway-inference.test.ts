/**
 * The airport inference model with runway data (thresholds, headings, lengths): hand-made airports placed around
 * an aircraft by bearing and distance, each with the same airports stripped of runways for comparison.
 */
import { inferArrival, inferDeparture, runwayAlignment, type TrackPoint } from '../../../src/detect/airport-inference';
import { destinationPoint } from '../../../src/geo/great-circle';
import type { Airport, RunwayEnd } from '../../../src/places/airport-index';
import { createAirportIndex } from '../../../src/places/kd-airport-index';

const HERE = { lat: 30, lon: -90 };
const KINDS = ['large_airport', 'medium_airport', 'small_airport', 'unknown'];

/** An airport at `brg`/`nm` from HERE with one runway through its reference point, on true heading `rwyHdg`. */
function field(
  icao: string,
  kind: string,
  brg: number,
  nm: number,
  rwyHdg: number,
  lengthFt = 9000,
  soft = false,
): Airport {
  const p = destinationPoint(HERE, brg, nm);
  const half = lengthFt / 6076 / 2;
  const low = destinationPoint(p, (rwyHdg + 180) % 360, half);
  const high = destinationPoint(p, rwyHdg, half);
  const num = (h: number) => String(Math.round(h / 10) || 36).padStart(2, '0');
  const ends: RunwayEnd[] = [
    { ident: num(rwyHdg), lat: low.lat, lon: low.lon, headingDeg: rwyHdg },
    { ident: num((rwyHdg + 180) % 360), lat: high.lat, lon: high.lon, headingDeg: (rwyHdg + 180) % 360 },
  ];
  return {
    icao,
    name: icao,
    country: 'US',
    lat: p.lat,
    lon: p.lon,
    kind,
    elevationFt: 0,
    runwayEnds: ends,
    longestRunwayFt: lengthFt,
    longestHardRunwayFt: soft ? undefined : lengthFt,
  };
}

const withoutRunways = (a: Airport): Airport => ({
  icao: a.icao,
  name: a.name,
  country: a.country,
  lat: a.lat,
  lon: a.lon,
  kind: a.kind,
  elevationFt: a.elevationFt,
});

/** Five minutes flown on `trk` at `gs`, ending at HERE at `altFt`. */
function approach(trk: number, altFt: number, gs: number, fpm = -700): TrackPoint[] {
  const out: TrackPoint[] = [];
  for (let m = 5; m >= 0; m--) {
    const p = destinationPoint(HERE, (trk + 180) % 360, (gs * m) / 60);
    out.push({ t: -m * 60_000, lat: p.lat, lon: p.lon, alt: altFt - fpm * m, gs, trk });
  }
  return out;
}

describe('runway alignment', () => {
  const end: RunwayEnd = { ident: '09', lat: 30, lon: -89.9, headingDeg: 90 };
  it('is 1 on the extended centerline on the runway heading, 0 beyond 15° of heading or outside the funnel', () => {
    const on = destinationPoint(end, 270, 6);
    const brg = (p: { lat: number; lon: number }) => Math.atan2(end.lon - p.lon, end.lat - p.lat) * (180 / Math.PI);
    expect(runwayAlignment(end, 90, 6, brg(on))).toBeGreaterThan(0.99);
    expect(runwayAlignment(end, 108, 6, 90)).toBe(0);
    // 3 nm abeam the centerline 6 nm out: far outside a 1.4 nm funnel.
    expect(runwayAlignment(end, 90, 6.7, 90 - 26.6)).toBe(0);
    // Already past the threshold, flying away from it.
    expect(runwayAlignment(end, 90, 2, 270)).toBe(0);
    // Lost over the runway itself, 1 nm past the threshold: lined up while within the runway's length.
    expect(runwayAlignment(end, 90, 1, 270, 1.5)).toBeGreaterThan(0.99);
    expect(runwayAlignment(end, 90, 2, 270, 1.5)).toBe(0);
    // Farther than a long straight-in final.
    expect(runwayAlignment(end, 90, 20, 90)).toBe(0);
  });
});

describe('airport inference with runways: arrival', () => {
  it('of two airports ahead, names the one whose runway the track lines up with', () => {
    // CROSS is a touch nearer and straighter ahead, but its only runway runs north-south.
    const airports = [field('CROSS', 'medium_airport', 87, 8, 0), field('LINED', 'medium_airport', 95, 8.6, 90)];
    const track = approach(90, 2200, 160);
    const plain = inferArrival(createAirportIndex(airports.map(withoutRunways)), {
      track,
      cls: 'jet',
      kinds: KINDS,
      maxNm: 30,
    });
    expect(plain?.airport.icao).toBe('CROSS');
    expect(plain?.basis).toBe('airport-position');
    const inf = inferArrival(createAirportIndex(airports), { track, cls: 'jet', kinds: KINDS, maxNm: 30 });
    expect(inf).toMatchObject({
      airport: { icao: 'LINED' },
      basis: 'runways',
      runway: '09',
      runnerUp: { icao: 'CROSS' },
    });
    expect(inf!.confidence).toBeGreaterThan(0.75);
  });

  it('an airliner goes to the 2,700 m runway, not the 1,000 m one nearer on the same line; a light aircraft may', () => {
    const airports = [
      field('SHORT', 'medium_airport', 90, 5, 90, 3300),
      field('LONG', 'medium_airport', 92, 9, 90, 9000),
    ];
    const airliner = inferArrival(createAirportIndex(airports), {
      track: approach(90, 1800, 150),
      cls: 'airliner',
      kinds: KINDS,
      maxNm: 30,
    });
    expect(airliner?.airport.icao).toBe('LONG');
    expect(airliner?.basis).toBe('runways');
    const light = inferArrival(createAirportIndex(airports), {
      track: approach(90, 1500, 90, -400),
      cls: 'light',
      kinds: KINDS,
      maxNm: 30,
    });
    expect(light?.airport.icao).toBe('SHORT');
  });

  it('a long grass runway does not count as hard for an airliner', () => {
    const airports = [
      field('GRASS', 'medium_airport', 90, 5, 90, 6000, true),
      field('PAVED', 'medium_airport', 92, 9, 90, 9000),
    ];
    const inf = inferArrival(createAirportIndex(airports), {
      track: approach(90, 1800, 150),
      cls: 'airliner',
      kinds: KINDS,
      maxNm: 30,
    });
    expect(inf?.airport.icao).toBe('PAVED');
  });

  it('says airport-position when the named airport has lengths but no thresholds, even if a rival has them', () => {
    const airports = [
      {
        ...withoutRunways(field('BARE', 'large_airport', 90, 6, 90)),
        longestRunwayFt: 9000,
        longestHardRunwayFt: 9000,
      },
      field('OTHER', 'medium_airport', 200, 12, 0),
    ];
    const inf = inferArrival(createAirportIndex(airports), {
      track: approach(90, 2000, 160),
      cls: 'jet',
      kinds: KINDS,
      maxNm: 30,
    });
    expect(inf?.airport.icao).toBe('BARE');
    expect(inf?.basis).toBe('airport-position');
    expect(inf?.runway).toBeUndefined();
  });
});

describe('airport inference with runways: departure', () => {
  it('names the airport whose runway the climb-out follows, more surely than by position alone', () => {
    const airports = [field('RWY36', 'medium_airport', 180, 3, 0), field('CROSS', 'medium_airport', 200, 2.5, 90)];
    const q = {
      at: { t: 0, ...HERE, alt: 1500, gs: 170, trk: 0 },
      cls: 'airliner' as const,
      kinds: KINDS,
      maxNm: 30,
      maxAglFt: 10_000,
    };
    const plain = inferDeparture(createAirportIndex(airports.map(withoutRunways)), q);
    const inf = inferDeparture(createAirportIndex(airports), q);
    expect(inf).toMatchObject({ airport: { icao: 'RWY36' }, basis: 'runways', runway: '36' });
    expect(inf!.confidence).toBeGreaterThan(plain!.confidence + 0.2);
  });
});
