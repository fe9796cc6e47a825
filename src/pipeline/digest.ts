/**
 * Sends the digests whose period is over: one `digest` operational alert per (channel, period) to that channel
 * only, then forgets the bucket. The alert ids derive from (channel, period), so two replicas flushing at once,
 * or a crash between enqueueing and forgetting, still deliver each digest once.
 */
import { dropBucket, dueBuckets, summarizeDigest } from '../alerting/digest';
import type { DeliveryContext } from './context';
import { raiseOperational } from './operational';

export interface FlushResult {
  sent: number;
  events: number;
}

export async function flushDigests(ctx: DeliveryContext, now = Date.now()): Promise<FlushResult> {
  const periodMs = ctx.alerts.digest.period;
  const due = await dueBuckets(ctx.redis, ctx.prefix, { periodMs, now, log: ctx.log });
  let sent = 0;
  let events = 0;
  for (const b of due) {
    if (b.items.length) {
      const { summary, details } = summarizeDigest(b.items, b.periodStart, periodMs);
      await raiseOperational(ctx, {
        kind: 'digest',
        subject: `digest:${b.channelId}`,
        at: new Date(b.periodStart).toISOString(),
        time: new Date(b.periodStart + periodMs).toISOString(),
        channels: [b.channelId],
        summary,
        details,
      });
      sent++;
      events += b.items.length;
    }
    await dropBucket(ctx.redis, ctx.prefix, b);
  }
  return { sent, events };
}

export interface DigestFlusher {
  stop(): void;
}

/** Checks every `alerts.digest.checkEvery`; an error (Redis away) is logged and the next check tries again. */
export function startDigestFlusher(ctx: DeliveryContext): DigestFlusher {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    flushDigests(ctx)
      .then((r) => r.sent && ctx.log.info(r, 'digests sent'))
      .catch((err: unknown) => ctx.log.warn({ err: (err as Error).message }, 'digest check failed; retried next time'))
      .finally(() => (running = false));
  };
  const timer = setInterval(tick, ctx.alerts.digest.checkEvery);
  timer.unref();
  tick();
  return { stop: () => clearInterval(timer) };
}
