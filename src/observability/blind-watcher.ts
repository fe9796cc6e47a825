/**
 * The blind watcher: when no source has returned a valid reply for `blindAfter`, flightwatch is not
 * watching anything, and people relying on it must know. It sends ONE operational alert through the
 * configured channels when that happens and one when data flows again.
 *
 * State lives in Redis, not in the process, because with several replicas each one runs only some poll
 * slots: `last-data` is the newest valid reply seen by any replica, and `blind` is claimed with SET NX (and
 * released with GETDEL), so exactly one replica sends each alert. Alert ids are derived from the moment the
 * watcher went blind, so a crash between claiming and enqueueing, re-run, adds nothing twice.
 */
import type { Redis } from 'ioredis';
import { raiseOperational } from '../pipeline/operational';
import type { DeliveryContext } from '../pipeline/context';
import type { Logger } from '../util/log';
import type { SourceStatus } from './freshness';
import { redact } from '../util/redact';
import { LuaScript } from '../util/lua-script';

export type WatcherAlertKind = 'blind' | 'recovered';

export interface BlindWatcherOptions {
  redis: Redis;
  prefix: string;
  /** Read on every check, so a reload can change it. */
  blindAfterMs: () => number;
  /** Where alerts go; undefined while the pipeline is not up. */
  ctx: () => DeliveryContext | undefined;
  sources: () => SourceStatus[];
  log: Logger;
  now?: () => number;
  /** Timer period for checks between poll cycles (default: blindAfter/4, at most 30 s). */
  checkEveryMs?: number;
  onAlert?: (kind: WatcherAlertKind, jobIds: string[]) => void;
}

export interface BlindWatcher {
  /** After a poll cycle: `gotData` when at least one source returned a valid reply. */
  afterCycle(gotData: boolean, at: number): Promise<void>;
  /** Compares the newest data with blindAfter; raises the blind alert once. */
  check(): Promise<void>;
  stop(): void;
}

// Keeps the newest timestamp (replicas report out of order).
const SET_MAX = new LuaScript(
  `local v = tonumber(redis.call('GET', KEYS[1])) if (not v) or v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 1`,
);

/** "45 s", "1 min", "15 min": blindAfter as people read it (under a minute is not "0 min"). */
export function blindFor(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}

export function watcherKeys(prefix: string) {
  return { lastData: `${prefix}:watcher:last-data`, blind: `${prefix}:watcher:blind` };
}

/**
 * The newest valid reply any replica recorded (`last-data`); undefined while none has. /readyz and the
 * console's Health page read it, so every replica says the same about the data whichever ran the last poll.
 */
export async function sharedLastDataAt(redis: Pick<Redis, 'get'>, prefix: string): Promise<number | undefined> {
  const at = Number(await redis.get(watcherKeys(prefix).lastData));
  return Number.isFinite(at) && at > 0 ? at : undefined;
}

export function startBlindWatcher(o: BlindWatcherOptions): BlindWatcher {
  const now = o.now ?? Date.now;
  const k = watcherKeys(o.prefix);
  const startedAt = now();
  let stopped = false;
  let checking: Promise<void> | undefined;

  const raise = async (kind: WatcherAlertKind, sinceMs: number, extra: Record<string, unknown>) => {
    const ctx = o.ctx();
    if (!ctx) return;
    const sinceIso = new Date(sinceMs).toISOString();
    const blindMin = Math.round(o.blindAfterMs() / 60_000);
    const summary =
      kind === 'blind'
        ? `No ADS-B source has returned data since ${sinceIso} (${blindFor(o.blindAfterMs())} or more): flightwatch is not watching anything. Check the sources' status below and the worker logs.`
        : `Data flows again (blind since ${sinceIso}); flightwatch is watching again. Events may have been missed while blind: check the public maps.`;
    // Stored in Redis with the notify job and sent to every channel: a reason may quote an upstream reply.
    const sources = redact(
      o
        .sources()
        .map((s) => `${s.id}: ${s.healthy ? 'ok' : s.reason}`)
        .join('; '),
    );
    const raised = await raiseOperational(ctx, {
      kind,
      summary,
      details: { since: sinceIso, blindAfterMinutes: blindMin, ...extra, sources },
      // Keyed by (kind, "blind since X"): raising the same alert again (another replica, a re-run) adds nothing.
      subject: 'watcher',
      at: sinceIso,
      time: new Date(now()).toISOString(),
    });
    const fields = { since: sinceIso, channels: raised.channels, blindAfterMinutes: blindMin };
    if (kind === 'blind') o.log.error(fields, 'watcher is blind: no source returned data; operational alert raised');
    else o.log.warn(fields, 'watcher recovered: data flows again; operational alert raised');
    o.onAlert?.(kind, raised.jobIds);
  };

  const check = async () => {
    if (stopped) return;
    let last = Number(await o.redis.get(k.lastData));
    if (!Number.isFinite(last) || last <= 0) {
      // Nothing ever answered on this Redis: the grace period starts with the first worker.
      await o.redis.set(k.lastData, String(startedAt), 'NX');
      last = Number(await o.redis.get(k.lastData)) || startedAt;
    }
    if (now() - last < o.blindAfterMs()) return;
    const claimed = await o.redis.set(k.blind, JSON.stringify({ since: last, at: now() }), 'NX');
    if (claimed === 'OK') await raise('blind', last, {});
  };

  const guarded = (fn: () => Promise<void>) => {
    // One check at a time per process; errors (Redis down) are logged and retried on the next tick.
    const run = (checking ?? Promise.resolve())
      .then(fn)
      .catch((e) => o.log.warn({ err: (e as Error).message }, 'blind watcher check failed'));
    checking = run;
    return run;
  };

  const period = o.checkEveryMs ?? Math.min(30_000, Math.max(250, Math.floor(o.blindAfterMs() / 4)));
  const timer = setInterval(() => void guarded(check), period);
  timer.unref();

  return {
    afterCycle(gotData, at) {
      return guarded(async () => {
        if (!gotData) return check();
        await SET_MAX.run(o.redis, 1, k.lastData, String(at));
        const was = await o.redis.getdel(k.blind);
        if (was) {
          let since = at;
          try {
            since = (JSON.parse(was) as { since: number }).since;
          } catch {
            /* unreadable marker: still recovered */
          }
          await raise('recovered', since, { blindForMinutes: Math.round((at - since) / 60_000) });
        }
      });
    },
    check: () => guarded(check),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
