/**
 * Redis connections. Workers need `maxRetriesPerRequest: null` (a blocked command must wait for Redis to come
 * back, not fail the job); producers and CLI commands keep ioredis' default so they fail fast when Redis is
 * down. The queues are only correct with `maxmemory-policy noeviction`: anything else lets Redis silently
 * drop jobs under memory pressure, so the worker warns at start.
 */
import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../util/log';

export type ConnectionRole = 'worker' | 'producer';

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const opts: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 3, enableOfflineQueue: true, ...extra };
  return new IORedis(url, opts);
}

export type EvictionCheck = { ok: true; policy: 'noeviction' } | { ok: false; policy?: string; reason: string };

/** Reads `maxmemory-policy`; managed Redis often forbids CONFIG, which is reported, not thrown. */
export async function checkNoeviction(redis: Redis): Promise<EvictionCheck> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply?.[1];
    if (policy === 'noeviction') return { ok: true, policy };
    return { ok: false, policy, reason: `maxmemory-policy is ${JSON.stringify(policy)}; queued alerts can be evicted` };
  } catch (e) {
    return { ok: false, reason: `cannot read maxmemory-policy (${(e as Error).message}); make sure it is noeviction` };
  }
}

/** Logs a warning when Redis may evict keys; returns the check for callers that want to act on it. */
export async function warnUnlessNoeviction(redis: Redis, log: Logger): Promise<EvictionCheck> {
  const check = await checkNoeviction(redis);
  if (!check.ok)
    log.warn(
      { policy: check.policy },
      `Redis is not safe for queues: ${check.reason}. Set maxmemory-policy noeviction.`,
    );
  return check;
}

/** Key prefix of every queue and pipeline key; FLIGHTWATCH_REDIS_PREFIX separates deployments sharing a Redis. */
export function redisPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLIGHTWATCH_REDIS_PREFIX || 'flightwatch';
}

/** URL without its password, for messages. */
export function safeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

export class RedisConnectError extends Error {
  override name = 'RedisConnectError';
}

/**
 * For short-lived commands: one connection attempt, no reconnect loop, a clear error naming the server
 * (REDIS_URL) instead of a retry storm, and always disconnected afterwards.
 */
export async function withRedis<T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = createRedis(url, 'producer', {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 5000,
    maxRetriesPerRequest: 1,
  });
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause = e)); // reported through the rejection below
  try {
    try {
      await redis.connect();
    } catch (e) {
      throw new RedisConnectError(
        `cannot reach Redis at ${safeRedisUrl(url)} (${(cause ?? (e as Error)).message}); set REDIS_URL or start redis-server`,
      );
    }
    return await fn(redis);
  } finally {
    disconnectNow(redis);
  }
}

/**
 * Closes a connection at once. disconnect() waits for a 'close' that a connection already closed ('end': a
 * refused connect with no retry) never emits again, which kept a CLI process alive for ioredis'
 * disconnectTimeout (2 s) after "cannot reach Redis".
 */
export function disconnectNow(redis: Redis): void {
  if (redis.status !== 'end') redis.disconnect();
}
