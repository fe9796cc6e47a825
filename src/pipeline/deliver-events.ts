/**
 * In-process delivery for `replay --deliver` and tests: the same history → routing → notify jobs → channels
 * path as the worker. When no notify worker is connected to the Redis, a temporary one runs in this process
 * until every delivery has settled: delivered, suppressed (sent before / silenced / repeatInterval), dead-
 * lettered, or waiting for a retry further away than `maxWaitMs` (left to the next worker; the job stays
 * queued). Because job ids are alert ids and sends are recorded, delivering the same events again sends
 * nothing new.
 */
import { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertsConfig } from '../config/alerts-schema';
import type { FlightEvent } from '../domain/event';
import { silentLogger, type Logger } from '../util/log';
import { QUEUE } from './names';
import { DEFAULT_PREFIX } from '../alerting/keys';
import { createContext, type Channels } from './context';
import { fanOut, type EnqueuedAlert } from './fan-out';
import { notifyBackoff, notifyProcessor } from './processors/notify';
import type { NotifyJobData, NotifyResult } from './jobs';
import { ReplayDigests } from './replay-digests';

export type SettledOutcome = NotifyResult['outcome'] | 'dead-lettered' | 'retrying' | 'pending';

export interface SettledAlert extends EnqueuedAlert {
  outcome: SettledOutcome;
  detail: string;
}

export interface DeliverSummary {
  events: number;
  alerts: SettledAlert[];
  counts: Record<SettledOutcome, number>;
  /** true when this call ran a temporary in-process worker. */
  inProcess: boolean;
  /** Digest alerts sent (also in `alerts` and `counts`) and the digest-only events they sum up. */
  digests: { alerts: number; events: number };
}

export interface DeliverOptions {
  config: { alerts: AlertsConfig };
  redis: Redis;
  channels: Channels;
  waitUntilSettled?: boolean;
  prefix?: string;
  log?: Logger;
  /** A job waiting for a retry due later than this is reported as `retrying` and left queued. */
  maxWaitMs?: number;
  /** Give up waiting after this long (jobs stay queued; reported as `pending`). */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /**
   * Digest delivery as in the worker: events that matched only these entries go into one digest per channel
   * and `periodMs` of event time, sent after the other alerts were enqueued (replay-digests.ts).
   */
  digest?: { watch: ReadonlySet<string>; periodMs: number };
}

const DELAY_SCORE_SHIFT = 0x1000; // BullMQ stores delayed jobs scored timestamp * 0x1000 + counter

export async function deliverEvents(events: readonly FlightEvent[], o: DeliverOptions): Promise<DeliverSummary> {
  const log = o.log ?? silentLogger;
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  const startedAt = Date.now();
  const digests = o.digest?.watch.size ? new ReplayDigests(o.digest.periodMs) : undefined;
  const ctx = createContext({
    alerts: o.config.alerts,
    redis: o.redis,
    prefix,
    channels: o.channels,
    log,
    ...(digests && {
      digestWatch: () => o.digest!.watch,
      gatherDigest: (e: FlightEvent, channelIds: string[]) => digests.gather(e, channelIds),
    }),
  });
  let worker: Worker | undefined;
  let workerConn: Redis | undefined;
  try {
    const enqueued: EnqueuedAlert[] = await fanOut(ctx, events);
    const digestAlerts = digests ? await digests.raise(ctx) : [];
    enqueued.push(...digestAlerts);
    const digestSummary = { alerts: digestAlerts.length, events: digests?.events ?? 0 };
    const empty = (): Record<SettledOutcome, number> => ({
      delivered: 0,
      duplicate: 0,
      silenced: 0,
      suppressed: 0,
      'dead-lettered': 0,
      retrying: 0,
      pending: 0,
    });
    if (!o.waitUntilSettled) {
      const alerts = enqueued.map((a) => ({ ...a, outcome: 'pending' as const, detail: 'enqueued' }));
      return {
        events: events.length,
        alerts,
        counts: { ...empty(), pending: alerts.length },
        inProcess: false,
        digests: digestSummary,
      };
    }
    if ((await ctx.queues.notify.getWorkersCount()) === 0) {
      workerConn = o.redis.duplicate({ maxRetriesPerRequest: null });
      worker = new Worker(QUEUE.notify, notifyProcessor(ctx), {
        connection: workerConn,
        prefix,
        concurrency: o.config.alerts.concurrency,
        settings: { backoffStrategy: notifyBackoff(ctx.retry) },
      });
      worker.on('error', (err) => log.error({ err: err.message }, 'in-process worker error'));
      log.info('no worker connected: delivering in-process');
    }

    const maxWaitMs = o.maxWaitMs ?? 60_000;
    const deadline = startedAt + (o.timeoutMs ?? 15 * 60_000);
    const pollMs = o.pollIntervalMs ?? 50;
    const delayedKey = `${prefix}:${QUEUE.notify}:delayed`;
    let settled: SettledAlert[] = [];
    for (;;) {
      settled = await Promise.all(
        enqueued.map(async (a): Promise<SettledAlert> => {
          const job = await Job.fromId<NotifyJobData, NotifyResult>(ctx.queues.notify, a.jobId);
          if (!job) return { ...a, outcome: 'duplicate', detail: 'job no longer kept; sent before' };
          const state = await job.getState();
          // Completed before this call (e.g. the same replay ran earlier): nothing new was sent now.
          const before = (job.finishedOn ?? 0) < startedAt;
          if (state === 'completed') {
            const r = job.returnvalue;
            return {
              ...a,
              outcome: before && r?.outcome === 'delivered' ? 'duplicate' : (r?.outcome ?? 'delivered'),
              detail: r?.detail ?? '',
            };
          }
          if (state === 'failed') return { ...a, outcome: 'dead-lettered', detail: job.failedReason ?? '' };
          if (state === 'delayed') {
            const score = Number(await o.redis.zscore(delayedKey, a.jobId));
            const due = Number.isFinite(score) ? Math.floor(score / DELAY_SCORE_SHIFT) : 0;
            if (due - Date.now() > maxWaitMs)
              return { ...a, outcome: 'retrying', detail: `next attempt at ${new Date(due).toISOString()}` };
          }
          return { ...a, outcome: 'pending', detail: state };
        }),
      );
      const open = settled.filter((s) => s.outcome === 'pending').length;
      // Operational alerts raised while delivering are not in `enqueued`; let the worker drain them too.
      const busy = worker ? await ctx.queues.notify.getJobCounts('wait', 'active', 'prioritized') : {};
      const queued = Object.values(busy).reduce((s, n) => s + n, 0);
      if ((open === 0 && queued === 0) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
    const counts = empty();
    for (const s of settled) counts[s.outcome]++;
    return { events: events.length, alerts: settled, counts, inProcess: !!worker, digests: digestSummary };
  } finally {
    await worker?.close();
    await workerConn?.quit().catch(() => undefined);
    await ctx.queues.close();
  }
}
