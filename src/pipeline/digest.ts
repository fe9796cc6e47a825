/**
 * Watch-entry digests as a source of the period scheduler (period-scheduler.ts): every bucket whose period is
 * over is one due item, sent as one `digest` operational alert to that channel only, then forgotten. The claim
 * (per channel and period) makes one replica send it; the alert ids derive from (channel, period) as well, so
 * a crash between enqueueing and marking it sent still delivers each digest once.
 */
import { digestKeys, dropBucket, dueBuckets, summarizeDigest, type DueBucket } from '../alerting/digest';
import type { DeliveryContext } from './context';
import { raiseOperational } from './operational';
import { createPeriodScheduler, type DueItem, type PeriodSource } from './period-scheduler';

const DAY_MS = 86_400_000;

/** The digest alert of one bucket (also what `replay --deliver` sends for the periods it replayed). */
export function raiseDigest(ctx: DeliveryContext, b: DueBucket, subject = `digest:${b.channelId}`) {
  const { summary, details } = summarizeDigest(b.items, b.periodStart, b.periodMs);
  return raiseOperational(ctx, {
    kind: 'digest',
    subject,
    at: new Date(b.periodStart).toISOString(),
    time: new Date(b.periodStart + b.periodMs).toISOString(),
    channels: [b.channelId],
    summary,
    details,
  });
}

/** `periodMs`: the configured `alerts.digest.period` (a reload may change it). */
export function watchDigestSource(ctx: DeliveryContext, periodMs: () => number): PeriodSource {
  const k = digestKeys(ctx.prefix);
  return {
    name: 'watch digests',
    async due(now) {
      const items: DueItem[] = [];
      for (const b of await dueBuckets(ctx.redis, ctx.prefix, { periodMs: periodMs(), now, log: ctx.log })) {
        if (!b.items.length) {
          await dropBucket(ctx.redis, ctx.prefix, b);
          continue;
        }
        items.push({
          key: k.claim(b.channelId, b.periodStart),
          label: `watch digest ${b.channelId} ${new Date(b.periodStart).toISOString()}`,
          digest: `watch:${b.channelId}`,
          period: new Date(b.periodStart).toISOString(),
          events: b.items.length,
          // Kept a while after sending: a crash before the bucket is dropped finds it sent, and drops it.
          keepMs: Math.max(2 * b.periodMs, DAY_MS),
          send: async () => void (await raiseDigest(ctx, b)),
          afterSent: () => dropBucket(ctx.redis, ctx.prefix, b),
        });
      }
      return items;
    },
  };
}

export interface FlushResult {
  sent: number;
  events: number;
}

/** One check now (tests, tools): sends every watch digest whose period is over. */
export async function flushDigests(ctx: DeliveryContext, now = Date.now()): Promise<FlushResult> {
  let events = 0;
  const source = watchDigestSource(ctx, () => ctx.digestPeriod?.() ?? ctx.alerts.digest.period);
  const scheduler = createPeriodScheduler({
    redis: ctx.redis,
    log: ctx.log,
    sources: () => [
      {
        name: source.name,
        due: async (t) =>
          (await source.due(t)).map((i) => ({
            ...i,
            send: async () => {
              await i.send();
              events += i.events ?? 0;
            },
          })),
      },
    ],
    checkEvery: () => ctx.alerts.digest.checkEvery,
    backoff: () => ({ baseMs: ctx.retry.baseMs, maxMs: ctx.retry.maxMs }),
  });
  const r = await scheduler.tick(now);
  return { sent: r.sent.length, events };
}
