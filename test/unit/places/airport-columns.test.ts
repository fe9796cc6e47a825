import type { Airport } from '../../../src/places/airport-index';
import { airportAt, columnBuffers, rowOfCode, toAirportColumns } from '../../../src/places/airport-columns';
import { createAirportIndex } from '../../../src/places/kd-airport-index';

const airports: Airport[] = [
  {
    icao: 'KJFK',
    iata: 'JFK',
    name: 'John F. Kennedy International Airport',
    country: 'US',
    tz: 'America/New_York',
    lat: 40.639447,
    lon: -73.779317,
    kind: 'large_airport',
    elevationFt: 13,
    runwayEnds: [
      { ident: '04L', lat: 40.622002, lon: -73.785599, headingDeg: 31 },
      { ident: '22R', lat: 40.6488, lon: -73.764702, headingDeg: 211 },
    ],
    longestRunwayFt: 14511,
    longestHardRunwayFt: 14511,
  },
  { icao: 'ZYTX', name: '沈阳桃仙国际机场', country: 'CN', lat: 41.6398, lon: 123.4834, kind: 'large_airport' },
  { icao: 'X01', name: 'Grass strip', country: 'ZZ', lat: 0, lon: 0, kind: 'small_airport', longestRunwayFt: 900 },
  // A second row for a code (another source): the first row wins a lookup, whatever the case.
  { icao: 'kjfk', name: 'Duplicate', country: 'US', lat: 1, lon: 1, kind: 'closed' },
  {
    icao: 'LFPG',
    iata: 'CDG',
    name: 'Paris Charles de Gaulle',
    country: 'FR',
    tz: 'Europe/Paris',
    lat: 49.0097,
    lon: 2.5479,
    kind: 'large_airport',
    elevationFt: 392,
    runwayEnds: [{ ident: '09L', lat: 49.02, lon: 2.51, headingDeg: 85 }],
  },
];

describe('airport columns', () => {
  const columns = toAirportColumns(airports);

  it('give back every airport as it went in, absent members left out', () => {
    airports.forEach((a, i) => expect(airportAt(columns, i)).toStrictEqual(a));
    expect(Object.keys(airportAt(columns, 2))).toEqual([
      'icao',
      'name',
      'country',
      'lat',
      'lon',
      'kind',
      'longestRunwayFt',
    ]);
  });

  it('find a code case-insensitively, the first row of a repeated code, and nothing for an unknown one', () => {
    expect(rowOfCode(columns, 'KJFK')).toBe(0);
    expect(rowOfCode(columns, 'LFPG')).toBe(4);
    expect(rowOfCode(columns, 'KJF')).toBe(-1);
    expect(rowOfCode(columns, 'ZZZZ')).toBe(-1);
    expect(createAirportIndex(airports).byIcao(' kjfk ')?.name).toBe('John F. Kennedy International Airport');
  });

  it('cross to another thread with their buffers transferred, and index the same', () => {
    const sent = toAirportColumns(airports);
    const buffers = columnBuffers(sent);
    const moved = structuredClone(sent, { transfer: buffers });
    // Every buffer moved (none copied): the sender's are detached.
    expect(buffers.length).toBe(17);
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
    const index = createAirportIndex(moved);
    expect(index.airports).toStrictEqual(airports);
    expect(index.nearest(40.63, -73.78, { maxNm: 5 })).toEqual({ ...airports[0], distanceNm: expect.any(Number) });
    expect(index.within(49, 2.5, { maxNm: 10 }).map((a) => a.icao)).toEqual(['LFPG']);
  });
});
