/**
 * bench:identity — the identity linker's shared memory (RedisIdentityMemory) at a broad watch: N aircraft
 * (default 10,000) heard every 5 s for 2 minutes of data time, through IdentityLinker.observe as the detector
 * calls it. Compared in the same run, in interleaved pairs, against the memory writing every sighting every
 * cycle (refreshMs 0, what `detect.identity.shared` did before its write-behind). Figures: Redis commands per
 * cycle (counted by the server: independent of machine load) and milliseconds per cycle (median of the pairs).
 * Redis: a redis-server of its own.
 *
 *   npm run bench:identity            BENCH_IDENTITY_AIRCRAFT=2000 BENCH_IDENTITY_RUNS=3 npm run bench:identity
 */
import os from 'node:os';
import { IdentityLinker, RedisIdentityMemory } from '../src/detect';
import { NO_FLAGS, type AircraftState } from '../src/domain/aircraft-state';
import { createRedis } from '../src/pipeline/connection';
import { startRedis } from '../test/helpers/redis-server';
import { makeFleet } from './bench/live-traffic';
import { elapsedMs, median, round } from './bench/stats';

const N = Number(process.env.BENCH_IDENTITY_AIRCRAFT ?? 10_000);
const RUNS = Number(process.env.BENCH_IDENTITY_RUNS ?? 3);
const CYCLES = 24; // 2 minutes at a 5 s schedule
const STEP_MS = 5_000;
const HORIZON_MS = 12 * 3_600_000;
const T0 = Date.UTC(2026, 11, 2, 12);

const fleet = makeFleet(N);
const batchAt = (at: number): AircraftState[] =>
  fleet.map((p) => {
    const s = (at - T0) / 1000;
    return {
      hex: p.hex,
      registration: `N${p.hex.slice(-5).toUpperCase()}`,
      callsign: `BNC${p.hex.slice(-4)}`,
      lat: p.lat0 + p.dLatPerS * s,
      lon: p.lon0 + p.dLonPerS * s,
      altFt: 35_000,
      onGround: false,
      flags: NO_FLAGS,
      observedAt: at,
      positionAt: at,
      sourceId: 'bench',
      fetchedAt: at,
    };
  });

async function main(): Promise<void> {
  const server = await startRedis();
  const redis = createRedis(server.url, 'producer');
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? NaN);
  let run = 0;
  const once = async (refreshMs: number) => {
    const linker = new IdentityLinker(new RedisIdentityMemory(redis, `fwbi${++run}:`, HORIZON_MS, refreshMs));
    const c0 = await commands();
    const t0 = process.hrtime.bigint();
    const cycleMs: number[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const at = T0 + i * STEP_MS;
      const c = process.hrtime.bigint();
      await linker.observe(batchAt(at), at);
      cycleMs.push(elapsedMs(c));
    }
    const ms = elapsedMs(t0);
    const cmds = (await commands()) - c0 - 1; // the INFO call itself
    await redis.flushdb();
    // After the cold start (every hex new): the slowest cycle, where refreshes could bunch up.
    return { msPerCycle: ms / CYCLES, commandsPerCycle: cmds / CYCLES, maxMsAfterFirst: Math.max(...cycleMs.slice(1)) };
  };
  try {
    await once(60_000); // warm-up: JIT and Redis allocations
    const pairs: { every: Awaited<ReturnType<typeof once>>; behind: Awaited<ReturnType<typeof once>> }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const first = i % 2 ? await once(0) : await once(60_000);
      const second = i % 2 ? await once(60_000) : await once(0);
      pairs.push(i % 2 ? { every: first, behind: second } : { every: second, behind: first });
    }
    console.log(
      JSON.stringify({
        aircraft: N,
        cycles: CYCLES,
        runs: RUNS,
        load1m: round(os.loadavg()[0] ?? NaN, 2),
        commandsPerCycle: round(median(pairs.map((p) => p.behind.commandsPerCycle)), 0),
        msPerCycle: round(median(pairs.map((p) => p.behind.msPerCycle)), 1),
        maxMsPerCycleAfterFirst: round(median(pairs.map((p) => p.behind.maxMsAfterFirst)), 1),
        baseline: {
          what: 'every sighting written every cycle (refreshMs 0), same run, interleaved',
          commandsPerCycle: round(median(pairs.map((p) => p.every.commandsPerCycle)), 0),
          msPerCycle: round(median(pairs.map((p) => p.every.msPerCycle)), 1),
          maxMsPerCycleAfterFirst: round(median(pairs.map((p) => p.every.maxMsAfterFirst)), 1),
        },
        speedup: round(median(pairs.map((p) => p.every.msPerCycle / p.behind.msPerCycle)), 2),
        date: new Date().toISOString(),
      }),
    );
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
