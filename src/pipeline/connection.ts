/**
 * Redis connections. Workers need `maxRetriesPerRequest: null` (a blocked command must wait for Redis to come
 * back, not fail the job); producers and CLI commands keep ioredis' default so they fail fast when Redis is
 * down. The queues are only correct with `maxmemory-policy noeviction`: anything else lets Redis silently
 * drop jobs under memory pressure, so the worker warns at start.
 */
import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../util/log';
import { redactor } from '../util/redact';
import { hashTagged } from './names';
import { clusterFromEnv, createClusterRedis, isClusterNode, type ConnectionRole } from './redis-cluster';

export type { ConnectionRole } from './redis-cluster';

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  // The password may come from a flag (`--redis-url`), not the env: Redis (or a proxy) can quote it back.
  redactor.addUrl(url);
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

/**
 * Key prefix of every queue and pipeline key; FLIGHTWATCH_REDIS_PREFIX separates deployments sharing a Redis.
 * On a Redis Cluster (REDIS_CLUSTER_NODES) it is hash-tagged, `{flightwatch}`, so every key is in one slot.
 */
export function redisPrefix(env: NodeJS.ProcessEnv = process.env, given?: string): string {
  const prefix = given || env.FLIGHTWATCH_REDIS_PREFIX || 'flightwatch';
  return env.REDIS_CLUSTER_NODES ? hashTagged(prefix) : prefix;
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
export async function withRedis<T>(
  url: string,
  fn: (r: Redis) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const once = { connectTimeout: 5000, maxRetriesPerRequest: 1 };
  // With REDIS_CLUSTER_NODES, a node's URL means the cluster: the deployment's slot may be on another master.
  const cluster = clusterFromEnv(env);
  const redis =
    cluster && isClusterNode(cluster, url)
      ? createClusterRedis(cluster, 'producer', {
          lazyConnect: true,
          clusterRetryStrategy: () => null,
          redisOptions: once,
        })
      : createRedis(url, 'producer', { lazyConnect: true, retryStrategy: () => null, ...once });
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

/** Errors that mean "cannot talk to Redis" (as opposed to a bad command). */
const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|Connection is closed|Stream isn't writeable|connect timeout|socket hang up/i;

/** Duck-typed: errors from node's net module are not `instanceof Error` in another realm (a jest sandbox). */
export const isConnectionError = (e: unknown): boolean => {
  const x = e as { code?: unknown; message?: unknown } | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    CONNECTION_ERROR.test(
      `${typeof x.code === 'string' ? x.code : ''} ${typeof x.message === 'string' ? x.message : ''}`,
    )
  );
};

export interface RedisWatch {
  /** An error from anything using the connection (BullMQ workers and queues, the connection itself). */
  report(err: Error, fields?: Record<string, unknown>, message?: string): void;
  stop(): void;
}

export interface RedisWatchOptions {
  /** How often Redis is PINGed while connected (default 5 s). */
  probeEveryMs?: number;
  /** No PING reply for this long = stalled (a SIGSTOPped or overloaded server; default 10 s). */
  stallAfterMs?: number;
  /** A "still down" summary at most this often (default 5 min). */
  summaryEveryMs?: number;
  now?: () => number;
}

/**
 * Logs Redis trouble once per incident: connection lost (one error line, with the stack once), still down
 * (a summary at most every 5 minutes), recovered (one line); a server that keeps the socket open but stops
 * answering (SIGSTOP, swap storm) is caught by a PING probe and logged as stalled, then as answering again.
 * Errors of other kinds (a bad command) are logged as they come.
 */
export function watchRedis(conn: Redis, log: Logger, o: RedisWatchOptions = {}): RedisWatch {
  const now = o.now ?? Date.now;
  const summaryEveryMs = o.summaryEveryMs ?? 5 * 60_000;
  const stallAfterMs = o.stallAfterMs ?? 10_000;
  let lost: { at: number; errors: number; lastReason: string; summaryAt: number } | undefined;
  let recoveredAt = 0;
  let probing: number | undefined;
  let stalledAt: number | undefined;
  let stopped = false;

  const report = (err: Error, fields: Record<string, unknown> = {}, message = 'Redis error') => {
    if (stopped) return;
    if (!isConnectionError(err)) {
      log.error({ ...fields, err: err.message }, message);
      return;
    }
    const t = now();
    if (!lost) {
      // The other connections (BullMQ's blocking ones) reconnect a moment later than the main one: their
      // errors just after a recovery belong to the incident that ended.
      if (t - recoveredAt < 5000) return;
      lost = { at: t, errors: 1, lastReason: err.message, summaryAt: t };
      log.error(
        { ...fields, err: err.message, stack: err.stack, incident: 'started' },
        'Redis connection lost; reconnecting',
      );
      return;
    }
    lost.errors++;
    lost.lastReason = err.message;
    if (t - lost.summaryAt >= summaryEveryMs) {
      lost.summaryAt = t;
      log.error(
        { incident: 'ongoing', errors: lost.errors, since: new Date(lost.at).toISOString(), err: err.message },
        `Redis still unreachable (${lost.errors} errors since ${new Date(lost.at).toISOString()})`,
      );
    }
  };
  const onReady = () => {
    if (!lost || stopped) return;
    const t = now();
    log.info(
      { incident: 'ended', downS: Math.round((t - lost.at) / 1000), errors: lost.errors, lastReason: lost.lastReason },
      'Redis connection recovered',
    );
    lost = undefined;
    recoveredAt = t;
  };
  const onError = (e: Error) => report(e);
  conn.on('error', onError);
  conn.on('ready', onReady);

  const probe = () => {
    if (stopped) return;
    const t = now();
    if (probing !== undefined) {
      if (stalledAt === undefined && t - probing >= stallAfterMs) {
        stalledAt = probing;
        log.error(
          { incident: 'started', noReplyForS: Math.round((t - probing) / 1000) },
          `Redis is not answering (stalled): no reply to PING within ${Math.round(stallAfterMs / 1000)} s`,
        );
      }
      return;
    }
    if (conn.status !== 'ready') return;
    probing = t;
    conn.ping().then(
      () => {
        if (stalledAt !== undefined && !stopped)
          log.info(
            { incident: 'ended', stalledS: Math.round((now() - stalledAt) / 1000) },
            'Redis answers again (was stalled)',
          );
        stalledAt = undefined;
        probing = undefined;
      },
      // A failed PING is a connection problem the 'error' events report.
      () => (probing = undefined),
    );
  };
  const timer = setInterval(probe, o.probeEveryMs ?? 5000);
  timer.unref();
  return {
    report,
    stop() {
      stopped = true;
      clearInterval(timer);
      // The error listener stays (a no-op now): without one, ioredis prints errors as plain text to stderr.
      conn.off('ready', onReady);
    },
  };
}
