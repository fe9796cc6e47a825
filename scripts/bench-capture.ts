/**
 * npm run bench:capture — issue 17: what capturing matched positions for the flight record costs the worker,
 * at BENCH_CAPTURE_AIRCRAFT (default 10,000) watched aircraft polled every 5 s.
 *
 * Method: own redis-server on a free loopback port; a deterministic fleet (scripts/bench/live-traffic.ts'
 * makeFleet): most in cruise at 35,000 ft, one in ten climbing or descending below 10,000 ft, one in fifty on
 * the ground part of the time. Per cycle, as the worker does: the capture is built from the cycle's matched
 * aircraft and appended to the captures stream (poll step), then the archiver drains it into a fresh archive
 * (SQLite file; PostgreSQL at $BENCH_POSTGRES_URL when reachable). The current path (src/archive) and the
 * path as it was before this work (scripts/bench/capture-baseline.ts, frozen from main) run the same cycles in
 * the same process, and so does the current code keeping every position (unthinned: the write path's
 * share of the gain), rounds alternating, best round kept, so a noisy neighbour hits both alike.
 *
 * Figures per engine and path: positions offered per second of wall time (build + append + drain), this
 * process's CPU ms (user + system, process.cpuUsage: includes the synchronous SQLite driver, not the
 * PostgreSQL server) per 10,000 positions offered, the rows kept, and the longest the event loop was held
 * (perf_hooks event-loop delay, max) — the SQLite driver is synchronous.
 *
 * Options (env): BENCH_CAPTURE_AIRCRAFT (10000), BENCH_CAPTURE_CYCLES (12 = a minute of 5 s polls),
 * BENCH_ROUNDS (2), BENCH_CAPTURE_PATHS (baseline,unthinned,current; one of them to profile it alone). Last stdout line: one JSON object with the figures.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { startRedis } from '../test/helpers/redis-server';
import { createRedis } from '../src/pipeline/connection';
import type { Archive } from '../src/archive/open';
import { Archiver } from '../src/archive/archiver';
import { appendCapture, CaptureThinner, buildCapture, type CaptureOptions } from '../src/archive/capture';
import { CAPTURES_CURSOR, readCursor } from '../src/archive/write-events';
import { silentLogger } from '../src/util/log';
import type { MatchedAircraft } from '../src/domain/watchlist';
import * as before from './bench/capture-baseline';
import { makeFleet } from './bench/live-traffic';
import { round } from './bench/stats';
import { freshArchive, postgresUp, PG_ADMIN, type Engine } from './bench/fresh-archive';

const N = Number(process.env.BENCH_CAPTURE_AIRCRAFT ?? 10_000);
const CYCLES = Number(process.env.BENCH_CAPTURE_CYCLES ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const STEP_MS = 5000;
/** Profiling one path alone: BENCH_CAPTURE_PATHS=baseline (or current). */
const PATHS = (process.env.BENCH_CAPTURE_PATHS ?? 'baseline,unthinned,current').split(',') as Path[];
const T0 = Date.UTC(2026, 10, 2, 12);
const log = (s: string) => void process.stderr.write(`bench-capture: ${s}\n`);

/** current: this code as the worker runs it; unthinned: this code keeping every position; baseline: main's. */
type Path = 'current' | 'unthinned' | 'baseline';

const fleet = makeFleet(N);

/** The fleet's matched aircraft at `t` (epoch ms), as one reply of source "rx". */
function cycleStates(t: number): MatchedAircraft[] {
  const s = (t - T0) / 1000;
  return fleet.map((p, i) => {
    const grounded = p.grounded && (s + p.phase) % 240 < 60;
    const low = !grounded && i % 10 === 5;
    return {
      hex: p.hex,
      registration: `N${p.hex.slice(-5).toUpperCase()}`,
      type: p.type,
      callsign: `BNC${p.hex.slice(-4)}`,
      lat: p.lat0 + p.dLatPerS * (grounded ? 0 : s),
      lon: p.lon0 + p.dLonPerS * (grounded ? 0 : s),
      altFt: grounded ? undefined : low ? 4000 + ((s * 25) % 5000) : 35_000,
      onGround: grounded,
      gsKt: grounded ? 8 : low ? 250 : 450,
      trackDeg: 90,
      vrateFpm: low ? 1500 : 0,
      squawk: '2000',
      flags: { military: false, interesting: false, pia: false, ladd: false },
      observedAt: t,
      positionAt: t - 600,
      sourceType: 'adsb_icao',
      sourceId: 'rx',
      fetchedAt: t,
      watch: { ids: ['broad'], tags: [] },
    };
  });
}

const captureOptions: CaptureOptions = {
  sourceUrls: new Map([['rx', 'http://127.0.0.1:8080/data/aircraft.json']]),
  mask: (x) => x,
  storeBodies: true,
};

/** The baseline archiver's capture step: what Archiver.capturesBatch did before (read, parse, write). */
async function baselineDrain(redis: Redis, key: string, archive: Archive): Promise<void> {
  for (;;) {
    const after = await readCursor(archive.db, CAPTURES_CURSOR);
    const rows = (await redis.xrange(key, `(${after}`, '+', 'COUNT', 500)) as [string, string[]][];
    if (!rows.length) return;
    const entries = rows.flatMap(([streamId, fields]) => {
      const capture = before.parseCapture(fields);
      return capture ? [{ streamId, capture }] : [];
    });
    await before.writeCaptures(archive.db, entries, new Date(), rows.at(-1)?.[0]);
  }
}

interface Figures {
  positionsPerSecond: number;
  cpuMsPer10k: number;
  /** leg_positions rows written. */
  kept: number;
  replies: number;
  /** The longest the event loop was held (ms), and the 99th percentile of its delay. */
  maxLoopBlockMs: number;
  p99LoopDelayMs: number;
  /** CPU ms of the poll step alone (build + append) per 10,000 positions. */
  pollStepCpuMsPer10k: number;
}

async function runPath(path: Path, engine: Engine, redis: Redis): Promise<Figures> {
  const key = `bench:${path}:${randomBytes(3).toString('hex')}:archive-captures`;
  const a = await freshArchive(engine, 'capture');
  const archiver = new Archiver({
    redis,
    historyKey: `${key}:history`,
    capturesKey: key,
    archive: a.archive,
    log: silentLogger,
  });
  const thinner = path === 'current' ? new CaptureThinner() : undefined;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  try {
    let pollCpu = 0;
    const cpu0 = process.cpuUsage();
    const wall0 = process.hrtime.bigint();
    loop.enable();
    for (let c = 0; c < CYCLES; c++) {
      const states = cycleStates(T0 + c * STEP_MS);
      const p0 = process.cpuUsage();
      if (path === 'baseline') await before.appendCapture(redis, key, before.buildCapture(states, captureOptions), 1e6);
      else await appendCapture(redis, key, buildCapture(states, captureOptions, thinner), 1e6);
      const p = process.cpuUsage(p0);
      pollCpu += (p.user + p.system) / 1000;
      if (path === 'baseline') await baselineDrain(redis, key, a.archive);
      else await archiver.drain();
    }
    loop.disable();
    const wallS = Number(process.hrtime.bigint() - wall0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const offered = CYCLES * N;
    const count = async (table: 'leg_positions' | 'raw_replies') =>
      Number(
        (
          await a.archive.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      positionsPerSecond: offered / wallS,
      cpuMsPer10k: ((cpu.user + cpu.system) / 1000) * (10_000 / offered),
      kept: await count('leg_positions'),
      replies: await count('raw_replies'),
      maxLoopBlockMs: loop.max / 1e6,
      p99LoopDelayMs: loop.percentile(99) / 1e6,
      pollStepCpuMsPer10k: pollCpu * (10_000 / offered),
    };
  } finally {
    await redis.del(key);
    await a.drop();
  }
}

const better = (x: Figures | undefined, y: Figures): Figures => (!x || y.cpuMsPer10k < x.cpuMsPer10k ? y : x);

async function main() {
  const redisServer = await startRedis();
  const redis = createRedis(redisServer.url, 'worker');
  try {
    const engines: Engine[] = (await postgresUp()) ? ['sqlite', 'postgres'] : ['sqlite'];
    if (!engines.includes('postgres')) log(`PostgreSQL at ${PG_ADMIN} unreachable: its figures are skipped`);
    const best: Record<string, Partial<Record<Path, Figures>>> = {};
    for (const engine of engines) {
      const b: Partial<Record<Path, Figures>> = (best[engine] = {});
      for (let r = 0; r < ROUNDS; r++)
        for (const path of PATHS) {
          const f = await runPath(path, engine, redis);
          b[path] = better(b[path], f);
          log(
            `${engine} ${path} round ${r + 1}: ${Math.round(f.positionsPerSecond)} positions/s, ` +
              `${round(f.cpuMsPer10k, 1)} CPU ms per 10k (poll step ${round(f.pollStepCpuMsPer10k, 1)}), ` +
              `${f.kept} positions and ${f.replies} replies kept, loop held ≤ ${round(f.maxLoopBlockMs, 1)} ms (p99 ${round(f.p99LoopDelayMs, 1)})`,
          );
        }
    }
    const fig = (f: Figures | undefined) =>
      f && {
        positionsPerSecond: Math.round(f.positionsPerSecond),
        cpuMsPer10kPositions: round(f.cpuMsPer10k, 1),
        pollStepCpuMsPer10kPositions: round(f.pollStepCpuMsPer10k, 1),
        positionsKept: f.kept,
        repliesKept: f.replies,
        maxLoopBlockMs: round(f.maxLoopBlockMs, 1),
        p99LoopDelayMs: round(f.p99LoopDelayMs, 1),
      };
    const s = best.sqlite ?? {};
    const p = best.postgres;
    const ratio = (x?: Figures, y?: Figures) => (x && y ? round(y.cpuMsPer10k / x.cpuMsPer10k, 2) : null);
    const out = {
      bench: 'capture',
      aircraft: N,
      cycles: CYCLES,
      positionsOffered: N * CYCLES,
      sqlite: fig(s.current),
      sqliteBaseline: fig(s.baseline),
      sqliteCpuSpeedup: ratio(s.current, s.baseline),
      sqliteUnthinned: fig(s.unthinned) ?? null,
      sqliteUnthinnedCpuSpeedup: ratio(s.unthinned, s.baseline),
      postgres: fig(p?.current) ?? null,
      postgresBaseline: fig(p?.baseline) ?? null,
      postgresCpuSpeedup: ratio(p?.current, p?.baseline),
      postgresUnthinned: fig(p?.unthinned) ?? null,
      postgresUnthinnedCpuSpeedup: ratio(p?.unthinned, p?.baseline),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    redis.disconnect();
    await redisServer.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench-capture: ${(e as Error).stack}\n`);
  process.exit(1);
});
