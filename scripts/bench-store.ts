/**
 * npm run bench:store — issue 17, the per-position hot path: the detector through the Redis track store
 * against the same detector with the in-memory store, on the same positions, in the same process. The live
 * bench (bench:live) measures the whole worker; this one isolates the store, so its ratio holds still on a
 * busy host: the two stores run interleaved, pair by pair, and the figure is the median of the per-pair
 * ratios (each pair meets about the same load).
 *
 * Positions: BENCH_STORE_AIRCRAFT moving aircraft (default 10,000) fetched through the real ingest code from a
 * local receiver (scripts/bench/live-traffic.ts, as bench:live) whose clock steps 5 s per poll, for
 * BENCH_STORE_CYCLES polls (default 6). Each run starts with no tracks (a fresh key prefix), so the first poll
 * creates every track and the rest advance them, as a worker's first minute does. Detector: the shipped
 * config's detect and trips settings (detectorOptionsFromConfig). Redis: a redis-server of its own.
 *
 * Also reported: the stored state's mean size after the last poll (bytes of its hash's fields and values, 200
 * aircraft), the bytes sent to Redis per position (its total_net_input_bytes over the Redis runs), and
 * the share of the Redis runs' time spent in GC pauses (perf_hooks "gc" entries): the allocation the store
 * adds per position shows there. And the record alone, CPU only: µs to write and read back one state of the
 * in-memory run (500 aircraft), version 3 against version 2 as the store did it before (JSON of the objects,
 * zod on read), interleaved rounds, medians (the share: of the per-round ratios). Options: BENCH_STORE_RUNS pairs (default 5). Last stdout line: one JSON object.
 *
 * BENCH_STORE_METHOD=instructions counts instructions under valgrind instead of timing
 * (bench/store-instructions.ts: 1,000 aircraft, 8 polls and 3 runs by default): the figure a busy host does not move.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { loadConfig } from '../src/config/load';
import { buildIngest } from '../src/ingest/build';
import { runPollCycle } from '../src/ingest/poll-cycle';
import { loadAirportIndex } from '../src/data/load-airports';
import { createDetector, RedisTrackStore, windowInOrder, type TrackState } from '../src/detect';
import { readTrackRecord, serializeTrack } from '../src/detect/store/track-record';
import { detectorOptionsFromConfig } from '../src/runtime/detector-setup';
import { createRedis } from '../src/pipeline/connection';
import { silentLogger } from '../src/util/log';
import type { MatchedAircraft } from '../src/domain/watchlist';
import { startRedis } from '../test/helpers/redis-server';
import type { Redis } from 'ioredis';
import { makeFleet, serveTraffic, writeLiveConfig } from './bench/live-traffic';
import { median, round } from './bench/stats';
import { storeInstructions } from './bench/store-instructions';

const METHOD = process.env.BENCH_STORE_METHOD ?? 'time';
const COUNTING = METHOD === 'instructions';
// Under valgrind a position costs ~50× its time: fewer of them by default when counting.
const N = Number(process.env.BENCH_STORE_AIRCRAFT ?? (COUNTING ? 1000 : 10_000));
const CYCLES = Number(process.env.BENCH_STORE_CYCLES ?? (COUNTING ? 8 : 6));
const RUNS = Number(process.env.BENCH_STORE_RUNS ?? (COUNTING ? 3 : 5));

/**
 * The record alone, without Redis: µs to write and read back one state, version 3 against version 2 (the
 * state as objects, read through its zod schema: what the store did before), interleaved, median of rounds.
 */
function codecMicros(states: readonly TrackState[], rounds = 15): { v3: number; v2: number; share: number } {
  const v2Json = (st: TrackState) => JSON.stringify({ ...st, version: 2, window: windowInOrder(st), head: 0 });
  const time = (write: (st: TrackState) => string) => {
    const t0 = performance.now();
    for (const st of states) if (readTrackRecord(write(st)).kind !== 'state') throw new Error('unreadable');
    return ((performance.now() - t0) * 1000) / states.length;
  };
  const v3: number[] = [];
  const v2: number[] = [];
  for (let i = 0; i < rounds; i++) {
    v3.push(time(serializeTrack));
    v2.push(time(v2Json));
  }
  return { v3: median(v3), v2: median(v2), share: median(v3.map((x, i) => x / v2[i]!)) };
}

/** CPU time (ms) the redis-server has used so far, from INFO (its own figure: no pid needed). */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** Bytes the redis-server has read from its clients (commands and their arguments). */
async function redisInputBytes(redis: Redis): Promise<number> {
  return Number(/total_net_input_bytes:(\d+)/.exec(await redis.info('stats'))?.[1] ?? NaN);
}

/** GC pause time (ms) while `fn` runs. */
async function withGcMs<T>(fn: () => Promise<T>): Promise<{ value: T; gcMs: number }> {
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const value = await fn();
  // GC entries are delivered asynchronously.
  await new Promise((r) => setImmediate(r));
  obs.disconnect();
  return { value, gcMs };
}

async function main(): Promise<void> {
  let clock = Date.now();
  const fleet = makeFleet(N);
  const src = await serveTraffic(fleet, () => clock);
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-store-'));
  const redisServer = await startRedis();
  const redis = createRedis(redisServer.url, 'producer');
  try {
    const configPath = writeLiveConfig(dir, { sourceUrl: src.url, dataDir: join(dir, 'data') });
    const config = loadConfig(configPath);
    const ingest = buildIngest(config, { log: silentLogger });
    const batches: { now: number; matched: MatchedAircraft[] }[] = [];
    for (let i = 0; i < CYCLES; i++, clock += 5000) {
      const r = await runPollCycle({ ...ingest, log: silentLogger, now: () => clock });
      batches.push({ now: r.startedAt, matched: r.matched });
    }
    ingest.close();
    const positions = batches.reduce((a, b) => a + b.matched.length, 0);
    if (COUNTING) {
      const counted = await storeInstructions({ dir, configPath, batches, redisUrl: redisServer.url, runs: RUNS });
      console.log(
        JSON.stringify({
          aircraft: N,
          cycles: CYCLES,
          positionsPerRun: positions,
          ...counted,
          date: new Date().toISOString(),
        }),
      );
      return;
    }
    const airports = await loadAirportIndex({ dir: join(dir, 'data') });

    let prefixes = 0;
    const runOnce = async (kind: 'memory' | 'redis') => {
      const pfx = `bench${prefixes++}:`;
      const store =
        kind === 'redis' ? new RedisTrackStore({ redis, prefix: pfx, ttlMs: 3_600_000, outbox: true }) : undefined;
      const det = createDetector(detectorOptionsFromConfig(config, airports, store));
      const redisCpu0 = kind === 'redis' ? await redisCpuMs(redis) : 0;
      const sent0 = kind === 'redis' ? await redisInputBytes(redis) : 0;
      const cpu0 = process.cpuUsage();
      const { value: ms, gcMs } = await withGcMs(async () => {
        const t0 = performance.now();
        for (const b of batches) await det.process(b.matched, b.now);
        return performance.now() - t0;
      });
      const cpu = process.cpuUsage(cpu0);
      const nodeCpuMs = (cpu.user + cpu.system) / 1000;
      const serverCpuMs = kind === 'redis' ? (await redisCpuMs(redis)) - redisCpu0 : 0;
      const sentBytes = kind === 'redis' ? (await redisInputBytes(redis)) - sent0 : 0;
      return {
        rate: positions / (ms / 1000),
        // CPU time, the redis-server's included: what a position costs, whatever else the host is running.
        cpuRate: positions / ((nodeCpuMs + serverCpuMs) / 1000),
        serverCpuShare: serverCpuMs / (nodeCpuMs + serverCpuMs),
        gcShare: gcMs / ms,
        sentBytesPerPosition: sentBytes / positions,
        pfx,
        det,
      };
    };

    const warmMemory = await runOnce('memory'); // warm-up of both paths
    const states: TrackState[] = [];
    for (const p of fleet.slice(0, 500)) {
      const st = await warmMemory.det.store.get(p.hex);
      if (st) states.push(st);
    }
    const codec = codecMicros(states);
    const warm = await runOnce('redis');
    const sizes: number[] = [];
    for (const hex of fleet.slice(0, 200).map((p) => p.hex)) {
      const fields = Object.entries(await redis.hgetall(`${warm.pfx}track:${hex}`));
      if (fields.length) sizes.push(fields.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0));
    }
    type Run = Awaited<ReturnType<typeof runOnce>>;
    const pairs: { memory: Run; redis: Run }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first, so neither always meets the other's garbage.
      const a = i % 2 ? await runOnce('redis') : await runOnce('memory');
      const b = i % 2 ? await runOnce('memory') : await runOnce('redis');
      const [mem, red] = i % 2 ? [b, a] : [a, b];
      pairs.push({ memory: mem, redis: red });
      await redis.flushdb();
    }
    console.log(
      JSON.stringify({
        aircraft: N,
        cycles: CYCLES,
        positionsPerRun: positions,
        pairs: RUNS,
        redisPositionsPerSecond: round(median(pairs.map((p) => p.redis.rate)), 0),
        inMemoryPositionsPerSecond: round(median(pairs.map((p) => p.memory.rate)), 0),
        redisShareOfInMemory: round(median(pairs.map((p) => p.redis.rate / p.memory.rate)), 3),
        redisShareEachPair: pairs.map((p) => round(p.redis.rate / p.memory.rate, 3)),
        redisPositionsPerCpuSecond: round(median(pairs.map((p) => p.redis.cpuRate)), 0),
        inMemoryPositionsPerCpuSecond: round(median(pairs.map((p) => p.memory.cpuRate)), 0),
        redisShareOfInMemoryCpu: round(median(pairs.map((p) => p.redis.cpuRate / p.memory.cpuRate)), 3),
        redisShareOfInMemoryCpuEachPair: pairs.map((p) => round(p.redis.cpuRate / p.memory.cpuRate, 3)),
        redisServerShareOfCpu: round(median(pairs.map((p) => p.redis.serverCpuShare)), 3),
        redisGcShareOfTime: round(median(pairs.map((p) => p.redis.gcShare)), 3),
        sentToRedisBytesPerPosition: round(median(pairs.map((p) => p.redis.sentBytesPerPosition)), 0),
        storedStateBytesMean: round(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length), 0),
        recordWriteReadMicros: round(codec.v3, 1),
        recordWriteReadMicrosVersion2: round(codec.v2, 1),
        recordShareOfVersion2: round(codec.share, 3),
        date: new Date().toISOString(),
      }),
    );
  } finally {
    redis.disconnect();
    await redisServer.stop();
    await src.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
