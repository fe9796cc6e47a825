/**
 * Fault: the archiving process is SIGKILLed 5 times while a burst of detections is archived into
 * PostgreSQL, which is restarted once under it and is down when one of the restarts begins. Afterwards
 * every event in the history is in the archive exactly once, with one leg per landing. PostgreSQL is a
 * private server (initdb/pg_ctl in a temp dir): the shared one is never restarted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import pg from 'pg';
import { keys } from '../../src/alerting/keys';
import { appendEvent } from '../../src/pipeline/history';
import type { FlightEvent } from '../../src/domain/event';
import { generateHistory } from '../../scripts/bench/flight-history';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { nextEvent, until } from '../helpers/wait';

const REPO = resolve(__dirname, '../..');
const PREFIX = `fwf-archive-${process.pid}`;

let server: PrivatePostgres;
let redisServer: TestRedis;
let redis: Redis;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  server = await startPrivatePostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('create database fwfault');
  await admin.end();
  redisServer = await startRedis();
  redis = new Redis(redisServer.url);
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  redis?.disconnect();
  await redisServer?.stop();
  server?.remove();
});

interface Child {
  proc: ChildProcess;
  stderr: () => string;
}

async function startChild(): Promise<Child> {
  const proc = spawn(process.execPath, ['--require', 'tsx/cjs', resolve(__dirname, 'support/archive-child.ts')], {
    cwd: REPO,
    env: {
      ...process.env,
      REDIS_URL: redisServer.url,
      FW_PREFIX: PREFIX,
      DATABASE_URL: server.urlOf('fwfault'),
      FW_BATCH: '100',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  await nextEvent('archive child ready', proc.stdout, 'data', { timeoutMs: 30_000, detail: () => err });
  lastChild = { proc, stderr: () => err };
  return lastChild;
}

async function kill(c: Child): Promise<void> {
  const exited = nextEvent('archive child exit', c.proc, 'exit');
  c.proc.kill('SIGKILL');
  await exited;
}

/** Rows in the archive's events table; undefined while PostgreSQL is unreachable. */
async function archived(): Promise<number | undefined> {
  const c = new pg.Client({ connectionString: server.urlOf('fwfault'), connectionTimeoutMillis: 1000 });
  try {
    await c.connect();
    const r = await c.query<{ n: string }>(
      "select count(*) as n from information_schema.tables where table_name = 'events'",
    );
    if (r.rows[0]?.n === '0') return 0;
    return Number((await c.query<{ n: string }>('select count(*) as n from events')).rows[0]?.n);
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

let appended = 0;
let lastChild: Child | undefined;
/** More rows than `than`, or everything appended so far archived (nothing left to progress on). */
const progressed = (than: number, what: string, timeoutMs = 60_000) =>
  until(
    what,
    async () => {
      const n = (await archived()) ?? 0;
      return n > than || (n === appended && n > 0);
    },
    { timeoutMs, intervalMs: 20, detail: () => `appended ${appended}; ${lastChild?.stderr().slice(-1500) ?? ''}` },
  );

async function append(events: readonly FlightEvent[]) {
  const k = keys(PREFIX);
  for (const e of events) await appendEvent(redis, k, e, 400 * 86_400_000, Date.parse(e.time));
  appended += events.length;
}

it('5 SIGKILLs and a PostgreSQL restart mid-burst, PostgreSQL down at a start: every event archived exactly once', async () => {
  const started = Date.now();
  const all = [...generateHistory({ airframes: 60, days: 60, start: Date.UTC(2026, 0, 1) })];
  const half = Math.floor(all.length / 2);
  await append(all.slice(0, half));
  let kills = 0;
  const counts: number[] = [];

  // 1: archiving starts, killed mid-burst
  let c = await startChild();
  await progressed(0, 'first rows archived');
  await kill(c);
  kills++;
  counts.push((await archived())!);

  // 2: PostgreSQL restarted under a running archiver; it resumes by itself; then killed
  c = await startChild();
  await progressed(counts.at(-1)!, 'archiving resumed after kill 1');
  server.restart();
  const afterRestart = await until('PostgreSQL back', archived, { timeoutMs: 30_000 });
  // The second half of the burst arrives after the restart: the same process must archive it.
  await append(all.slice(half));
  await progressed(afterRestart, 'archiving resumed after the PostgreSQL restart');
  await kill(c);
  kills++;
  counts.push((await archived())!);

  // 3
  c = await startChild();
  await progressed(counts.at(-1)!, 'archiving resumed after kill 2');
  await kill(c);
  kills++;
  counts.push((await archived())!);

  // 4: PostgreSQL down when the archiver starts: it says so, waits, and archives once it is back
  server.stop();
  c = await startChild();
  await until('the archiver reports the archive unavailable', () => /archive unavailable/.test(c.stderr()), {
    timeoutMs: 30_000,
  });
  expect(c.stderr()).toMatch(/unreachable/);
  server.start();
  await progressed(counts.at(-1)!, 'archiving started once PostgreSQL was up', 90_000);
  await kill(c);
  kills++;
  counts.push((await archived())!);

  // 5
  c = await startChild();
  await progressed(counts.at(-1)!, 'archiving resumed after kill 4');
  await kill(c);
  kills++;
  counts.push((await archived())!);

  // Finally: a clean run to the end of the history.
  c = await startChild();
  await until('the whole history archived', async () => (await archived()) === all.length, {
    timeoutMs: 120_000,
    detail: () => c.stderr().slice(-1000),
  });
  const exited = nextEvent('archive child exit', c.proc, 'exit');
  c.proc.kill('SIGTERM');
  await exited;

  const db = new pg.Client({ connectionString: server.urlOf('fwfault') });
  await db.connect();
  try {
    const rows = (await db.query<{ id: string; history_id: string }>('select id, history_id from events')).rows;
    const stream = (await redis.xrange(keys(PREFIX).history, '-', '+')) as [string, string[]][];
    expect(stream).toHaveLength(all.length);
    // exactly once: one row per history entry, each naming its entry
    expect(rows).toHaveLength(all.length);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(all.map((e) => e.id)));
    expect(new Set(rows.map((r) => r.history_id))).toEqual(new Set(stream.map(([id]) => id)));
    const legs = Number((await db.query<{ n: string }>('select count(*) as n from legs')).rows[0].n);
    expect(legs).toBe(all.filter((e) => e.type === 'landing').length);
    const open = Number(
      (await db.query<{ n: string }>('select count(*) as n from legs where landing_event_id is null')).rows[0].n,
    );
    expect(open).toBe(0);
  } finally {
    await db.end();
  }
  expect(kills).toBe(5);
  console.log(
    JSON.stringify({
      test: 'archive-kill',
      events: all.length,
      kills,
      postgresRestarts: 1,
      postgresDownAtStart: true,
      archivedAtEachKill: counts,
      ms: Date.now() - started,
    }),
  );
});
