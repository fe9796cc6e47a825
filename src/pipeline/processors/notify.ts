/**
 * The notify step: one alert to one channel. Checks, in Alertmanager's order, whether to send at all
 * (already sent → disabled channel → silenced → repeatInterval), sends, then records the send. The
 * repeatInterval check reserves the (channel, aircraft, event type) slot for this alert in the same Redis
 * call, so two alerts of one kind processed at once cannot both send; the alert's retries keep the slot, and
 * an alert that ends as a dead letter gives it back. The error taxonomy of DeliveryError decides what BullMQ
 * does next:
 *   transient     rethrow: retried with exponential backoff + jitter until the retry horizon (custom strategy;
 *                 the last try is decided here, so its reservation can be released: UnrecoverableError)
 *   rate-limited  moved back to delayed for Retry-After (DelayedError: does not consume an attempt)
 *   permanent     UnrecoverableError: straight to failed, i.e. the dead letter set
 *   gone (410)    channel disabled in Redis, operational alert via the other channels, then dead letter
 * Anything else (a bug, Redis hiccup) is treated as transient: retrying is cheaper than losing an alert.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { DeliveryError, type Alert } from '../../alerting/channel';
import type { DeliveryContext } from '../context';
import type { NotifyJobData, NotifyResult } from '../jobs';
import {
  readNotifyState,
  recordSent,
  releaseRepeatSlot,
  reserveRepeatSlot,
  type LastNotification,
} from '../../alerting/notification-log';
import { listSilences, silenceMatches } from '../../alerting/silences';
import { fieldsToEvent } from '../history';
import { disableChannel } from '../../alerting/channel-state';
import { asOperationalEvent, raiseChannelDisabled } from '../operational';
import { jitteredDelayMs, nextRetryDelayMs, type RetryPolicy } from '../backoff';
import { alertId } from '../../alerting/alert-id';
import { tripIdOf } from '../../domain/event';
import { DIGEST_STRING_MAX, outbound, redactError } from '../../util/redact';

/** Where the retry horizon starts: first enqueue, or the last manual `dlq retry`. */
export const horizonStart = (job: { timestamp: number; data: Pick<NotifyJobData, 'horizonFrom'> }) =>
  job.data.horizonFrom ?? job.timestamp;

/**
 * Retry delays the notify step already drew for the error it threw (it decides whether a try was the last
 * one, so that it can release the repeatInterval slot; BullMQ must then use the same draw).
 */
const plannedDelays = new WeakMap<object, number>();

/** Worker `settings.backoffStrategy` for NOTIFY_BACKOFF. */
export function notifyBackoff(policy: RetryPolicy) {
  return (attemptsMade: number, _type?: string, err?: Error, job?: { timestamp: number; data: unknown }): number => {
    const planned = err ? plannedDelays.get(err) : undefined;
    if (planned !== undefined) return planned;
    return job
      ? nextRetryDelayMs(
          attemptsMade,
          horizonStart(job as { timestamp: number; data: NotifyJobData }),
          Date.now(),
          policy,
        )
      : jitteredDelayMs(attemptsMade, policy);
  };
}

/**
 * The notify step. Whatever it throws is stored by BullMQ in Redis (failedReason, stacktrace, shown by `dlq
 * list`) and a receiver's error may quote a credential: errors leave masked (same object, class kept).
 */
export function notifyProcessor(ctx: DeliveryContext) {
  const step = notifyStep(ctx);
  return async (job: Job<NotifyJobData, NotifyResult>, token?: string): Promise<NotifyResult> => {
    try {
      return outbound(await step(job, token));
    } catch (e) {
      throw redactError(e);
    }
  };
}

function notifyStep(ctx: DeliveryContext) {
  return async (job: Job<NotifyJobData, NotifyResult>, token?: string): Promise<NotifyResult> => {
    const d = job.data;
    // Child logger built only when something is logged: this is the per-alert hot path.
    let child: typeof ctx.log | undefined;
    const log = () => (child ??= ctx.log.child({ alert: d.alertId, channel: d.channelId, event: d.eventId }));
    const channel = ctx.channels.get(d.channelId);
    let reserved = false;
    if (!channel) throw new UnrecoverableError(`channel ${d.channelId} is not configured`);

    const st = await readNotifyState(
      ctx.redis,
      ctx.keys,
      d.alertId,
      d.channelId,
      d.event ? undefined : d.historyId,
      ctx.log,
    );
    if (st.sent) return { outcome: 'duplicate', detail: `already delivered: ${st.sent}` };
    const alert = loadAlert(d, st.historyRows);
    if (!alert)
      throw new UnrecoverableError(
        `event ${d.eventId} is no longer in the history (older than alerts.historyRetention)`,
      );

    if (st.disabled) {
      // Re-raise idempotently: covers a crash between disabling and enqueueing the operational alert.
      if (!alert.operational)
        await raiseChannelDisabled(
          ctx,
          { channelId: d.channelId, reason: st.disabled.reason, disabledAt: st.disabled.disabledAt },
          alert.event.id,
          true,
        );
      throw new UnrecoverableError(
        `channel ${d.channelId} is disabled since ${st.disabled.disabledAt}: ${st.disabled.reason}`,
      );
    }
    if (!alert.operational) {
      const event = alert.event;
      const target = { hex: d.hex, watchIds: event.watch.ids, type: d.eventType };
      const silence = (await listSilences(ctx.redis, ctx.keys, Date.now(), st.silenceIds, ctx.log)).find((s) =>
        silenceMatches(s, target, Date.now()),
      );
      if (silence) {
        log().info({ silence: silence.id }, 'alert silenced');
        return { outcome: 'silenced', detail: `silence ${silence.id} until ${silence.endsAt}` };
      }
      if (d.repeatIntervalMs > 0) {
        const held = await reserveRepeatSlot(
          ctx.redis,
          ctx.keys,
          { alertId: d.alertId, channelId: d.channelId, hex: d.hex, type: d.eventType, eventTimeMs: d.eventTimeMs },
          d.repeatIntervalMs,
          Date.now(),
          ctx.log,
        );
        if (held) return { outcome: 'suppressed', detail: suppressedDetail(held) };
        reserved = true;
      }
    }

    // One trip, one thread: every alert of a trip replies to the trip's root alert (the first `trip` event's id is the trip id).
    const tripId = alert.operational ? undefined : tripIdOf(alert.event);
    if (typeof tripId === 'string' && alertId(tripId, d.channelId) !== d.alertId)
      alert.threadIds = [alertId(tripId, d.channelId)];
    let detail: string;
    try {
      // One cap for every channel kind: masked, every string bounded (operational alerts quote source errors).
      // A report digest carries the report this process rendered (tables, chart): masked, but its own bound.
      const digest = alert.operational && alert.event.details.operational.kind === 'report-digest';
      detail = (await channel.send(outbound(alert, digest ? DIGEST_STRING_MAX : undefined))).detail;
    } catch (err) {
      return handleFailure(ctx, job, token, err, alert, reserved);
    }
    await recordSent(
      ctx.redis,
      ctx.keys,
      { alertId: d.alertId, channelId: d.channelId, hex: d.hex, type: d.eventType, eventTimeMs: d.eventTimeMs, detail },
      d.repeatIntervalMs,
      ctx.alerts.historyRetention,
    );
    log().info({ detail, attempt: job.attemptsMade + 1 }, 'alert delivered');
    return { outcome: 'delivered', detail };
  };
}

function suppressedDetail(held: LastNotification): string {
  return held.sentAt
    ? `repeatInterval: ${held.alertId} was sent for the same aircraft and event`
    : `repeatInterval: ${held.alertId} for the same aircraft and event is being delivered (holds the slot since ${new Date(held.reservedAt ?? 0).toISOString()})`;
}

/** Operational alerts carry their event inline; flight alerts point at the history stream. */
function loadAlert(d: NotifyJobData, historyRows: [string, string[]][] | undefined): Alert | undefined {
  if (d.operational)
    return d.event && { id: d.alertId, channelId: d.channelId, event: asOperationalEvent(d.event), operational: true };
  const row = historyRows?.[0];
  const event = row ? fieldsToEvent(row[1]) : undefined;
  return event && { id: d.alertId, channelId: d.channelId, event };
}

async function handleFailure(
  ctx: DeliveryContext,
  job: Job<NotifyJobData>,
  token: string | undefined,
  err: unknown,
  alert: Alert,
  reserved: boolean,
): Promise<never> {
  const d = job.data;
  const log = ctx.log.child({ alert: d.alertId, channel: d.channelId });
  /** This alert will not be sent: give its repeatInterval slot back (best effort; the record expires anyway). */
  const deadLetter = async (message: string): Promise<never> => {
    if (reserved)
      await releaseRepeatSlot(ctx.redis, ctx.keys, {
        alertId: d.alertId,
        channelId: d.channelId,
        hex: d.hex,
        type: d.eventType,
      }).catch((e: Error) =>
        log.warn({ err: e.message }, 'could not release the repeatInterval slot (it expires with the interval)'),
      );
    throw new UnrecoverableError(message);
  };
  /** Transient: retried unless this was the last try within the horizon (or BullMQ's attempts ceiling). */
  const retryOrDeadLetter = async (e: Error): Promise<never> => {
    const delay = nextRetryDelayMs(job.attemptsMade + 1, horizonStart(job), Date.now(), ctx.retry);
    if (delay < 0 || job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
      return deadLetter(`${e.message} (retry horizon passed)`);
    plannedDelays.set(e, delay);
    log.warn(
      { err: e.message, attempt: job.attemptsMade + 1, retryInMs: delay },
      'transient delivery failure; will retry',
    );
    throw e;
  };
  if (!(err instanceof DeliveryError)) {
    log.warn({ err: (err as Error)?.message }, 'unexpected delivery error; retrying as transient');
    return retryOrDeadLetter(err instanceof Error ? err : new Error(String(err)));
  }
  switch (err.kind) {
    case 'rate-limited': {
      const wait = err.retryAfterMs ?? jitteredDelayMs(job.attemptsMade + 1, ctx.retry);
      if (Date.now() + wait - horizonStart(job) > ctx.retry.horizonMs)
        return deadLetter(`${err.message} (Retry-After beyond the retry horizon)`);
      log.info({ waitMs: wait }, 'rate-limited; delaying');
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    case 'permanent':
      return deadLetter(err.message);
    case 'gone': {
      const { newly, disabledAt } = await disableChannel(
        ctx.redis,
        ctx.keys,
        d.channelId,
        err.message,
        Date.now(),
        ctx.log,
      );
      log.error({ newly }, 'receiver is gone; channel disabled');
      if (!alert.operational)
        await raiseChannelDisabled(
          ctx,
          { channelId: d.channelId, reason: err.message, disabledAt },
          alert.event.id,
          !newly,
        );
      return deadLetter(`${err.message} (channel disabled)`);
    }
    default:
      return retryOrDeadLetter(err);
  }
}
