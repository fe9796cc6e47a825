/** airports.json with and without the runways column (src/data/airports-file.ts). */
import { AIRPORTS_FILE_COLUMNS_NO_RUNWAYS, parseAirportsFile, serializeAirportsFile, toAirportsFile } from '../../../src/data/airports-file';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAirportTable } from '../../../src/data/load-airports';
import type { Airport } from '../../../src/places/airport-index';

const MGGT: Airport = {
  icao: 'MGGT',
  iata: 'GUA',
  name: 'La Aurora',
  country: 'GT',
  tz: 'America/Guatemala',
  lat: 14.5833,
  lon: -90.5275,
  kind: 'large_airport',
  elevationFt: 4952,
  runwayEnds: [
    { ident: '02', lat: 14.5704, lon: -90.5316, headingDeg: 17.4 },
    { ident: '20', lat: 14.5961, lon: -90.5233, headingDeg: 197.4 },
  ],
  longestRunwayFt: 9800,
  longestHardRunwayFt: 9800,
};
const BARE: Airport = { icao: 'XBAR', name: 'No runway data', country: 'GT', lat: 15, lon: -90, kind: 'small_airport' };

const roundTrip = (airports: Airport[]) =>
  parseAirportsFile(JSON.parse(serializeAirportsFile(toAirportsFile(airports, new Map([['GT', 'Guatemala']]), []))), 'airports.json');

describe('airports.json runways column', () => {
  it('round-trips runway thresholds and lengths; an airport without them stays without', () => {
    const t = roundTrip([MGGT, BARE]);
    expect(t.hasRunways).toBe(true);
    expect(t.airports[0]).toEqual(MGGT);
    expect(t.airports[1]).toEqual({ ...BARE, iata: undefined, tz: undefined, elevationFt: undefined });
    expect(t.airports[1].runwayEnds).toBeUndefined();
  });

  it('still loads a file written before the column existed, saying it has no runways', () => {
    const f = toAirportsFile([MGGT], new Map(), []);
    const old = { ...f, columns: AIRPORTS_FILE_COLUMNS_NO_RUNWAYS, rows: f.rows.map((r) => r.slice(0, 9)) };
    const t = parseAirportsFile(JSON.parse(JSON.stringify(old)), 'old.json');
    expect(t.hasRunways).toBe(false);
    expect(t.airports[0]).toMatchObject({ icao: 'MGGT', lat: 14.5833 });
    expect(t.airports[0].runwayEnds).toBeUndefined();
    expect(t.airports[0].longestRunwayFt).toBeUndefined();
  });

  it('the loader warns that an older file means airport positions only', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-old-airports-'));
    try {
      const f = toAirportsFile([MGGT], new Map(), []);
      writeFileSync(path.join(dir, 'airports.json'), JSON.stringify({ ...f, columns: AIRPORTS_FILE_COLUMNS_NO_RUNWAYS, rows: f.rows.map((r) => r.slice(0, 9)) }));
      const warnings: string[] = [];
      const t = await loadAirportTable({ dir, warn: (m) => warnings.push(m) });
      expect(t.airports).toHaveLength(1);
      expect(warnings).toEqual([expect.stringMatching(/airports\.json has no runway data .*airport positions.*flightwatch data update/)]);
      writeFileSync(path.join(dir, 'airports.json'), serializeAirportsFile(f));
      warnings.length = 0;
      await loadAirportTable({ dir, warn: (m) => warnings.push(m) });
      expect(warnings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the row of a malformed runways value', () => {
    const f = JSON.parse(serializeAirportsFile(toAirportsFile([BARE, MGGT], new Map(), [])));
    f.rows[1][9][2][1] = ['20', 14.5961, 'east', 197.4];
    expect(() => parseAirportsFile(f, 'airports.json')).toThrow(/^airports\.json: rows\[1\]\[9\] \(runways\) is malformed: \["MGGT"/);
    f.rows[1].length = 11;
    expect(() => parseAirportsFile(f, 'airports.json')).toThrow(/rows\[1\] is malformed/);
  });
});
