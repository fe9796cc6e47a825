/** A handful of real airports (VRS standing data coordinates) as an AirportIndex for unit tests. */
import type { Airport } from '../../../../src/places/airport-index';
import { createAirportIndex } from '../../../../src/places/kd-airport-index';

export const SMALL_AIRPORTS: Airport[] = [
  {
    icao: 'KAEX',
    iata: 'AEX',
    name: 'Alexandria International Airport',
    country: 'US',
    tz: 'America/Chicago',
    lat: 31.3274,
    lon: -92.549797,
    kind: 'large_airport',
    elevationFt: 89,
  },
  {
    icao: 'PANC',
    iata: 'ANC',
    name: 'Ted Stevens Anchorage International Airport',
    country: 'US',
    tz: 'America/Anchorage',
    lat: 61.1744,
    lon: -149.996002,
    kind: 'large_airport',
    elevationFt: 152,
  },
  {
    icao: 'ZYTX',
    iata: 'SHE',
    name: 'Taoxian Airport',
    country: 'CN',
    tz: 'Asia/Shanghai',
    lat: 41.639801,
    lon: 123.483002,
    kind: 'large_airport',
    elevationFt: 198,
  },
  {
    icao: 'KHRL',
    iata: 'HRL',
    name: 'Valley International Airport',
    country: 'US',
    tz: 'America/Chicago',
    lat: 26.2285,
    lon: -97.654404,
    kind: 'medium_airport',
    elevationFt: 36,
  },
  {
    icao: 'MGGT',
    iata: 'GUA',
    name: 'La Aurora Airport',
    country: 'GT',
    tz: 'America/Guatemala',
    lat: 14.5833,
    lon: -90.527496,
    kind: 'large_airport',
    elevationFt: 4952,
  },
];

export const smallAirportIndex = () => createAirportIndex(SMALL_AIRPORTS);
