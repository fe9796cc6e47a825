/**
 * Finds the Redis the worker should use, so `npm install && npm start` works on a fresh machine:
 * REDIS_CLUSTER_NODES (a Redis Cluster) or REDIS_URL when set; else 127.0.0.1:6379 when something answers PING there; else an embedded
 * `redis-server` child (from PATH) on a free loopback port with AOF persistence in <dataDir>/redis
 * (embedded-server.ts, which adopts one a killed worker left running).
 */
import type { Logger } from '../../util/log';
import { startEmbeddedRedis } from './embedded-server';
import { pingRedis } from './probe';
import type { ResolvedRedis } from './resolved-redis';
import { clusterFromEnv, clusterUrlForLog } from '../../pipeline/redis-cluster';

export async function resolveRedis(opts: {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  log: Logger;
  redisServerBin?: string;
  skipLocal?: boolean;
}): Promise<ResolvedRedis> {
  const env = opts.env ?? process.env;
  const noop = async () => {};
  const cluster = clusterFromEnv(env);
  if (cluster && env.REDIS_URL)
    throw new Error(
      'REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for one server or REDIS_CLUSTER_NODES for a cluster',
    );
  if (cluster) return { url: clusterUrlForLog(cluster), origin: 'cluster', cluster, stop: noop };
  if (env.REDIS_URL) return { url: env.REDIS_URL, origin: 'env', stop: noop };
  if (!opts.skipLocal && (await pingRedis('127.0.0.1', 6379)))
    return { url: 'redis://127.0.0.1:6379', origin: 'local', stop: noop };
  return startEmbeddedRedis(opts.dataDir, opts.log, opts.redisServerBin);
}
