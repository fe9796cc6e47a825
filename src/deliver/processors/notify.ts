/**
 * The notify step: one alert to one channel. Checks, in Alertmanager's order, whether to send at all
 * (already sent → disabled channel → silenced → repeatInterval), sends, then records the send. The error
 * taxonomy of DeliveryError decides what BullMQ does next:
 *   transient     rethrow: retried with exponential backoff + jitter until the retry horizon (custom strategy)
 *   rate-limited  moved back to delayed for Retry-After (DelayedError: does not consume an attempt)
 *   permanent     UnrecoverableError: straight to failed, i.e. the dead letter set
 *   gone (410)    channel disabled in Redis, operational alert via the other channels, then dead letter
 * Anything else (a bug, Redis hiccup) is treated as transient: retrying is cheaper than losing an alert.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DeliveryError, type Alert } from '../channel';
import type { DeliveryContext } from '../context';
import type { NotifyJobData, NotifyResult } from '../jobs';
import { readNotifyState, recordSent, suppressedByRepeat } from '../notification-log';
import { listSilences, silenceMatches } from '../silences';
import { fieldsToEvent } from '../history';
import { disableChannel } from '../channel-state';
import { asOperationalEvent, raiseChannelDisabled } from '../operational';
import { jitteredDelayMs, nextRetryDelayMs, type RetryPolicy } from '../backoff';
import { alertId } from '../alert-id';

/** Where the retry horizon starts: first enqueue, or the last manual `dlq retry`. */
export const horizonStart = (job: { timestamp: number; data: Pick<NotifyJobData, 'horizonFrom'> }) => job.data.horizonFrom ?? job.timestamp;

/** Worker `settings.backoffStrategy` for NOTIFY_BACKOFF. */
export function notifyBackoff(policy: RetryPolicy) {
  return (attemptsMade: number, _type?: string, _err?: Error, job?: { timestamp: number; data: unknown }): number =>
    job ? nextRetryDelayMs(attemptsMade, horizonStart(job as { timestamp: number; data: NotifyJobData }), Date.now(), policy) : jitteredDelayMs(attemptsMade, policy);
}

export function notifyProcessor(ctx: DeliveryContext) {
  return async (job: Job<NotifyJobData, NotifyResult>, token?: string): Promise<NotifyResult> => {
    const d = job.data;
    // Child logger built only when something is logged: this is the per-alert hot path.
    let child: typeof ctx.log | undefined;
    const log = () => (child ??= ctx.log.child({ alert: d.alertId, channel: d.channelId, event: d.eventId }));
    const channel = ctx.channels.get(d.channelId);
    if (!channel) throw new UnrecoverableError(`channel ${d.channelId} is not configured`);

    const st = await readNotifyState(ctx.redis, ctx.keys, d.alertId, d.channelId, d.hex, d.eventType, d.event ? undefined : d.historyId);
    if (st.sent) return { outcome: 'duplicate', detail: `already delivered: ${st.sent}` };
    const alert = loadAlert(d, st.historyRows);
    if (!alert) throw new UnrecoverableError(`event ${d.eventId} is no longer in the history (older than alerts.historyRetention)`);

    if (st.disabled) {
      // Re-raise idempotently: covers a crash between disabling and enqueueing the operational alert.
      if (!alert.operational) await raiseChannelDisabled(ctx, { channelId: d.channelId, reason: st.disabled.reason, disabledAt: st.disabled.disabledAt }, alert.event.id);
      throw new UnrecoverableError(`channel ${d.channelId} is disabled since ${st.disabled.disabledAt}: ${st.disabled.reason}`);
    }
    if (!alert.operational) {
      const event = alert.event;
      const target = { hex: d.hex, watchIds: event.watch.ids, type: d.eventType };
      const silence = (await listSilences(ctx.redis, ctx.keys, Date.now(), st.silenceIds)).find((s) => silenceMatches(s, target, Date.now()));
      if (silence) {
        log().info({ silence: silence.id }, 'alert silenced');
        return { outcome: 'silenced', detail: `silence ${silence.id} until ${silence.endsAt}` };
      }
      if (suppressedByRepeat(st.last, d.alertId, d.eventTimeMs, d.repeatIntervalMs))
        return { outcome: 'suppressed', detail: `repeatInterval: ${st.last!.alertId} was sent for the same aircraft and event` };
    }

    // One trip, one thread: every alert of a trip replies to the trip's root alert (the first `trip` event's id is the trip id).
    const tripId = alert.operational ? undefined : alert.event.details?.tripId;
    if (typeof tripId === 'string' && alertId(tripId, d.channelId) !== d.alertId) alert.threadIds = [alertId(tripId, d.channelId)];
    let detail: string;
    try {
      detail = (await channel.send(alert)).detail;
    } catch (err) {
      return handleFailure(ctx, job, token, err, alert);
    }
    await recordSent(ctx.redis, ctx.keys, { alertId: d.alertId, channelId: d.channelId, hex: d.hex, type: d.eventType, eventTimeMs: d.eventTimeMs, detail }, d.repeatIntervalMs, ctx.alerts.historyRetention);
    log().info({ detail, attempt: job.attemptsMade + 1 }, 'alert delivered');
    return { outcome: 'delivered', detail };
  };
}

/** Operational alerts carry their event inline; flight alerts point at the history stream. */
function loadAlert(d: NotifyJobData, historyRows: [string, string[]][] | undefined): Alert | undefined {
  if (d.operational) return d.event && { id: d.alertId, channelId: d.channelId, event: asOperationalEvent(d.event), operational: true };
  const event = historyRows?.length ? fieldsToEvent(historyRows[0][1]) : undefined;
  return event && { id: d.alertId, channelId: d.channelId, event };
}

async function handleFailure(ctx: DeliveryContext, job: Job<NotifyJobData>, token: string | undefined, err: unknown, alert: Alert): Promise<never> {
  const d = job.data;
  const log = ctx.log.child({ alert: d.alertId, channel: d.channelId });
  if (!(err instanceof DeliveryError)) {
    log.warn({ err: (err as Error)?.message }, 'unexpected delivery error; retrying as transient');
    throw err instanceof Error ? err : new Error(String(err));
  }
  switch (err.kind) {
    case 'rate-limited': {
      const wait = err.retryAfterMs ?? jitteredDelayMs(job.attemptsMade + 1, ctx.retry);
      if (Date.now() + wait - horizonStart(job) > ctx.retry.horizonMs) throw new UnrecoverableError(`${err.message} (Retry-After beyond the retry horizon)`);
      log.info({ waitMs: wait }, 'rate-limited; delaying');
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    case 'permanent':
      throw new UnrecoverableError(err.message);
    case 'gone': {
      const { newly, disabledAt } = await disableChannel(ctx.redis, ctx.keys, d.channelId, err.message);
      log.error({ newly }, 'receiver is gone; channel disabled');
      if (!alert.operational) await raiseChannelDisabled(ctx, { channelId: d.channelId, reason: err.message, disabledAt }, alert.event.id);
      throw new UnrecoverableError(`${err.message} (channel disabled)`);
    }
    default:
      log.warn({ err: err.message, attempt: job.attemptsMade + 1 }, 'transient delivery failure; will retry');
      throw err;
  }
}
