/**
 * Detected events → history → routes → one notify job per (event × channel). The history append comes
 * first: once it returned, the event survives any delivery failure. Job ids are alert ids, so enqueueing
 * the same event again (re-detection, replay, a detect job re-run after a crash) adds nothing. An event that
 * matched only digest entries is gathered into its channels' digest instead (alerting/digest.ts).
 */
import type { FlightEvent } from '../domain/event';
import { appendEvents } from './history';
import { route } from '../alerting/routing';
import { alertId } from '../alerting/alert-id';
import { collectForDigest, isDigestOnly } from '../alerting/digest';
import type { DeliveryContext } from './context';
import type { NotifyJobData } from './jobs';

export interface EnqueuedAlert {
  jobId: string;
  channelId: string;
  eventId: string;
}

export async function fanOut(ctx: DeliveryContext, events: readonly FlightEvent[]): Promise<EnqueuedAlert[]> {
  const jobs: { name: string; data: NotifyJobData; opts: { jobId: string } }[] = [];
  // One round trip for the chunk's history appends (a detect run after a cold start fans out thousands).
  const entries = await appendEvents(ctx.redis, ctx.keys, events, ctx.alerts.historyRetention);
  for (const [i, e] of events.entries()) {
    const { historyId, appended } = entries[i]!; // one entry per event, in order
    // Counted here, where the history append says it is new: once per event whichever path brought it (the
    // detect job, an outbox drain after a failed batch or a crash, several drains at once).
    if (appended) ctx.observer?.eventRecorded?.(e);
    const targets = route(e, ctx.alerts);
    const digest = ctx.digestWatch?.();
    if (digest?.size && targets.length && isDigestOnly(e, digest)) {
      // Kept in history like every event; people get it in the period's digest, not as an alert of its own.
      if (ctx.gatherDigest) {
        ctx.gatherDigest(
          e,
          targets.map((t) => t.channelId),
        );
        continue;
      }
      await collectForDigest(ctx.redis, ctx.prefix, {
        event: e,
        channelIds: targets.map((t) => t.channelId),
        periodMs: ctx.digestPeriod?.() ?? ctx.alerts.digest.period,
        now: Date.now(),
      });
      continue;
    }
    for (const t of targets) {
      const id = alertId(e.id, t.channelId);
      jobs.push({
        name: 'notify',
        data: {
          alertId: id,
          channelId: t.channelId,
          eventId: e.id,
          eventType: e.type,
          hex: e.aircraft.hex.toLowerCase(),
          eventTimeMs: Date.parse(e.time),
          historyId,
          repeatIntervalMs: t.repeatIntervalMs,
          route: t.route,
        },
        opts: { jobId: id },
      });
    }
    if (jobs.at(-1)?.data.eventId !== e.id)
      ctx.log.info({ event: e.id, type: e.type }, 'event matched no route; kept in history only');
  }
  if (jobs.length) await ctx.queues.notify.addBulk(jobs);
  return jobs.map((j) => ({ jobId: j.opts.jobId, channelId: j.data.channelId, eventId: j.data.eventId }));
}
