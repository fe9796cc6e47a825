/**
 * What an operator needs to read once at start: which Redis (without its password), whether that Redis keeps
 * anything on disk, where alerts go, where the flight record is written. Never a channel URL or token: a
 * webhook or chat URL is often itself the secret, so channels are named by id and kind only.
 */
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import type { Channel } from '../alerting/channel';
import type { ResolvedRedis } from './redis/resolved-redis';
import type { Logger } from '../util/log';

/**
 * The archive's modules (Kysely, the SQLite and PostgreSQL drivers: ~270 modules, ~10 MB) load only when the
 * archive is enabled, as in worker.ts; this file is imported by every worker.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- require() is the lazy loader (see worker.ts) */
const archiveSetup = () => require('./archive-setup') as typeof import('./archive-setup');
const archiveOpen = () => require('../archive/open') as typeof import('../archive/open');
/* eslint-enable @typescript-eslint/no-require-imports */

/** A Redis URL fit to print: user kept, password and query dropped (a URL that does not parse is not printed). */
export function redisUrlForLog(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = ''; // a password may also be passed as a query parameter
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(REDIS_URL is not a valid URL)';
  }
}

const ORIGIN: Record<ResolvedRedis['origin'], string> = {
  env: 'external, from REDIS_URL',
  local: 'external, the local server on 127.0.0.1:6379',
  embedded: 'embedded redis-server started by the worker',
  cluster: 'Redis Cluster from REDIS_CLUSTER_NODES, first node shown',
};

export type RedisPersistence =
  { checked: true; appendonly: boolean; save: string; persists: boolean } | { checked: false; reason: string };

/**
 * CONFIG GET appendonly and save. Managed services often refuse CONFIG (or rename it): that is reported as
 * not checked, never as a failure. Bounded in time: a Redis that does not answer does not hold up the start.
 */
export async function redisPersistence(conn: Redis, timeoutMs = 2000): Promise<RedisPersistence> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      Promise.all([conn.config('GET', 'appendonly'), conn.config('GET', 'save')]),
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const [aof, save] = answer.map((r) => (Array.isArray(r) ? String(r[1] ?? '') : ''));
    const appendonly = aof === 'yes';
    const savePoints = (save ?? '').trim();
    return { checked: true, appendonly, save: savePoints, persists: appendonly || savePoints !== '' };
  } catch (e) {
    return { checked: false, reason: (e as Error).message.split('\n')[0] ?? 'unknown' };
  } finally {
    clearTimeout(timer);
  }
}

export function logRedis(log: Logger, redis: Pick<ResolvedRedis, 'url' | 'origin'>, p: RedisPersistence): void {
  const url = redisUrlForLog(redis.url);
  log.info({ redis: url, origin: redis.origin }, `Redis: ${url} (${ORIGIN[redis.origin]})`);
  if (!p.checked)
    log.warn(
      { redis: url, reason: p.reason },
      'could not check whether Redis keeps its data on disk (CONFIG GET refused); make sure AOF is on, ' +
        'or queued alerts and detections are lost when Redis restarts',
    );
  else if (!p.persists)
    log.warn(
      { redis: url, appendonly: 'no', save: '' },
      'Redis keeps nothing on disk (appendonly no, save ""): queued alerts and detections would not survive ' +
        'its restart; set appendonly yes',
    );
  else log.info({ appendonly: p.appendonly, save: p.save }, 'Redis persistence on');
}

export interface AlertDestination {
  id: string;
  kind: string;
  /** The folder an outbox channel writes to (absolute). */
  dir?: string;
}

/** Each built channel by id and kind; outbox channels with their folder (the implicit outbox too). */
export function alertDestinations(
  alerts: Config['alerts'],
  channels: ReadonlyMap<string, Channel>,
): AlertDestination[] {
  return [...channels.values()].map((ch) => {
    if (ch.kind !== 'outbox') return { id: ch.id, kind: ch.kind };
    const configured = alerts.channels.find((c) => c.id === ch.id);
    const dir =
      configured && 'dir' in configured && typeof configured.dir === 'string' ? configured.dir : alerts.outboxDir;
    return { id: ch.id, kind: ch.kind, dir: path.resolve(dir) };
  });
}

export function logAlertDestinations(log: Logger, destinations: readonly AlertDestination[]): void {
  const text = destinations.map((d) => `${d.id} (${d.kind}${d.dir ? ` → ${d.dir}` : ''})`).join(', ');
  log.info({ channels: destinations }, destinations.length ? `alerts go to ${text}` : 'no alert channel');
}

/** Where the flight record goes: the SQLite file, or PostgreSQL without user and password; or off. */
export function archiveForLog(config: Config, env: NodeJS.ProcessEnv): string {
  if (!config.archive.enabled) return 'off (archive.enabled: false)';
  const t = archiveSetup().archiveTarget(config, env);
  if (t.databaseUrl) return `PostgreSQL ${archiveOpen().describePostgresUrl(t.databaseUrl)} (DATABASE_URL)`;
  return `SQLite ${path.resolve(t.file ?? '')}`;
}
