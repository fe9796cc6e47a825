/**
 * `flightwatch archive rebuild|prune|backup` as child processes, and `replay --archive` in process: real
 * Redis, a real SQLite archive file (PostgreSQL through DATABASE_URL for rebuild), the real airport table.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '../../../src/alerting/keys';
import { appendEvent } from '../../../src/pipeline/history';
import { openArchive } from '../../../src/archive';
import { writeCaptures } from '../../../src/archive/write-captures';
import { writeEvents } from '../../../src/archive/write-events';
import { replayAction } from '../../../src/cli/commands/replay';
import { buildAirports } from '../../../src/data/build-airports';
import { serializeAirportsFile, toAirportsFile } from '../../../src/data/airports-file';
import { parseOpenFlightsAirports } from '../../../src/data/formats/openflights';
import { parseOurAirportsCountries } from '../../../src/data/formats/ourairports';
import { parseVrsAirports } from '../../../src/data/formats/vrs-airports';
import { generateHistory } from '../../../scripts/bench/flight-history';
import { AIRPORTS, buildTrace, writeTrace } from '../../unit/replay/helpers/synthetic-trace';
import { OPENFLIGHTS_AIRPORTS, OURAIRPORTS_COUNTRIES, VRS_AIRPORTS, describeShared } from '../../helpers/shared';
import { runCli } from '../../helpers/cli';
import { redisSuite } from '../../helpers/redis-suite';
import { postgresAvailable, tempPostgres } from '../../helpers/archive-db';

const suite = redisSuite('fwarchcli');
let dir: string;
let configFile: string;
let archiveFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fw-archive-cli-'));
  archiveFile = join(dir, 'data', 'archive.sqlite');
  mkdirSync(join(dir, 'data'));
  configFile = join(dir, 'flightwatch.yaml');
  writeFileSync(
    configFile,
    `sources:\n  - id: receiver\n    kind: receiver\n    url: http://127.0.0.1:8080/data/aircraft.json\n` +
      `watch:\n  - id: gulfstream-v\n    match: { types: [GLF5] }\n` +
      `data:\n  dir: ${JSON.stringify(join(dir, 'data'))}\narchive:\n  rawRetentionDays: 30\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = () => ({ stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } });
const env = (redisUrl: string, prefix: string, extra: NodeJS.ProcessEnv = {}) => ({
  REDIS_URL: redisUrl,
  FLIGHTWATCH_REDIS_PREFIX: prefix,
  FLIGHTWATCH_CONFIG: configFile,
  DATABASE_URL: '',
  ...extra,
});

async function redisUrlOf(): Promise<string> {
  const c = suite.client();
  await c.ping();
  const o = c.options;
  return `redis://${o.host}:${o.port}`;
}

describe('archive rebuild', () => {
  it.each(['sqlite', 'postgres'] as const)(
    're-reads the retained history into an empty %s archive, and a second run adds nothing',
    async (engine) => {
      let extra: NodeJS.ProcessEnv = {};
      let drop: () => Promise<void> = () => Promise.resolve();
      if (engine === 'postgres') {
        if (!(await postgresAvailable())) return;
        const pg = await tempPostgres();
        extra = { DATABASE_URL: pg.target.databaseUrl };
        drop = pg.drop;
      }
      const redis = suite.client();
      const prefix = suite.prefix().slice(0, -1);
      const events = [...generateHistory({ airframes: 2, days: 3 })];
      for (const e of events) await appendEvent(redis, keys(prefix), e, 400 * 86_400_000, Date.parse(e.time));
      const url = await redisUrlOf();
      const first = await runCli(['archive', 'rebuild'], { env: env(url, prefix, extra) });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`archive rebuild: ${events.length} events added`);
      const second = await runCli(['archive', 'rebuild'], { env: env(url, prefix, extra) });
      expect(second.stdout).toContain('archive rebuild: 0 events added');
      await drop();
      if (engine === 'sqlite') rmSync(archiveFile);
    },
    60_000,
  );

  it('names an unreachable PostgreSQL and exits 1', async () => {
    const r = await runCli(['archive', 'prune'], {
      env: env('redis://127.0.0.1:1', 'x', { DATABASE_URL: 'postgres://u:pw-secret-9@127.0.0.1:1/fw' }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/archive postgres:\/\/127\.0\.0\.1:1\/fw is unreachable/);
    expect(r.stderr).not.toContain('pw-secret-9');
  });
});

describe('archive prune and backup', () => {
  it('prune removes positions and replies past the retention, never legs; backup is a working copy', async () => {
    const a = await openArchive({ file: archiveFile });
    const now = Date.now();
    const old = now - 40 * 86_400_000;
    const pos = (t: number) => ['abc123', t, 1, 2, null, null, null, null, 0, 's', 'r' + t] as const;
    const reply = (t: number) => ({
      id: 'r' + t,
      source: 's',
      url: 'u',
      fetchedAt: t,
      status: 200,
      bodySha256: 'x',
      bytes: 1,
      body: null,
      hexes: [],
    });
    await writeCaptures(a.db, [
      { streamId: '1-0', capture: { positions: [[...pos(old)], [...pos(now)]], replies: [reply(old), reply(now)] } },
    ]);
    const events = [...generateHistory({ airframes: 1, days: 1 })];
    await writeEvents(
      a.db,
      events.map((event) => ({ event })),
    );
    await a.close();

    const r = await runCli(['archive', 'prune', '--config', configFile], { env: { DATABASE_URL: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/removed 1 positions and 1 raw replies older than/);
    const out = join(dir, 'backup.sqlite');
    const b = await runCli(['archive', 'backup', '--out', out, '--config', configFile], { env: { DATABASE_URL: '' } });
    expect(b.code).toBe(0);
    // restore = use the copy as the archive file
    const copy = await openArchive({ file: out });
    const legs = await copy.db.selectFrom('legs').select('id').execute();
    const positions = await copy.db.selectFrom('leg_positions').select('t').execute();
    await copy.close();
    expect(legs.length).toBe(events.filter((e) => e.type === 'landing').length);
    expect(positions.map((p) => p.t)).toEqual([now]);
    rmSync(archiveFile);
  }, 60_000);
});

describeShared('replay --archive', () => {
  it("writes a backtest's legs into the archive once", async () => {
    const dataDir = join(dir, 'data');
    const vrs = parseVrsAirports(readFileSync(VRS_AIRPORTS, 'utf8'), 'vrs-airports.csv');
    const of = parseOpenFlightsAirports(readFileSync(OPENFLIGHTS_AIRPORTS, 'utf8'), 'openflights-airports.dat');
    const countries = parseOurAirportsCountries(readFileSync(OURAIRPORTS_COUNTRIES, 'utf8'), 'countries.csv');
    const { airports } = buildAirports({ vrs, openFlights: of });
    writeFileSync(
      join(dataDir, 'airports.json'),
      serializeAirportsFile(toAirportsFile(airports, countries, [{ table: 'vrs-airports', rows: 1, licence: 'CC0' }])),
    );
    const trace = buildTrace({
      hex: 'a1b2c3',
      r: 'N123GV',
      t: 'GLF5',
      stepS: 60,
      legs: [
        { from: AIRPORTS.KAEX, to: AIRPORTS.KHRL, departS: 1748900000, callsign: 'N123GV', groundS: 600 },
        { from: AIRPORTS.KHRL, to: AIRPORTS.MGGT, departS: 1748900000 + 5 * 3600, callsign: 'N123GV', groundS: 600 },
      ],
    });
    const file = writeTrace(join(dir, 'trace_full_a1b2c3.json'), trace);
    const prev = process.env.DATABASE_URL;
    process.env.DATABASE_URL = '';
    try {
      expect(await replayAction([file], { config: configFile, archive: true, summary: true }, quiet())).toBe(0);
      expect(await replayAction([file], { config: configFile, archive: true, summary: true }, quiet())).toBe(0);
    } finally {
      process.env.DATABASE_URL = prev;
    }
    const a = await openArchive({ file: archiveFile });
    const legs = await a.db.selectFrom('legs').selectAll().orderBy('departed_at').execute();
    const events = await a.db.selectFrom('events').select(['id', 'history_id']).execute();
    await a.close();
    expect(legs.map((l) => [l.departure_icao, l.arrival_icao])).toEqual([
      ['KAEX', 'KHRL'],
      ['KHRL', 'MGGT'],
    ]);
    expect(legs.map((l) => l.arrival_country)).toEqual(['US', 'GT']);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  }, 90_000);
});
