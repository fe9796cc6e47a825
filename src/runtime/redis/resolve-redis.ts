/**
 * Finds the Redis the worker should use, so `npm install && npm start` works on a fresh machine:
 * REDIS_URL when set; else 127.0.0.1:6379 when something answers PING there; else an embedded
 * `redis-server` child (from PATH) on a free loopback port with AOF persistence in <dataDir>/redis
 * (embedded-server.ts, which adopts one a killed worker left running).
 */
import type { Logger } from '../../util/log';
import { startEmbeddedRedis } from './embedded-server';
import { pingRedis } from './probe';
import type { ResolvedRedis } from './resolved-redis';

export async function resolveRedis(opts: {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  log: Logger;
  redisServerBin?: string;
  skipLocal?: boolean;
}): Promise<ResolvedRedis> {
  const env = opts.env ?? process.env;
  const noop = async () => {};
  if (env.REDIS_URL) return { url: env.REDIS_URL, origin: 'env', stop: noop };
  if (!opts.skipLocal && (await pingRedis('127.0.0.1', 6379)))
    return { url: 'redis://127.0.0.1:6379', origin: 'local', stop: noop };
  return startEmbeddedRedis(opts.dataDir, opts.log, opts.redisServerBin);
}
