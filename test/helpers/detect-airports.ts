/**
 * A small real airport table for detection tests: rows as in ../shared/data/vrs-airports.csv (VRS standing
 * data, public domain), kinds and time zones added by hand. test/unit/detect/event-document.test.ts checks
 * the rows against the CSV when ../shared is present. Indexed with the project's kd-tree index.
 */
import type { Airport, AirportIndex } from '../../src/places/airport-index';
import { createAirportIndex } from '../../src/places/kd-airport-index';
import type { SimAirport } from '../../src/sim';

// icao, iata, name, country, lat, lon, elevationFt, kind, tz
type Row = [string, string, string, string, number, number, number, string, string];
export const TEST_AIRPORT_ROWS: readonly Row[] = [
  [
    'KAEX',
    'AEX',
    'Alexandria International Airport',
    'US',
    31.3274,
    -92.549797,
    89,
    'medium_airport',
    'America/Chicago',
  ],
  ['KESF', '', 'Esler Regional Airport', 'US', 31.394899, -92.295799, 112, 'small_airport', 'America/Chicago'],
  [
    'KIAH',
    'IAH',
    'George Bush Intercontinental Houston Airport',
    'US',
    29.9844,
    -95.3414,
    97,
    'large_airport',
    'America/Chicago',
  ],
  [
    'KSAT',
    'SAT',
    'San Antonio International Airport',
    'US',
    29.533701,
    -98.469803,
    809,
    'large_airport',
    'America/Chicago',
  ],
  ['KHRL', 'HRL', 'Valley International Airport', 'US', 26.2285, -97.654404, 36, 'medium_airport', 'America/Chicago'],
  ['MGGT', 'GUA', 'La Aurora Airport', 'GT', 14.5833, -90.527496, 4952, 'large_airport', 'America/Guatemala'],
  [
    'MHTG',
    'TGU',
    'Toncontín International Airport',
    'HN',
    14.0609,
    -87.217201,
    3294,
    'medium_airport',
    'America/Tegucigalpa',
  ],
  [
    'PANC',
    'ANC',
    'Ted Stevens Anchorage International Airport',
    'US',
    61.1744,
    -149.996002,
    152,
    'large_airport',
    'America/Anchorage',
  ],
  ['PAMR', 'MRI', 'Merrill Field', 'US', 61.213501, -149.843994, 137, 'medium_airport', 'America/Anchorage'],
  ['PAED', 'EDF', 'Elmendorf Air Force Base', 'US', 61.250999, -149.807007, 212, 'large_airport', 'America/Anchorage'],
  [
    'PAFA',
    'FAI',
    'Fairbanks International Airport',
    'US',
    64.815102,
    -147.856003,
    439,
    'large_airport',
    'America/Anchorage',
  ],
  ['RKSI', 'ICN', 'Incheon International Airport', 'KR', 37.469101, 126.450996, 23, 'large_airport', 'Asia/Seoul'],
  ['RKSS', 'GMP', 'Gimpo International Airport', 'KR', 37.5583, 126.791, 58, 'large_airport', 'Asia/Seoul'],
  ['RJAA', 'NRT', 'Narita International Airport', 'JP', 35.764702, 140.386002, 141, 'large_airport', 'Asia/Tokyo'],
  ['ZYTX', 'SHE', 'Taoxian Airport', 'CN', 41.639801, 123.483002, 198, 'large_airport', 'Asia/Shanghai'],
  ['ZYTL', 'DLC', 'Zhoushuizi Airport', 'CN', 38.965698, 121.539001, 107, 'large_airport', 'Asia/Shanghai'],
  ['ZYHB', 'HRB', 'Taiping Airport', 'CN', 45.623402, 126.25, 457, 'large_airport', 'Asia/Shanghai'],
  [
    'ZSPD',
    'PVG',
    'Shanghai Pudong International Airport',
    'CN',
    31.1434,
    121.805,
    13,
    'large_airport',
    'Asia/Shanghai',
  ],
];

export const TEST_AIRPORTS: readonly Airport[] = TEST_AIRPORT_ROWS.map(
  ([icao, iata, name, country, lat, lon, elevationFt, kind, tz]) => ({
    icao,
    ...(iata ? { iata } : {}),
    name,
    country,
    lat,
    lon,
    elevationFt,
    kind,
    tz,
  }),
);

export function testAirportIndex(): AirportIndex {
  return createAirportIndex(TEST_AIRPORTS);
}

export function simAirport(icao: string): SimAirport {
  const a = TEST_AIRPORTS.find((x) => x.icao === icao);
  if (!a) throw new Error(`test airport ${icao} is not in TEST_AIRPORT_ROWS`);
  return { icao: a.icao, lat: a.lat, lon: a.lon, elevationFt: a.elevationFt };
}
