/**
 * The one scheduler behind every "send once per period" message: watch-entry digests (alerting/digest.ts) and
 * report digests (runtime/report-digest.ts). Each tick asks every source what is due at `now`, claims each due
 * item (period-claim.ts: once across replicas), sends it, and on failure backs off and tries again on a later
 * tick, within the item's period, raising a `digest-failed` operational alert once the failures repeat.
 *
 * Sources are read on every tick (a config reload changes them); the tick interval too. Tests drive `tick(now)`
 * with their own clock instead of waiting for the timer.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../util/log';
import { claimPeriod, markFailed, markSent } from './period-claim';

/** One message due at a tick: what to claim, how to send it. */
export interface DueItem {
  /** The claim key: one per (digest, period). */
  key: string;
  /** For logs and the failure alert: "watch digest partner 2026-11-20", "report digest monthly-0 2026-11". */
  label: string;
  /** Which digest it is, and which period (the failure alert's facts). */
  digest: string;
  period: string;
  /** Events it sums up, when it is a digest of events (for logs and counts). */
  events?: number;
  /** Only continue a claim a replica already started (the period began before this scheduler knew it). */
  resumeOnly?: boolean;
  /** How long the claim is kept once sent or failed. */
  keepMs: number;
  /** Sends it (enqueues the alert); throws when it could not. */
  send(): Promise<void>;
  /** After it was sent, here or by another replica (drop what was gathered for it). */
  afterSent?(): Promise<void>;
}

export interface PeriodSource {
  name: string;
  due(now: number): Promise<DueItem[]>;
}

export interface DigestFailure {
  item: DueItem;
  attempts: number;
  error: string;
  failedAt: number;
  retryAt: number;
}

export interface SchedulerOptions {
  redis: Redis;
  log: Logger;
  sources: () => readonly PeriodSource[];
  /** Tick interval (ms), read after every tick. */
  checkEvery: () => number;
  /** Retry backoff after the n-th failure: base · 2^(n-1), at most max. */
  backoff: () => { baseMs: number; maxMs: number };
  /** Called once when an item has failed `alertAfter` times in a row (the operational alert). */
  onRepeatedFailure?: (f: DigestFailure) => Promise<void>;
  alertAfter?: number;
  /** A claim not answered within this is taken over by another replica (default 10 min). */
  leaseMs?: number;
  /** This process's name in claims (default a random id). */
  owner?: string;
}

export interface TickResult {
  sent: string[];
  failed: string[];
  /** Claimed elsewhere, already sent, or waiting for a retry. */
  skipped: number;
}

export interface PeriodScheduler {
  tick(now?: number): Promise<TickResult>;
  /** Ticks now and then every checkEvery; a tick still running is never overlapped. */
  start(): void;
  /** Stops ticking; resolves once a tick in progress has finished. */
  stop(): Promise<void>;
}

export const DEFAULT_ALERT_AFTER = 3;
const DEFAULT_LEASE_MS = 10 * 60_000;

export const backoffDelay = (failures: number, b: { baseMs: number; maxMs: number }) =>
  Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));

export function createPeriodScheduler(o: SchedulerOptions): PeriodScheduler {
  const owner = o.owner ?? randomUUID();
  const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
  const alertAfter = o.alertAfter ?? DEFAULT_ALERT_AFTER;

  async function runItem(item: DueItem, now: number, r: TickResult): Promise<void> {
    const c = await claimPeriod(o.redis, item.key, {
      owner,
      now,
      leaseMs,
      keepMs: item.keepMs,
      resumeOnly: item.resumeOnly,
    });
    if (!c.claimed) {
      r.skipped++;
      if (c.current.state === 'sent') await item.afterSent?.();
      return;
    }
    const attempts = c.attempts + 1;
    try {
      await item.send();
    } catch (e) {
      const error = (e as Error).message;
      const retryAt = now + backoffDelay(attempts, o.backoff());
      await markFailed(o.redis, item.key, { owner, attempts, retryAt, error, keepMs: item.keepMs });
      r.failed.push(item.label);
      o.log.error(
        { digest: item.digest, period: item.period, attempts, retryAt: new Date(retryAt).toISOString(), err: error },
        `${item.label} failed; tried again from ${new Date(retryAt).toISOString()}`,
      );
      if (attempts === alertAfter)
        await o
          .onRepeatedFailure?.({ item, attempts, error, failedAt: now, retryAt })
          .catch((err: unknown) =>
            o.log.error(
              { digest: item.digest, err: (err as Error).message },
              'could not raise the digest-failed alert',
            ),
          );
      return;
    }
    if (!(await markSent(o.redis, item.key, { owner, now, attempts, keepMs: item.keepMs })))
      o.log.warn({ digest: item.digest, period: item.period }, `${item.label}: claim lost while sending`);
    r.sent.push(item.label);
    await item.afterSent?.();
  }

  async function tick(now = Date.now()): Promise<TickResult> {
    const r: TickResult = { sent: [], failed: [], skipped: 0 };
    for (const source of o.sources()) {
      let due: DueItem[];
      try {
        due = await source.due(now);
      } catch (e) {
        o.log.warn(
          { source: source.name, err: (e as Error).message },
          `${source.name}: check failed; next tick retries`,
        );
        continue;
      }
      for (const item of due)
        await runItem(item, now, r).catch((e: unknown) =>
          // Redis away: nothing was claimed or the lease runs out; a later tick tries again.
          o.log.warn({ digest: item.digest, err: (e as Error).message }, `${item.label}: not sent; next tick retries`),
        );
    }
    return r;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const loop = () => {
    running = tick()
      .then((r) => void (r.sent.length && o.log.info({ sent: r.sent }, 'digests sent')))
      .catch((e: unknown) => o.log.warn({ err: (e as Error).message }, 'digest check failed; next tick retries'))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(loop, o.checkEvery());
        timer.unref();
      });
  };
  return {
    tick,
    start: () => {
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
