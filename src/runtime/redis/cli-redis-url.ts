/** Which Redis a CLI command talks to when none is given (see redisUrl). */
import { configDataDir, DEFAULT_DATA_DIR } from '../../config/data-dir';
import type { pingRedis } from './probe';
import { liveEmbeddedRedisUrl } from './url-file';
import { clusterFromEnv, clusterUrlForLog } from '../../pipeline/redis-cluster';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** --redis-url help for CLI commands. */
export const REDIS_URL_HELP =
  "Redis (default: $REDIS_URL, else $REDIS_CLUSTER_NODES, else the worker's embedded Redis from <data.dir>/redis/url, else redis://127.0.0.1:6379)";

export interface RedisUrlOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the worker's embedded Redis writes redis/url; default: data.dir of the config, else "data". */
  dataDir?: string;
  ping?: typeof pingRedis;
}

/**
 * The Redis a CLI command (dlq, silence, alert) talks to: REDIS_URL; else the first node of
 * REDIS_CLUSTER_NODES; else the worker's embedded
 * redis-server, found through `<data.dir>/redis/url` when it answers (its port is random); else
 * 127.0.0.1:6379. The worker's own order differs (6379 before starting an embedded one), but a running
 * worker only ever has one of them, and the URL file exists only while it is embedded.
 */
export async function redisUrl(o: RedisUrlOptions = {}): Promise<string> {
  const env = o.env ?? process.env;
  if (env.REDIS_URL) return env.REDIS_URL;
  // A cluster node's URL: withRedis connects to the whole cluster through it.
  const cluster = clusterFromEnv(env);
  if (cluster) return clusterUrlForLog(cluster);
  const dataDir = o.dataDir ?? cliDataDir(env);
  return (await liveEmbeddedRedisUrl(dataDir, o.ping)) ?? DEFAULT_REDIS_URL;
}

/** data.dir of the config the worker would read ($FLIGHTWATCH_CONFIG or the default) when valid. */
function cliDataDir(env: NodeJS.ProcessEnv): string {
  const c = configDataDir(undefined, env);
  return c.ok ? c.dir : DEFAULT_DATA_DIR;
}
