/**
 * `flightwatch replay` end to end: real recorded captures (../shared/fixtures) and trace files written here,
 * a config file with a real watchlist, the real airport table built from ../shared/data, the real detector.
 * Most cases call the command's action; two run the CLI as a child process.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildAirports } from '../../../src/data/build-airports';
import { serializeAirportsFile, toAirportsFile } from '../../../src/data/airports-file';
import { parseOpenFlightsAirports } from '../../../src/data/formats/openflights';
import { parseOurAirportsCountries } from '../../../src/data/formats/ourairports';
import { parseVrsAirports } from '../../../src/data/formats/vrs-airports';
import { replayAction } from '../../../src/cli/commands/replay';
import { EVENT_SCHEMA, type FlightEvent } from '../../../src/domain/event';
import { AIRPORTS, buildTrace, writeTrace } from '../../unit/replay/helpers/synthetic-trace';
import {
  ADSBX,
  DUMP1090,
  OPENFLIGHTS_AIRPORTS,
  OPENSKY_CONUS,
  OPENSKY_GLOBAL,
  OURAIRPORTS_COUNTRIES,
  VRS_AIRPORTS,
  WISEMAN_AIRCRAFT,
  describeShared,
} from '../../helpers/shared';

const ROOT = resolve(__dirname, '../../..');

const CONFIG = (dataDir: string) => `
sources:
  - id: receiver
    kind: receiver
    url: http://127.0.0.1:8080/data/aircraft.json
watch:
  - id: globalx
    match: { callsignPrefixes: [GXA] }
    tags: [ice-air]
  - id: eastern
    match: { callsignPrefixes: [BBQ, HWA] }
    tags: [ice-air]
  - id: swift-omni
    match: { callsignPrefixes: [SWQ, OAE] }
  - id: gulfstream-v
    match: { types: [GLF5] }
    tags: [gulfstream]
  - id: dc-receiver-hex
    match: { hex: [a9bb8b] }
destinations:
  - id: shenyang
    airports: [ZYTX]
data:
  dir: ${JSON.stringify(dataDir)}
`;

/** Captures what the command writes. */
function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s), isTTY: false } },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

const ndjson = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FlightEvent);

/** Distinct hexes in an OpenSky reply whose callsign has an airline prefix (3 letters + digit, as the matcher). */
function openSkyHexes(file: string, prefixes: string[]): string[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { states: unknown[][] };
  const out = new Set<string>();
  for (const s of doc.states) {
    const cs = typeof s[1] === 'string' ? s[1].trim() : '';
    if (prefixes.some((p) => cs.startsWith(p) && /\d/.test(cs[3] ?? ''))) out.add(String(s[0]).trim().toLowerCase());
  }
  return [...out].sort();
}

const T0 = 1748900000;

describeShared('flightwatch replay', () => {
  let dir: string;
  let configFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-replay-it-'));
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    // The real airport table, built from VRS + OpenFlights exactly as `flightwatch data update` does.
    const vrs = parseVrsAirports(readFileSync(VRS_AIRPORTS, 'utf8'), 'vrs-airports.csv');
    const of = parseOpenFlightsAirports(readFileSync(OPENFLIGHTS_AIRPORTS, 'utf8'), 'openflights-airports.dat');
    const countries = parseOurAirportsCountries(
      readFileSync(OURAIRPORTS_COUNTRIES, 'utf8'),
      'ourairports-countries.csv',
    );
    const { airports } = buildAirports({ vrs, openFlights: of });
    expect(airports.length).toBeGreaterThan(30_000);
    writeFileSync(
      join(dataDir, 'airports.json'),
      serializeAirportsFile(
        toAirportsFile(airports, countries, [{ table: 'vrs-airports', rows: vrs.length, licence: 'CC0' }]),
      ),
    );
    configFile = join(dir, 'flightwatch.yaml');
    writeFileSync(configFile, CONFIG(dataDir));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('OpenSky CONUS capture: a `seen` for every GXA and BBQ aircraft in it, e.g. GXA6117 and BBQ8368', async () => {
    const c = io();
    const code = await replayAction([OPENSKY_CONUS], { config: configFile, json: true }, c.io);
    expect(c.stderr()).not.toMatch(/skipped|error/i);
    expect(code).toBe(0);
    const events = ndjson(c.stdout());
    const seen = (id: string) =>
      [
        ...new Set(events.filter((e) => e.type === 'seen' && e.watch.ids.includes(id)).map((e) => e.aircraft.hex)),
      ].sort();
    expect(seen('globalx')).toEqual(openSkyHexes(OPENSKY_CONUS, ['GXA']));
    expect(seen('eastern')).toEqual(openSkyHexes(OPENSKY_CONUS, ['BBQ', 'HWA']));
    const gxa = events.find((e) => e.aircraft.callsign === 'GXA6117')!;
    expect(gxa).toMatchObject({
      schema: EVENT_SCHEMA,
      type: 'seen',
      aircraft: { hex: 'ab7437' },
      watch: { ids: ['globalx'], tags: ['ice-air'] },
    });
    expect(gxa.position).toMatchObject({ lat: 29.1768, lon: -95.0635 });
    // the event is timed by the position (time_position 1738361581), not the reply (time 1738361582)
    expect(gxa.time).toBe(new Date(1738361581 * 1000).toISOString());
    expect(events.find((e) => e.aircraft.callsign === 'BBQ8368')!.aircraft.hex).toBe('acb2ba');
    // nothing unwatched leaks through
    expect(events.every((e) => e.watch.ids.length > 0)).toBe(true);
  }, 60_000);

  it('--summary counts by type and watch entry agree with the events themselves', async () => {
    const a = io();
    await replayAction([OPENSKY_CONUS, OPENSKY_GLOBAL], { config: configFile, json: true }, a.io);
    const events = ndjson(a.stdout());
    const b = io();
    expect(
      await replayAction([OPENSKY_CONUS, OPENSKY_GLOBAL], { config: configFile, json: true, summary: true }, b.io),
    ).toBe(0);
    const summary = JSON.parse(b.stdout().trim());
    const byType: Record<string, number> = {};
    const byWatch: Record<string, Record<string, number>> = {};
    for (const e of events) {
      byType[e.type] = (byType[e.type] ?? 0) + 1;
      for (const id of e.watch.ids) (byWatch[id] ??= {})[e.type] = (byWatch[id][e.type] ?? 0) + 1;
    }
    expect(summary.total).toBe(events.length);
    expect(summary.byType).toEqual(byType);
    expect(summary.byWatch).toEqual(byWatch);
    expect(summary.replay).toMatchObject({ files: 2, badFiles: [] });
    // the 2021 global capture has SWQ1914 and OAE8408
    expect(summary.byWatch['swift-omni'].seen).toBe(openSkyHexes(OPENSKY_GLOBAL, ['SWQ', 'OAE']).length);
    expect(summary.byWatch['swift-omni'].seen).toBeGreaterThanOrEqual(2);
    // the human-readable table
    const t = io();
    await replayAction([OPENSKY_CONUS, OPENSKY_GLOBAL], { config: configFile, summary: true }, t.io);
    expect(t.stdout()).toContain(`events: ${events.length}\n`);
    expect(t.stdout()).toMatch(new RegExp(`globalx\\s+${byWatch.globalx.seen}\\b`));
  }, 90_000);

  it('readsb aircraft.json snapshots (ADS-B Exchange, dump1090-fa): type and hex watch entries', async () => {
    const c = io();
    expect(await replayAction([ADSBX, DUMP1090], { config: configFile, json: true }, c.io)).toBe(0);
    const events = ndjson(c.stdout());
    const adsbx = JSON.parse(readFileSync(ADSBX, 'utf8')) as { aircraft: { hex: string; t?: string }[] };
    const glf5 = [...new Set(adsbx.aircraft.filter((a) => a.t === 'GLF5').map((a) => a.hex))].sort();
    const seenGlf5 = [
      ...new Set(
        events.filter((e) => e.type === 'seen' && e.watch.ids.includes('gulfstream-v')).map((e) => e.aircraft.hex),
      ),
    ].sort();
    expect(seenGlf5).toEqual(glf5);
    // dump1090-fa (2020) comes first in time although given second
    expect(events[0].aircraft.hex).toBe('a9bb8b');
    expect(events[0]).toMatchObject({
      type: 'seen',
      watch: { ids: ['dc-receiver-hex'] },
      aircraft: { callsign: 'N726TM' },
    });
    const times = events.map((e) => e.time);
    expect(times.slice(0, 2)).toEqual([...times.slice(0, 2)].sort());
  }, 60_000);

  it('a directory of traces (gzip and plain) and a snapshot: fuel-stop flight events in time order, corrupted files named and skipped (child process)', async () => {
    const inputs = join(dir, 'inputs');
    mkdirSync(join(inputs, 'day1', 'gz'), { recursive: true });
    // A Gulfstream V KAEX → PANC (fuel) → ZYTX, split over two trace files like globe_history days.
    const trip = buildTrace({
      hex: 'a1b2c3',
      r: 'N123GV',
      t: 'GLF5',
      stepS: 60,
      legs: [
        { from: AIRPORTS.KAEX, to: AIRPORTS.PANC, departS: T0, callsign: 'N123GV', groundS: 600 },
        { from: AIRPORTS.PANC, to: AIRPORTS.ZYTX, departS: T0 + 9 * 3600, callsign: 'N123GV', groundS: 600 },
      ],
    });
    const rows = trip.trace as number[][];
    const cut = rows.findIndex((r) => r[0] >= 8 * 3600); // on the ground at PANC
    const day2Ts = (trip.timestamp as number) + rows[cut][0];
    const day1 = { ...trip, trace: rows.slice(0, cut) };
    const day2 = {
      ...trip,
      timestamp: day2Ts,
      trace: rows.slice(cut).map((r) => [Math.round((r[0] - rows[cut][0]) * 100) / 100, ...r.slice(1)]),
    };
    // names sort opposite to time; the gzip one is named .json (as adsb.lol archives are)
    writeTrace(join(inputs, 'day1', 'gz', 'trace_full_a1b2c3.json'), day2, true);
    writeTrace(join(inputs, 'day1', 'trace_full_a1b2c3.json'), day1, false);
    copyFileSync(OPENSKY_CONUS, join(inputs, 'opensky.json'));
    writeFileSync(
      join(inputs, 'broken_trace.json'),
      '{"icao":"a1b2c4","timestamp":1748900000,\n"trace":[[0,31.3,-92.5,"ground"],\n[1,31.3,-92.5,]]}',
    );
    const badRow = buildTrace({
      hex: 'a1b2c5',
      t: 'GLF5',
      legs: [{ from: AIRPORTS.KHRL, to: AIRPORTS.MGGT, departS: T0 }],
    });
    (badRow.trace as unknown[][])[3][3] = 'high';
    writeTrace(join(inputs, 'trace_full_a1b2c5.json'), badRow, true);

    const { stdout, stderr, code } = await runCli(['replay', '--config', configFile, '--json', inputs]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(inputs, 'broken_trace.json')} (line 3, column 15): not valid JSON`);
    expect(stderr).toContain(
      `${join(inputs, 'trace_full_a1b2c5.json')} (trace[3]): altitude "high" is not feet, "ground" or null — file skipped`,
    );
    expect(stderr).toMatch(/3\/5 files, \d+ positions/);
    const events = ndjson(stdout);
    expect(events.every((e) => e.schema === EVENT_SCHEMA)).toBe(true);
    // issue-3 event types; route events (trip, en_route…) from the routes extension are checked in its own tests
    const CORE = new Set(['seen', 'takeoff', 'landing', 'destination', 'squawk']);
    const trip1 = events.filter((e) => e.aircraft.hex === 'a1b2c3' && CORE.has(e.type));
    expect(trip1.map((e) => `${e.type} ${e.airport?.icao ?? ''}`.trim())).toEqual([
      'seen KAEX',
      'takeoff KAEX',
      'landing PANC',
      'takeoff PANC',
      'landing ZYTX',
      'destination ZYTX',
    ]);
    expect(trip1.at(-1)).toMatchObject({
      destination: { id: 'shenyang' },
      airport: { country: 'CN', tz: 'Asia/Shanghai' },
    });
    expect(events.some((e) => e.aircraft.hex === 'a1b2c5')).toBe(false);
    // the January 2025 snapshot comes before the June 2025 trip, whatever the file names
    expect(events[0].time < trip1[0].time).toBe(true);
    const times = events.map((e) => e.time);
    expect(times).toEqual([...times].sort());
  }, 120_000);

  it('fills registration/type from the configured aircraft database before matching (OpenSky sends neither)', async () => {
    const cfg = join(dir, 'enrich.yaml');
    const withTail = readFileSync(configFile, 'utf8').replace(
      'watch:\n',
      'watch:\n  - id: tail-n917xa\n    match: { registrations: [N917XA] }\n',
    );
    // the config ends with the data: section; the tail entry only matches when N917XA comes from the
    // database, as the capture has hex + callsign only
    writeFileSync(cfg, `${withTail}  aircraftDb: ${JSON.stringify(WISEMAN_AIRCRAFT)}\n`);
    const c = io();
    expect(await replayAction([OPENSKY_CONUS], { config: cfg, json: true }, c.io)).toBe(0);
    const hit = ndjson(c.stdout()).filter((e) => e.watch.ids.includes('tail-n917xa'));
    expect(hit).toHaveLength(1);
    expect(hit[0]).toMatchObject({
      type: 'seen',
      aircraft: { hex: 'acb2ba', registration: 'N917XA', type: 'B738', callsign: 'BBQ8368' },
    });
    expect(hit[0].watch.ids.sort()).toEqual(['eastern', 'tail-n917xa']);
    // without the database the same entry matches nothing
    const plain = io();
    const cfg2 = join(dir, 'no-db.yaml');
    writeFileSync(cfg2, withTail);
    await replayAction([OPENSKY_CONUS], { config: cfg2, json: true }, plain.io);
    expect(ndjson(plain.stdout()).filter((e) => e.watch.ids.includes('tail-n917xa'))).toEqual([]);
  }, 60_000);

  it('human-readable output, and an invalid config is exit 2 (child process)', async () => {
    const { stdout, code } = await runCli(['replay', '--config', configFile, OPENSKY_CONUS]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^2025-01-31T22:13:01Z {2}seen {9}ab7437 GXA6117 {2}at 29\.1768,-95\.0635 33975 ft {2}\[globalx\]$/m,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'watch: []\n');
    const r = await runCli(['replay', '--config', bad, OPENSKY_CONUS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: 2 problems\n.*\n\s+watch \(line 1\): the watchlist is empty/);
  }, 120_000);
});

const exec = promisify(execFile);
async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await exec(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/index.ts', ...args], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FLIGHTWATCH_CONFIG: '' },
    });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout: string; stderr: string; code: number };
    if (typeof x.code !== 'number') throw e;
    return { stdout: x.stdout, stderr: x.stderr, code: x.code };
  }
}
