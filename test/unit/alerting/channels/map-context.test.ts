import { buildMapSvg, isTripMap, legsOf, trackPieces } from '../../../../src/alerting/channels/map';
import { LabelPlacer } from '../../../../src/alerting/channels/map/labels';
import { placeName } from '../../../../src/alerting/channels/map/places';
import type { Airport } from '../../../../src/places/airport-index';
import { LinearAirportIndex } from '../../../../src/places/linear-airport-index';
import type { EvidencePoint, FlightEvent } from '../../../../src/domain/event';
import { landingEvent } from './fixture';

const ap = (icao: string, iata: string | undefined, name: string, lat: number, lon: number, kind: string): Airport => ({
  icao,
  ...(iata ? { iata } : {}),
  name,
  country: 'US',
  lat,
  lon,
  kind,
});

const KAEX = ap('KAEX', 'AEX', 'Alexandria International Airport', 31.3274, -92.5498, 'medium_airport');
const MGGT = {
  ...ap('MGGT', 'GUA', 'La Aurora International Airport', 14.5833, -90.5275, 'large_airport'),
  country: 'GT',
};
const places = new LinearAirportIndex([
  KAEX,
  MGGT,
  ap('KMSY', 'MSY', 'Louis Armstrong New Orleans International Airport', 29.9934, -90.258, 'large_airport'),
  ap('KIAH', 'IAH', 'George Bush Intercontinental Houston Airport', 29.9844, -95.3414, 'large_airport'),
  ap('KBTR', 'BTR', 'Baton Rouge Metropolitan Airport', 30.5332, -91.1496, 'medium_airport'),
  ap('KPOE', undefined, 'Polk Army Air Field', 31.0448, -93.1917, 'medium_airport'),
  ap('KLCH', 'LCH', '<script>alert(1)</script> & Lake Charles', 30.1261, -93.2233, 'medium_airport'),
  ap('LFPG', 'CDG', 'Charles de Gaulle International Airport', 49.0097, 2.5479, 'large_airport'),
]);

/** n positions one minute apart from (lat0, lon0) to (lat1, lon1), ending at endIso. */
function line(lat0: number, lon0: number, lat1: number, lon1: number, n: number, endIso: string): EvidencePoint[] {
  const end = Date.parse(endIso);
  return Array.from({ length: n }, (_, i) => {
    const time = new Date(end - (n - 1 - i) * 60_000).toISOString();
    return {
      time,
      fetchedAt: time,
      lat: lat0 + ((lat1 - lat0) * i) / (n - 1),
      lon: lon0 + ((lon1 - lon0) * i) / (n - 1),
      altFt: 5000,
      onGround: false,
      source: 'adsblol',
    };
  });
}

function kaexLanding(): FlightEvent {
  const ev = landingEvent();
  ev.evidence = line(30.6, -91.9, 31.3274, -92.5498, 12, ev.time);
  ev.position = { lat: 31.3274, lon: -92.5498, altFt: null };
  return ev;
}

const inside = (xy: [number, number][], w: number, h: number) =>
  xy.every(([x, y]) => Number.isFinite(x) && x >= 0 && x <= w && y >= 0 && y <= h);

describe('event map context', () => {
  it('fits every track position inside the canvas, with room around a short track', () => {
    const map = buildMapSvg(kaexLanding(), { places })!;
    expect(map.trackXY).toHaveLength(12);
    expect(inside(map.trackXY, map.width, map.height)).toBe(true);
    // At least minRadiusNm around: a 12-position approach does not fill the map edge to edge.
    const xs = map.trackXY.map(([x]) => x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(map.width / 3);
  });

  it('does not zoom out to a stray position far beyond maxRadiusNm', () => {
    const ev = kaexLanding();
    ev.evidence.unshift({ ...ev.evidence[0], time: '2026-11-27T10:00:00Z', lat: 48, lon: 2 });
    const map = buildMapSvg(ev, { places, maxRadiusNm: 1500 })!;
    expect(inside(map.trackXY.slice(1), map.width, map.height)).toBe(true);
    expect(inside(map.trackXY.slice(0, 1), map.width, map.height)).toBe(false);
  });

  it('gives an inland airport coast, borders, land and nearby places, largest first', () => {
    const map = buildMapSvg(kaexLanding(), { places })!;
    // each layer present and not empty (an empty path is d="")
    for (const layer of ['land', 'coast', 'states', 'track'])
      expect(map.svg).toMatch(new RegExp(`<path d="M[^"]+"[^>]*class="${layer}"`));
    expect(map.svg).toContain('class="place"');
    expect(map.svg).toContain('TEXAS'); // a state name where there is room
    expect(map.places).toEqual(expect.arrayContaining(['Louis Armstrong New Orleans', 'George Bush Houston']));
    expect(map.places).not.toContain('Charles de Gaulle'); // out of view
    expect(map.places).not.toContain('Polk Army Air Field'); // medium without IATA: skipped
    expect(map.places).not.toContain('Alexandria'); // the event airport is marked, not a reference place
  });

  it('escapes hostile place names', () => {
    const map = buildMapSvg(kaexLanding(), { places, maxPlaces: 20 })!;
    expect(map.places.some((p) => p.includes('<script>'))).toBe(true);
    expect(map.svg).not.toContain('<script');
    expect(map.svg).toContain('&lt;script&gt;');
  });

  it('draws without places when there is no airport table', () => {
    const map = buildMapSvg(kaexLanding(), { places: null })!;
    expect(map.places).toEqual([]);
    expect(map.svg).toContain('class="coast"');
  });

  it('uses the trip map on a landing with a known departure, fitted to both airports', () => {
    const ev = kaexLanding();
    ev.airport = { ...MGGT };
    ev.evidence = line(15.6, -89.9, 14.5833, -90.5275, 12, ev.time);
    ev.position = { lat: 14.5833, lon: -90.5275, altFt: null };
    ev.details = { inferred: false, reason: 'air-to-ground', departure: 'KAEX' };
    expect(isTripMap(ev, places)).toBe(true);
    expect(legsOf(ev, places).map(([a, b]) => `${a.icao}>${b.icao}`)).toEqual(['KAEX>MGGT']);
    const map = buildMapSvg(ev, { places })!;
    expect(map.svg).toContain('class="leg"');
    expect(map.svg).toMatch(/<path d="M[^"]+"[^>]*class="borders"/); // Mexico, Guatemala, Belize
    expect(map.svg).not.toContain('class="states"'); // a continental view: no state lines
    expect(map.svg).toContain('KAEX Alexandria');
    expect(map.svg).toContain('MGGT La Aurora');
    // unknown departure, or no table to look it up in: the event map
    expect(isTripMap(ev, null)).toBe(false);
    ev.details = { inferred: false, reason: 'air-to-ground', departure: null };
    expect(isTripMap(ev, places)).toBe(false);
  });

  it('uses the trip map on a trip event: every leg drawn and every airport in view', () => {
    const ev = kaexLanding();
    ev.type = 'trip';
    ev.details = {
      tripId: 't1',
      status: 'closed',
      legs: [
        { from: KAEX, to: MGGT, departedAt: '2026-11-27T14:00:00Z', arrivedAt: '2026-11-27T17:00:00Z' },
        { from: MGGT, to: KAEX, departedAt: '2026-11-27T18:00:00Z', arrivedAt: '2026-11-27T21:00:00Z' },
      ],
      route: 'KAEX → MGGT → KAEX',
      origin: 'US',
      countries: ['GT'],
      destinations: [],
    };
    expect(isTripMap(ev, null)).toBe(true);
    const map = buildMapSvg(ev, { places: null })!;
    expect(map.svg.match(/class="leg"/g)).toHaveLength(2);
    expect(map.svg).toContain('MGGT');
  });

  it('does not use the trip map on a takeoff', () => {
    const ev = kaexLanding();
    ev.type = 'takeoff';
    ev.details = { inferred: false, reason: 'ground-to-air' };
    expect(isTripMap(ev, places)).toBe(false);
  });

  it('breaks the track at a reception gap instead of drawing through it', () => {
    const ev = kaexLanding();
    ev.evidence = [...line(25, -91, 26, -91, 5, '2026-11-27T15:00:00Z'), ...line(29, -92, 31.3, -92.5, 5, ev.time)];
    const pieces = trackPieces(ev);
    expect(pieces.map((p) => p.length)).toEqual([5, 6]); // the second piece closes with the event position
  });
});

describe('label placement', () => {
  it('moves a colliding label to a free spot and drops it when none is left', () => {
    const placer = new LabelPlacer({ x0: 0, y0: 0, x1: 200, y1: 100 });
    const a = placer.place(100, 50, 'Houston', 10, 6)!;
    const b = placer.place(100, 50, 'Houston', 10, 6)!;
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect([b.x, b.y, b.anchor]).not.toEqual([a.x, a.y, a.anchor]);
    for (let i = 0; i < 4; i++) placer.place(100, 50, 'Houston', 10, 6);
    expect(placer.place(100, 50, 'Houston', 10, 6)).toBeNull();
  });

  it('keeps labels inside the frame', () => {
    const placer = new LabelPlacer({ x0: 0, y0: 0, x1: 200, y1: 100 });
    const at = placer.place(195, 50, 'New Orleans', 10, 6)!;
    expect(at.anchor).toBe('end');
  });
});

describe('place names', () => {
  it('prefers the city, else strips the airport words', () => {
    expect(placeName({ icao: 'KAEX', name: 'Alexandria International Airport' })).toBe('Alexandria');
    expect(
      placeName({ icao: 'MMCP', name: 'Ingeniero Alberto Acuña Ongay International Airport', city: 'Campeche' }),
    ).toBe('Campeche');
    expect(placeName({ icao: 'XXXX', name: 'Airport' })).toBe('XXXX');
  });
});

describe('track pieces of a thinned trip track', () => {
  it('keeps evenly spaced positions in one piece even when they are 20 minutes apart', () => {
    const ev = landingEvent();
    ev.type = 'trip';
    ev.evidence = line(20, -91, 31, -92.5, 10, ev.time).map((p, i) => ({
      ...p,
      time: new Date(Date.parse(ev.time) - (9 - i) * 20 * 60_000).toISOString(),
    }));
    ev.position = { lat: 31, lon: -92.5, altFt: null };
    expect(trackPieces(ev).map((p) => p.length)).toEqual([10]);
  });
});
