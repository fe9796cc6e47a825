/**
 * bench:store's instructions method (BENCH_STORE_METHOD=instructions): what a position costs the worker's
 * process through the Redis track store and through the in-memory one, as instructions counted by
 * `valgrind --tool=callgrind` (all of the process's threads, GC included; not the redis-server's). The host's
 * load does not move the count the way it moves time, so a change to the store shows on a busy host too.
 *
 * Each count is one child (store-count-child.cjs, the compiled detector of dist/) over the polls the parent
 * recorded: two warm-up runs, then one counted run. A Redis child and an in-memory child run side by side,
 * BENCH_STORE_RUNS times; the figures are medians. The counted run's figure still moves by whether a major GC
 * falls inside it (±25 % seen for the Redis store at 1,000 aircraft), hence several runs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MatchedAircraft } from '../../src/domain/watchlist';
import { dumpTotal } from './callgrind';
import { median, round } from './stats';

const ROOT = resolve(__dirname, '../..');
const CHILD = join(__dirname, 'store-count-child.cjs');

/** The instructions of the counted run of one child, and the positions it stepped. */
function countChild(kind: 'redis' | 'memory', dir: string, redisUrl: string): Promise<number> {
  const out = join(dir, `callgrind-${kind}-${Date.now()}.out`);
  const args = [
    '--tool=callgrind',
    '--dump-before=fdatasync',
    `--callgrind-out-file=${out}`,
    process.execPath,
    // The start script's heap settings: the young generation's size decides how much garbage is copied.
    '--max-semi-space-size=2',
    CHILD,
  ];
  const env = { ...process.env, BENCH_COUNT_DIR: dir, BENCH_COUNT_KIND: kind, BENCH_COUNT_REDIS: redisUrl };
  return new Promise((done, fail) => {
    const p = spawn('valgrind', args, { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.once('error', (e) =>
      fail(new Error(`bench:store: cannot run valgrind (${e.message}); apt-get install valgrind`)),
    );
    p.once('close', (code) => {
      // Dump 1: set-up and warm-up; dump 2: the counted run (between the two fdatasync calls).
      const counted = `${out}.2`;
      let total = NaN;
      try {
        if (code === 0 && existsSync(counted)) total = dumpTotal(counted, 'bench:store');
      } catch (e) {
        stderr += `\n${(e as Error).message}`;
      }
      for (const k of [1, 2, 3]) rmSync(`${out}.${k}`, { force: true });
      rmSync(out, { force: true });
      const positions = Number(/"positions":(\d+)/.exec(stdout)?.[1] ?? NaN);
      if (!(total > 0) || !positions)
        return fail(
          new Error(`bench:store: ${kind} child under valgrind failed (exit ${code}):\n${stderr.slice(-2000)}`),
        );
      done(total / positions);
    });
  });
}

export async function storeInstructions(o: {
  dir: string;
  configPath: string;
  batches: { now: number; matched: MatchedAircraft[] }[];
  redisUrl: string;
  runs: number;
}): Promise<Record<string, unknown>> {
  // The children run dist/: build it when the sources changed (as `npm start` does).
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.cjs')], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(join(o.dir, 'batches.json'), JSON.stringify(o.batches));
  writeFileSync(join(o.dir, 'config-path'), o.configPath);
  const redis: number[] = [];
  const memory: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const [r, m] = await Promise.all([countChild('redis', o.dir, o.redisUrl), countChild('memory', o.dir, o.redisUrl)]);
    redis.push(r);
    memory.push(m);
  }
  const redisPer = median(redis);
  const memoryPer = median(memory);
  return {
    method:
      'instructions: valgrind --tool=callgrind, the compiled detector, one counted run per child after two warm-ups',
    runs: o.runs,
    redisInstructionsPerPosition: round(redisPer, 0),
    inMemoryInstructionsPerPosition: round(memoryPer, 0),
    redisShareOfInMemoryInstructions: round(memoryPer / redisPer, 3),
    redisInstructionsPerPositionRuns: redis.map((x) => round(x, 0)),
    inMemoryInstructionsPerPositionRuns: memory.map((x) => round(x, 0)),
  };
}
