/**
 * The child of `BENCH_STORE_METHOD=instructions npm run bench:store`, run under `valgrind --tool=callgrind
 * --dump-before=fdatasync`: the compiled detector (dist/, what `npm start` runs: no TypeScript compiler under
 * valgrind) over the polls the parent recorded, with the Redis or the in-memory track store. Two warm-up runs,
 * then one run between two fdatasync calls: callgrind's second dump is that run's instruction count.
 *
 * Env: BENCH_COUNT_DIR (batches.json, config-path), BENCH_COUNT_KIND (redis | memory), BENCH_COUNT_REDIS (url).
 */
const { readFileSync, openSync, fdatasyncSync, closeSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');
const dist = (m) => require(join(ROOT, 'dist', m));
const { loadConfig } = dist('config/load');
const { loadAirportIndex } = dist('data/load-airports');
const { createDetector, RedisTrackStore } = dist('detect');
const { detectorOptionsFromConfig } = dist('runtime/detector-setup');
const { createRedis } = dist('pipeline/connection');

async function main() {
  const dir = process.env.BENCH_COUNT_DIR;
  const kind = process.env.BENCH_COUNT_KIND;
  const redis = kind === 'redis' ? createRedis(process.env.BENCH_COUNT_REDIS, 'producer') : undefined;
  const config = loadConfig(readFileSync(join(dir, 'config-path'), 'utf8'));
  const batches = JSON.parse(readFileSync(join(dir, 'batches.json'), 'utf8'));
  const airports = await loadAirportIndex({ dir: join(dir, 'data') });
  let runs = 0;
  const run = async () => {
    const prefix = `count${process.pid}-${runs++}:`;
    const store = redis ? new RedisTrackStore({ redis, prefix, ttlMs: 3_600_000, outbox: true }) : undefined;
    const det = createDetector(detectorOptionsFromConfig(config, airports, store));
    for (const b of batches) await det.process(b.matched, b.now);
  };
  await run();
  await run();
  const mark = openSync(join(dir, `mark-${process.pid}`), 'w');
  fdatasyncSync(mark);
  await run();
  fdatasyncSync(mark);
  closeSync(mark);
  const positions = batches.reduce((n, b) => n + b.matched.length, 0);
  process.stdout.write(JSON.stringify({ positions }) + '\n');
  await redis?.quit();
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
