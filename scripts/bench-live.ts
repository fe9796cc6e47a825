/**
 * npm run bench:live — issue 17: the live path (poll → detect → notify) of the real worker process, with its
 * Redis track store, against a local readsb-style receiver serving N moving aircraft (all watched) on a 5 s
 * schedule, delivering to a fast local webhook receiver.
 *
 * Measured from outside the worker, as an operator would: slot → detection done is the detect job's
 * finishedOn minus its poll slot (read from the queue); worker RSS from /proc/<pid>/status, split into anonymous
 * and file-backed pages by /proc/<pid>/smaps_rollup, and the V8 heap (total, used) and external memory from the
 * worker's own /metrics, so a figure says whether the excess is heap, buffers or the binary (RSS every ~2 s: its
 * median and 90th percentile over the last half are the level, the maximum also catches a poll's peak); Redis
 * memory from INFO (used_memory) every 2 s, its slope a least-squares fit over the last half of the run. The Redis
 * store's rate is positions / detector time as each detect job reports it. The baseline, in the same run: the
 * in-memory detector (same config, same extensions) over the same kind of positions, fetched through the same
 * ingest code from a second receiver whose clock the bench steps 5 s per cycle: two warm-up runs, then the
 * median of BENCH_LIVE_BASELINE_RUNS (default 5; each run is listed in the JSON line). Both rates also by CPU
 * time (`redisStoreShareOfInMemoryCpu`: the worker's CPU over its detect runs, as each job reports it, against
 * this process's over the baseline's runs): on one quiet host a detect run's wall time moved 570–1,000 ms
 * within a run and the baseline 75k–105k positions/s between runs.
 *
 * Options (env): BENCH_LIVE_AIRCRAFT (default 1000; the target is at 10000), BENCH_LIVE_SECONDS
 * (default 120), BENCH_LIVE_SCHEDULE (default every 5 s), BENCH_LIVE_CPU_PROF=dir (the worker writes a
 * --cpu-prof profile there), BENCH_LIVE_ARCHIVE=1 (keep the flight record on: it captures every matched
 * position into SQLite in the poll step), BENCH_LIVE_TSX=1 (run src/ through tsx; by default the worker runs
 * as `npm start` runs it: dist/, built first when stale, with the start script's node flags),
 * BENCH_LIVE_NODE_FLAGS (replace those flags and the start script's environment settings, e.g. "" to measure
 * without them), BENCH_LIVE_REMEMBER_STATES (the worker's detect.rememberStates). Last stdout line: one JSON
 * object with the figures.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { startRedis } from '../test/helpers/redis-server';
import { createRedis } from '../src/pipeline/connection';
import { QUEUE } from '../src/pipeline/names';
import { keys } from '../src/alerting/keys';
import { loadConfig } from '../src/config/load';
import { buildIngest } from '../src/ingest/build';
import { runPollCycle } from '../src/ingest/poll-cycle';
import { loadAirportIndex } from '../src/data/load-airports';
import { createDetector } from '../src/detect';
import { freePort } from '../src/runtime/redis/free-port';
import { detectorOptionsFromConfig } from '../src/runtime/detector-setup';
import { silentLogger } from '../src/util/log';
import type { MatchedAircraft } from '../src/domain/watchlist';
import { makeFleet, serveTraffic, writeLiveConfig } from './bench/live-traffic';
import { median, percentile, round } from './bench/stats';

const REPO = resolve(__dirname, '..');
const N = Number(process.env.BENCH_LIVE_AIRCRAFT ?? 1000);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 120);
const SCHEDULE = process.env.BENCH_LIVE_SCHEDULE ?? '*/5 * * * * *';
const CPU_PROF = process.env.BENCH_LIVE_CPU_PROF;
const ARCHIVE = process.env.BENCH_LIVE_ARCHIVE === '1';
/** By default the compiled worker, as `npm start` runs it: no TypeScript compiler in memory. */
const DIST = process.env.BENCH_LIVE_TSX !== '1';
/** The node flags of `npm start` (the V8 heap settings, docs/operations.md "Worker memory"), or the override. */
const NODE_FLAGS =
  process.env.BENCH_LIVE_NODE_FLAGS !== undefined
    ? process.env.BENCH_LIVE_NODE_FLAGS.split(' ').filter(Boolean)
    : startScriptNodeFlags();
const PREFIX = 'live';
/** detect.rememberStates for the worker (BENCH_LIVE_REMEMBER_STATES); the config default when unset. */
const REMEMBER_STATES =
  process.env.BENCH_LIVE_REMEMBER_STATES === undefined ? undefined : Number(process.env.BENCH_LIVE_REMEMBER_STATES);
const BASELINE_WARMUPS = 2;
const BASELINE_RUNS = Number(process.env.BENCH_LIVE_BASELINE_RUNS ?? 5);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => round(bytes / 1048576, 1);

function startScriptWords(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return (pkg.scripts.start ?? '').split(/\s+/);
}

function startScriptNodeFlags(): string[] {
  const words = startScriptWords();
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
}

/** The environment settings before `node` in the start script (glibc's malloc tuning), as the worker gets them. */
function startScriptEnv(): Record<string, string> {
  const words = startScriptWords();
  const env: Record<string, string> = {};
  for (const w of words.slice(0, Math.max(0, words.indexOf('node')))) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(w);
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}
const START_ENV = process.env.BENCH_LIVE_NODE_FLAGS !== undefined ? {} : startScriptEnv();

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Anonymous resident bytes (heap, malloc, buffers); the rest of RSS is file-backed (node's binary and ICU). */
function anonBytes(pid: number): number {
  const m = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

interface HeapSample {
  t: number;
  total: number;
  used: number;
  external: number;
}

/** The worker's V8 heap and external memory, from its Prometheus default metrics; undefined when unreachable. */
async function heapOf(port: number, t: number): Promise<HeapSample | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(1000) });
    const text = await res.text();
    const metric = (name: string) => Number(new RegExp(`^flightwatch_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return {
      t,
      total: metric('nodejs_heap_size_total_bytes'),
      used: metric('nodejs_heap_size_used_bytes'),
      external: metric('nodejs_external_memory_bytes'),
    };
  } catch {
    return undefined;
  }
}

/** Least-squares slope of y over t (ms), per minute. */
function slopePerMin(samples: readonly { t: number; y: number }[]): number {
  if (samples.length < 2) return NaN;
  const n = samples.length;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const my = samples.reduce((a, s) => a + s.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.y - my);
    den += (s.t - mt) ** 2;
  }
  return den ? (num / den) * 60_000 : NaN;
}

async function startReceiver() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    received: () => received,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** The worker's config; the flight record's position capture is measured apart (BENCH_LIVE_ARCHIVE=1). */
function writeConfig(dir: string, sourceUrl: string, hookUrl: string): string {
  return writeLiveConfig(dir, {
    sourceUrl,
    hookUrl,
    schedule: SCHEDULE,
    archive: ARCHIVE,
    dataDir: join(dir, 'data'),
    rememberStates: REMEMBER_STATES,
  });
}

function spawnWorker(config: string, redisUrl: string, httpPort: number): ChildProcess {
  const args = [...NODE_FLAGS, ...(DIST ? [] : ['--require', 'tsx/cjs'])];
  if (CPU_PROF) args.push('--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`);
  args.push(join(REPO, DIST ? 'dist/cli/index.js' : 'src/cli/index.ts'), 'worker', '--config', config);
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: {
      ...START_ENV,
      ...process.env,
      REDIS_URL: redisUrl,
      FLIGHTWATCH_REDIS: 'external',
      FLIGHTWATCH_REDIS_PREFIX: PREFIX,
      BENCH_WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      // A free port for /livez and /metrics (other processes on the host may hold 8080): the bench reads the heap there.
      PORT: String(httpPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, sig) => {
    if (code !== 0 && sig !== 'SIGTERM') console.error(`worker exited (${code ?? sig}):\n${tail}`);
  });
  return child;
}

/**
 * The baseline: the in-memory detector over `cycles` polls of the same traffic, stepped 5 s apart, each run
 * from no tracks (as the worker started); the median of BASELINE_RUNS runs after BASELINE_WARMUPS.
 */
async function inMemoryRate(
  configFile: string,
  cycles: number,
): Promise<{ rate: number; runs: number[]; cpuRate: number }> {
  let clock = Date.now();
  const fleet = makeFleet(N);
  const src = await serveTraffic(fleet, () => clock);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'fw-live-mem-'));
    const config = loadConfig(writeConfig(dir, src.url, 'http://127.0.0.1:9/unused'));
    const ingest = buildIngest(config, { log: silentLogger });
    const batches: { now: number; matched: MatchedAircraft[] }[] = [];
    for (let i = 0; i < cycles; i++, clock += 5000) {
      const r = await runPollCycle({ ...ingest, log: silentLogger, now: () => clock });
      batches.push({ now: r.startedAt, matched: r.matched });
    }
    ingest.close();
    const airports = await loadAirportIndex({ dir: join(dir, 'data') });
    rmSync(dir, { recursive: true, force: true });
    const run = async () => {
      const det = createDetector(detectorOptionsFromConfig(config, airports));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let positions = 0;
      for (const b of batches) {
        await det.process(b.matched, b.now);
        positions += b.matched.length;
      }
      const cpu = process.cpuUsage(cpu0);
      return {
        rate: positions / ((performance.now() - t0) / 1000),
        cpuRate: positions / ((cpu.user + cpu.system) / 1e6),
      };
    };
    // Warmed (the JIT has compiled the detector, as in a worker minutes into its run), then the median of
    // several runs: one fast or slow run on a busy host no longer moves the baseline.
    for (let i = 0; i < BASELINE_WARMUPS; i++) await run();
    const rates: number[] = [];
    const cpuRates: number[] = [];
    for (let i = 0; i < BASELINE_RUNS; i++) {
      const r = await run();
      rates.push(r.rate);
      cpuRates.push(r.cpuRate);
    }
    return { rate: median(rates), runs: rates, cpuRate: median(cpuRates) };
  } finally {
    await src.close();
  }
}

interface DetectReturn {
  positions?: number;
  detectorMs?: number;
  detectorCpuMs?: number;
  coalesced?: boolean;
  newestSlot?: string;
}

async function main() {
  // As `npm start` does (prestart): build dist/ only when the sources changed.
  if (DIST) execFileSync(process.execPath, [join(REPO, 'scripts/build-if-stale.cjs')], { cwd: REPO, stdio: 'inherit' });
  const loadAtStart = loadavg()[0] ?? NaN;
  const dir = mkdtempSync(join(tmpdir(), 'fw-live-'));
  const redis = await startRedis();
  const conn = createRedis(redis.url, 'producer');
  const src = await serveTraffic(makeFleet(N));
  const rx = await startReceiver();
  const config = writeConfig(dir, src.url, rx.url);
  const detectQ = new Queue(QUEUE.detect, { connection: conn, prefix: PREFIX });
  const pollQ = new Queue(QUEUE.poll, { connection: conn, prefix: PREFIX });
  const httpPort = await freePort();
  const worker = spawnWorker(config, redis.url, httpPort);
  const rss: { t: number; y: number }[] = [];
  const anon: { t: number; y: number }[] = [];
  const heap: HeapSample[] = [];
  const redisMem: { t: number; y: number }[] = [];
  try {
    // Start the clock at the first served poll (the worker's start-up — tsx, airport table — is not the live path).
    while (src.served() === 0) {
      if (worker.exitCode !== null) throw new Error('worker exited before its first poll');
      await sleep(200);
    }
    const t0 = Date.now();
    const until = t0 + SECONDS * 1000;
    while (Date.now() < until) {
      if (worker.exitCode !== null) throw new Error('worker exited during the run');
      const t = Date.now() - t0;
      rss.push({ t, y: rssBytes(worker.pid ?? 0) });
      anon.push({ t, y: anonBytes(worker.pid ?? 0) });
      const h = await heapOf(httpPort, t);
      if (h) heap.push(h);
      const info = await conn.info('memory');
      redisMem.push({ t, y: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN) });
      await sleep(2000);
    }
    const end = Date.now();
    const done = await detectQ.getJobs(['completed'], 0, -1);
    // A run that was behind took every waiting slot up to `newestSlot`: each of those slots was detected when
    // that run finished (their own jobs then complete at once, coalesced, and are not timed themselves).
    const runs: { from: number; to: number; finishedOn: number; detectorMs: number; detectorCpuMs: number }[] = [];
    let positions = 0;
    let detectorMs = 0;
    let detectorCpuMs = 0;
    let coalesced = 0;
    for (const j of done) {
      const r = j.returnvalue as DetectReturn | null;
      if (r?.coalesced) coalesced++;
      if (!j.finishedOn || !r || r.coalesced) continue;
      const from = Date.parse((j.data as { slot: string }).slot);
      runs.push({
        from,
        to: r.newestSlot ? Date.parse(r.newestSlot) : from,
        finishedOn: j.finishedOn,
        detectorMs: r.detectorMs ?? 0,
        detectorCpuMs: r.detectorCpuMs ?? 0,
      });
      positions += r.positions ?? 0;
      detectorMs += r.detectorMs ?? 0;
      detectorCpuMs += r.detectorCpuMs ?? 0;
    }
    const polled = (await pollQ.getJobs(['completed'], 0, -1)).map((j) =>
      Date.parse((j.data as { slot: string }).slot),
    );
    const lat: number[] = [];
    let undetected = 0;
    for (const slot of polled.filter((s) => s >= t0 - 5000)) {
      const run = runs.find((r) => r.from <= slot && slot <= r.to);
      if (run) lat.push(run.finishedOn - slot);
      else undetected++;
    }
    const waiting = await detectQ.getJobCounts('waiting', 'active', 'delayed', 'failed');
    const pollCounts = await pollQ.getJobCounts('completed', 'waiting', 'active', 'failed');
    const loadAtEnd = loadavg()[0] ?? NaN;
    const historyEntries = await conn.xlen(keys(PREFIX).history);
    const half = redisMem.filter((s) => s.t >= (SECONDS * 1000) / 2);
    const rssHalf = rss.filter((s) => s.t >= (SECONDS * 1000) / 2);
    const rssLevel = rssHalf.map((s) => s.y);
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once('exit', r)));
    const baseline = await inMemoryRate(config, 12);
    const inMemoryPositionsPerSecond = baseline.rate;
    const positionsPerSecond = detectorMs ? positions / (detectorMs / 1000) : NaN;
    const positionsPerCpuSecond = detectorCpuMs ? positions / (detectorCpuMs / 1000) : NaN;
    console.log(
      JSON.stringify({
        aircraft: N,
        seconds: round((end - t0) / 1000, 1),
        schedule: SCHEDULE,
        archive: ARCHIVE,
        rememberStates: REMEMBER_STATES ?? 'default',
        worker: DIST ? 'dist (compiled)' : 'src through tsx',
        nodeFlags: NODE_FLAGS.join(' '),
        startEnv: Object.entries(START_ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        load1mStart: round(loadAtStart, 2),
        load1mEnd: round(loadAtEnd, 2),
        slotsDetected: lat.length,
        detectRuns: runs.length,
        // In slot order: the first run creates every track, and the cold start's notify jobs share the event
        // loop with the runs after it, so the total positionsPerSecond is made of is worth seeing run by run.
        detectorMsRuns: runs.sort((a, b) => a.from - b.from).map((r) => r.detectorMs),
        detectorCpuMsRuns: runs.map((r) => r.detectorCpuMs),
        slotsCoalesced: coalesced,
        slotsPolledNotDetectedAtEnd: undetected,
        detectBacklogAtEnd: waiting,
        pollJobs: pollCounts,
        webhooksReceived: rx.received(),
        positionsPerSecond: round(positionsPerSecond, 0),
        slotToDetectP50Ms: percentile(lat, 50),
        slotToDetectP95Ms: percentile(lat, 95),
        slotToDetectMaxMs: lat.length ? Math.max(...lat) : NaN,
        rssMbStart: mb(rss[0]?.y ?? NaN),
        rssMbMax: mb(Math.max(...rss.map((s) => s.y))),
        rssMbEnd: mb(rss.at(-1)?.y ?? NaN),
        rssMbSlopePerMin: round(slopePerMin(rssHalf) / 1048576, 2),
        // The level over the last half, apart from its peaks: each poll (the source's reply read, parsed and
        // matched) lifts RSS ~12 MB for ~0.5 s every 5 s at 10,000 aircraft, which the maximum catches or not.
        rssMbP50LastHalf: mb(percentile(rssLevel, 50)),
        rssMbP90LastHalf: mb(percentile(rssLevel, 90)),
        // Where the end's RSS is: anonymous (V8 heap, malloc, buffers) and file-backed (the binary's pages).
        rssMbAnonEnd: mb(anon.at(-1)?.y ?? NaN),
        rssMbFileEnd: mb((rss.at(-1)?.y ?? NaN) - (anon.at(-1)?.y ?? NaN)),
        heapMbTotalMax: mb(Math.max(...heap.map((s) => s.total))),
        heapMbTotalEnd: mb(heap.at(-1)?.total ?? NaN),
        heapMbUsedEnd: mb(heap.at(-1)?.used ?? NaN),
        heapMbTotalSlopePerMin: round(
          slopePerMin(heap.filter((s) => s.t >= (SECONDS * 1000) / 2).map((s) => ({ t: s.t, y: s.total }))) / 1048576,
          2,
        ),
        externalMbEnd: mb(heap.at(-1)?.external ?? NaN),
        redisMbEnd: mb(redisMem.at(-1)?.y ?? NaN),
        redisMbSlopePerMin: round(slopePerMin(half) / 1048576, 2),
        historyEntriesEnd: historyEntries,
        inMemoryPositionsPerSecond: round(inMemoryPositionsPerSecond, 0),
        inMemoryPositionsPerSecondRuns: baseline.runs.map((r) => round(r, 0)),
        redisStoreShareOfInMemory: round(positionsPerSecond / inMemoryPositionsPerSecond, 3),
        // By CPU time (the worker's over its detect runs, this process's over the baseline's): wall times of
        // both stretch with whatever else the host runs, CPU time much less.
        positionsPerCpuSecond: round(positionsPerCpuSecond, 0),
        inMemoryPositionsPerCpuSecond: round(baseline.cpuRate, 0),
        redisStoreShareOfInMemoryCpu: round(positionsPerCpuSecond / baseline.cpuRate, 3),
        date: new Date().toISOString(),
      }),
    );
  } finally {
    if (worker.exitCode === null) worker.kill('SIGKILL');
    await detectQ.close();
    await pollQ.close();
    conn.disconnect();
    await redis.stop();
    await src.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
