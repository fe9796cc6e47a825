/**
 * `flightwatch web` runs no worker, but the workers of its deployment record their shared state in Redis
 * (newest data of any replica, queues, dead letters): its Health page reads it there. The Redis is found the
 * way the other CLI commands find it — REDIS_URL; REDIS_CLUSTER_NODES; the worker's embedded Redis named in
 * `<data.dir>/redis/url` of this config; else 127.0.0.1:6379 — under FLIGHTWATCH_REDIS_PREFIX. A Redis that
 * is down makes the page say so; the console runs on and reads again on the next request.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../../config/schema';
import { readSharedState } from '../../observability/shared-state';
import { retryPolicy } from '../../pipeline/context';
import { createRedis, disconnectNow, redisPrefix, safeRedisUrl } from '../../pipeline/connection';
import { createQueues } from '../../pipeline/queues';
import { clusterFromEnv, createClusterRedis } from '../../pipeline/redis-cluster';
import { redisUrl } from '../../runtime/redis/cli-redis-url';
import type { Logger } from '../../util/log';
import type { SharedHealth } from '../../web/health-model';

export interface WorkersRedis {
  /** The Redis read, without its password. */
  url: string;
  health(): Promise<SharedHealth>;
  close(): Promise<void>;
}

// A console left running while Redis is away: try again now and then, not in a tight loop.
const reconnectAfter = (attempt: number) => Math.min(attempt * 500, 5000);

export async function openWorkersRedis(config: Config, env: NodeJS.ProcessEnv, log: Logger): Promise<WorkersRedis> {
  const url = await redisUrl({ env, dataDir: config.data.dir });
  const cluster = clusterFromEnv(env);
  const conn: Redis = cluster
    ? createClusterRedis(cluster, 'producer', { clusterRetryStrategy: reconnectAfter })
    : createRedis(url, 'producer', { retryStrategy: reconnectAfter, maxRetriesPerRequest: 1 });
  const shown = safeRedisUrl(url);
  // One line per kind of failure, not one per reconnect attempt.
  let lastError: string | undefined;
  conn.on('error', (e: Error) => {
    if (e.message !== lastError)
      log.warn({ redis: shown, err: e.message }, "workers' Redis unreachable: the Health page says so");
    lastError = e.message;
  });
  conn.on('ready', () => (lastError = undefined));
  const prefix = redisPrefix(env);
  const queues = createQueues(conn, prefix, retryPolicy(config.alerts));
  // Reported once through the connection above.
  for (const q of [queues.poll, queues.detect, queues.notify]) q.on('error', () => undefined);
  return {
    url: shown,
    async health() {
      const s = await readSharedState(conn, prefix, queues);
      return {
        redis: shown,
        blindAfterMs: config.operate.blindAfter,
        ...(s.lastDataAt !== undefined ? { lastDataAt: s.lastDataAt } : {}),
        ...s.queueState,
      };
    },
    async close() {
      await queues.close().catch(() => undefined);
      disconnectNow(conn);
    },
  };
}
