/** The real reference tables in ../shared/data: each format parses, and the merged table has what alerts need. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildAirports } from '../../../src/data/build-airports';
import { parseOpenFlightsAirports } from '../../../src/data/formats/openflights';
import { parseOurAirports, parseOurAirportsCountries } from '../../../src/data/formats/ourairports';
import { validateVrsAircraft } from '../../../src/data/formats/vrs-aircraft';
import { parseVrsAirports } from '../../../src/data/formats/vrs-airports';
import type { Airport } from '../../../src/places/airport-index';
import { EARTH_RADIUS_NM, RAD } from '../../../src/geo/sphere';
import { createAirportIndex, type KdAirportIndex } from '../../../src/places/kd-airport-index';
import { FIXED_WING_KINDS } from '../../../src/places/kinds';
import { LinearAirportIndex } from '../../../src/places/linear-airport-index';
import { DATA as SHARED_DATA, describeShared } from '../../helpers/shared';

const read = (f: string) => readFileSync(path.join(SHARED_DATA, f), 'utf8');

/** Point `nm` from (lat, lon) along `bearingDeg`. */
function offset(lat: number, lon: number, bearingDeg: number, nm: number): [number, number] {
  const d = nm / EARTH_RADIUS_NM;
  const b = bearingDeg * RAD;
  const p1 = lat * RAD;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 =
    lon * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [p2 / RAD, l2 / RAD];
}

describeShared('reference tables (../shared/data)', () => {
  let airports: Airport[];
  let index: KdAirportIndex;

  beforeAll(() => {
    const built = buildAirports({
      vrs: parseVrsAirports(read('vrs-airports.csv'), 'vrs-airports.csv'),
      openFlights: parseOpenFlightsAirports(read('openflights-airports.dat'), 'openflights-airports.dat'),
    });
    airports = built.airports;
    index = createAirportIndex(airports, parseOurAirportsCountries(read('ourairports-countries.csv'), 'countries'));
  });

  it('parses every format', () => {
    const vrs = parseVrsAirports(read('vrs-airports.csv'), 'vrs-airports.csv');
    expect(vrs).toHaveLength(34_128);
    expect(vrs.find((a) => a.code === 'ZYTX')).toMatchObject({
      icao: 'ZYTX',
      iata: 'SHE',
      country: 'CN',
      elevationFt: 198,
    });
    // Quoted names with commas survive.
    expect(vrs.find((a) => a.code === 'SLCT')?.name).toBe('Choreti, Bolivia, South America Airport');
    const of = parseOpenFlightsAirports(read('openflights-airports.dat'), 'openflights-airports.dat');
    expect(of).toHaveLength(7_698);
    expect(of.find((a) => a.icao === 'KIWA')?.tz).toBe('America/Phoenix');
    expect(of.filter((a) => a.tz === undefined).length).toBeGreaterThan(0); // \N becomes undefined
    const countries = parseOurAirportsCountries(read('ourairports-countries.csv'), 'countries');
    expect(countries.size).toBe(249);
    expect(countries.get('CN')).toBe('China');
    expect(validateVrsAircraft(read('vrs-aircraft.csv'), 'vrs-aircraft.csv')).toBe(16_873);
  });

  it('gives every one of ≥ 30,000 airports a country and an IANA time zone', () => {
    expect(airports.length).toBeGreaterThanOrEqual(30_000);
    expect(airports.filter((a) => !a.tz)).toEqual([]);
    expect(airports.filter((a) => !/^[A-Z]{2}$/.test(a.country))).toEqual([]);
  });

  it('has the airports removal flights use, with country and local zone', () => {
    expect(index.byIcao('ZYTX')).toMatchObject({ country: 'CN', tz: 'Asia/Shanghai', iata: 'SHE' });
    expect(index.countryName('CN')).toBe('China');
    expect(index.byIcao('KAEX')).toMatchObject({ country: 'US', tz: 'America/Chicago' });
    expect(index.byIcao('KIWA')).toMatchObject({ country: 'US', tz: 'America/Phoenix' });
    // Zones computed from coordinates (no OpenFlights row) are real zones too.
    const computed = airports.find((a) => a.icao === '00AK');
    expect(computed?.tz).toBe('America/Anchorage');
  });

  it('names KAEX for a point 2 nm off its runway 14/32', () => {
    const kaex = index.byIcao('KAEX')!;
    const [lat, lon] = offset(kaex.lat, kaex.lon, 320, 2); // NW along the runway axis
    const r = index.nearest(lat, lon, { maxNm: 5, kinds: FIXED_WING_KINDS });
    expect(r?.icao).toBe('KAEX');
    expect(r?.distanceNm).toBeCloseTo(2, 3);
  });

  it('finds Matei (NFNM, lon −179.88) from a point west of the antimeridian', () => {
    const r = index.nearest(-16.69, 179.95, { maxNm: 30 });
    expect(r?.icao).toBe('NFNM');
    expect(r?.distanceNm).toBeLessThan(10);
  });

  it('finds McMurdo airfields near the South Pole region and agrees with a linear scan on random points', () => {
    expect(index.nearest(-77.9, 166.6, { maxNm: 10 })?.country).toBe('AQ');
    const linear = new LinearAirportIndex(airports);
    let seed = 3;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 60; i++) {
      const lat = -90 + rnd() * 180;
      const lon = -180 + rnd() * 360;
      for (const maxNm of [20, 300]) {
        const a = index.nearest(lat, lon, { maxNm });
        const b = linear.nearest(lat, lon, { maxNm });
        expect(a?.distanceNm ?? -1).toBeCloseTo(b?.distanceNm ?? -1, 6);
      }
    }
  });

  it('takes the kind from OurAirports rows and keeps VRS rows OurAirports lacks', () => {
    const header =
      'id,ident,type,name,latitude_deg,longitude_deg,elevation_ft,continent,iso_country,iso_region,municipality,scheduled_service,icao_code,iata_code,gps_code,local_code,home_link,wikipedia_link,keywords';
    const csv = [
      header,
      '3632,KAEX,large_airport,"Alexandria International Airport",31.3274,-92.549797,89,NA,US,US-LA,Alexandria,yes,KAEX,AEX,KAEX,AEX,,,',
      '99,US-0001,heliport,"Rapides Regional Medical Center Heliport",31.3,-92.45,100,NA,US,US-LA,Alexandria,no,,,,LA01,,,',
    ].join('\n');
    const ours = parseOurAirports(csv, 'ourairports-airports.csv');
    const built = buildAirports({ vrs: parseVrsAirports(read('vrs-airports.csv'), 'vrs'), ourAirports: ours });
    expect(built.stats.fromOurAirports).toBe(2);
    expect(built.stats.fromVrsOnly).toBe(34_127);
    const idx = createAirportIndex(built.airports);
    expect(idx.byIcao('KAEX')).toMatchObject({ kind: 'large_airport', iata: 'AEX', tz: 'America/Chicago' });
    expect(idx.byIcao('US-0001')?.kind).toBe('heliport');
    expect(idx.byIcao('ZYTX')?.kind).toBe('unknown');
  });
});
