/**
 * Child process for the archive fault test: the worker's archiving (runtime/archive-setup.ts: open with
 * retry, archiver, lag watch) on its own, so the test can SIGKILL it mid-burst. Env: REDIS_URL, FW_PREFIX,
 * DATABASE_URL, FW_BATCH. Prints "ready <pid>" once started; JSON log lines on stderr.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { configSchema } from '../../../src/config/schema';
import { createRedis } from '../../../src/pipeline/connection';
import { startArchiving } from '../../../src/runtime/archive-setup';
import { createLogger } from '../../../src/util/log';

const config = configSchema.parse({
  sources: [{ id: 'receiver', kind: 'receiver', url: 'http://127.0.0.1:9/aircraft.json' }],
  watch: [{ id: 'all', match: { types: ['GLF5'] } }],
  archive: { batchSize: Number(process.env.FW_BATCH ?? 200) },
});
const log = createLogger({
  level: process.env.LOG_LEVEL ?? 'info',
  destination: pino.destination({ fd: 2, sync: true }),
});
const redis = createRedis(process.env.REDIS_URL!, 'worker');
redis.on('error', () => undefined);
const archiving = startArchiving({
  config,
  env: process.env,
  redis,
  prefix: process.env.FW_PREFIX!,
  log,
  registry: new Registry(),
  ctx: () => undefined,
});
process.stdout.write(`ready ${process.pid}\n`);
process.on('SIGTERM', () => {
  void archiving.stop().then(() => {
    redis.disconnect();
    process.exit(0);
  });
});
