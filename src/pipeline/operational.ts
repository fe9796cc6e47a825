/**
 * Operational alerts: the pipeline telling its operators that something needs a human (the watcher is blind
 * or sees again, a receiver answered 410 Gone and its channel was disabled). Each is an OperationalEvent
 * (type `operational`, no aircraft) carried inline in notify jobs with `operational: true`; the notify step
 * skips silences and repeatInterval for them. They go to every enabled channel (minus `exceptChannel`), not
 * through alerts.routes: routes and silences are about aircraft.
 *
 * Ids are derived from (kind, subject, at): the event id once, the alert id once per target channel, so
 * raising the same incident twice (two replicas, a crash between claiming and enqueueing, every alert that
 * hits a disabled channel) delivers it once.
 */
import { createHash } from 'node:crypto';
import {
  EVENT_SCHEMA,
  type OperationalEvent,
  type OperationalFacts,
  type OperationalInfo,
  type OperationalKind,
} from '../domain/event';
import { operationalAlertId } from '../alerting/alert-id';
import { configuredChannelIds } from '../alerting/routing';
import { listDisabledChannels } from '../alerting/channel-state';
import type { DeliveryContext } from './context';
import type { NotifyJobData } from './jobs';

interface OperationalAlertFields {
  /** One sentence for people: what happened and what to do. */
  summary: string;
  /** What the incident is about (a channel id, "watcher"): part of the dedup key. */
  subject: string;
  /** ISO time identifying the incident (went blind at, disabled at): part of the dedup key. */
  at: string;
  /** Event time (ISO); defaults to `at`. */
  time?: string;
  /** A channel not to use (the one that was just disabled). */
  exceptChannel?: string;
  /** Only these channels (a report digest names its own); default every configured one. */
  channels?: readonly string[];
  /**
   * Enqueueing an incident that was already raised again (idempotent: same ids), e.g. every later alert that
   * finds its channel disabled. Not counted as a new operational alert.
   */
  reraise?: boolean;
}

/** An operational alert of one kind, with that kind's facts. */
export type OperationalAlertInput = {
  [K in OperationalKind]: OperationalAlertFields & {
    kind: K;
    /** Kind-specific facts, shown as rows in e-mails and as `details.operational.*` in webhooks. */
    details?: OperationalFacts[K];
  };
}[OperationalKind];

export function operationalEvent(i: OperationalAlertInput): OperationalEvent {
  const id = `op_${createHash('sha256').update(`${i.kind}\n${i.subject}\n${i.at}`).digest('hex').slice(0, 32)}`;
  const operational: OperationalInfo = { ...(i.details ?? {}), kind: i.kind, summary: i.summary };
  return {
    schema: EVENT_SCHEMA,
    id,
    type: 'operational',
    time: i.time ?? i.at,
    source: 'flightwatch',
    details: { operational },
  };
}

export interface RaisedOperational {
  event: OperationalEvent;
  /** Notify job ids (one per target channel); empty when no channel is left. */
  jobIds: string[];
  channels: string[];
}

/** Enqueues one notify job per enabled channel (except `exceptChannel`) for an operational alert. */
export async function raiseOperational(ctx: DeliveryContext, input: OperationalAlertInput): Promise<RaisedOperational> {
  const event = operationalEvent(input);
  const disabled = new Set((await listDisabledChannels(ctx.redis, ctx.keys, ctx.log)).map((d) => d.channelId));
  const targets = configuredChannelIds(ctx.alerts).filter(
    (c) =>
      c !== input.exceptChannel &&
      !disabled.has(c) &&
      ctx.channels.has(c) &&
      (input.channels === undefined || input.channels.includes(c)),
  );
  const jobs = targets.map((channelId) => {
    const id = operationalAlertId(input.kind, input.subject, input.at, channelId);
    const data: NotifyJobData = {
      alertId: id,
      channelId,
      eventId: event.id,
      eventType: event.type,
      // No aircraft: the notification log keys by hex only for repeatInterval, which operational alerts skip.
      hex: '',
      eventTimeMs: Date.parse(event.time),
      event,
      operational: true,
      repeatIntervalMs: 0,
      route: -1,
    };
    return { name: 'notify', data, opts: { jobId: id, priority: 1 } };
  });
  if (jobs.length) await ctx.queues.notify.addBulk(jobs);
  else
    ctx.log.error(
      { kind: input.kind, subject: input.subject },
      `no channel left to send the operational alert to: ${input.summary}`,
    );
  // Counted even when no channel is left: the incident happened, and the metric may be all that shows it.
  if (!input.reraise) ctx.observer?.operationalRaised?.(input.kind);
  return { event, jobIds: jobs.map((j) => j.opts.jobId), channels: targets };
}

export interface ChannelDisabledInfo {
  channelId: string;
  reason: string;
  disabledAt: string;
}

/**
 * 410 Gone: tell people through the other channels. `eventId` is the flight event that found it gone;
 * `reraise` when this process did not disable the channel itself (another alert or replica did, or a crash
 * may have come between disabling and raising): enqueued again, idempotently, but not counted again.
 */
export async function raiseChannelDisabled(
  ctx: DeliveryContext,
  info: ChannelDisabledInfo,
  eventId: string,
  reraise = false,
): Promise<string[]> {
  const raised = await raiseOperational(ctx, {
    kind: 'channel-disabled',
    summary:
      `Channel ${info.channelId} is disabled (${info.reason}). Alerts for it wait as dead letters; ` +
      `once the receiver is fixed run "flightwatch alert enable ${info.channelId}" and "flightwatch dlq retry --all".`,
    details: { channelId: info.channelId, reason: info.reason, disabledAt: info.disabledAt, eventId },
    subject: info.channelId,
    at: info.disabledAt,
    exceptChannel: info.channelId,
    reraise,
  });
  if (raised.jobIds.length)
    ctx.log.warn(
      { channel: info.channelId, reason: info.reason, notified: raised.channels },
      'channel disabled; operational alert raised',
    );
  return raised.jobIds;
}

/**
 * Operational jobs queued before operational events had their own type carried a placeholder flight event
 * (hex 000000, `details.operational.kind` "watcher-blind"…). Read them as the new shape so none is lost.
 */
export function asOperationalEvent(e: {
  type: string;
  id: string;
  time: string;
  details?: Record<string, unknown>;
}): OperationalEvent {
  if (e.type === 'operational') return e as OperationalEvent;
  const old = (e.details?.operational ?? {}) as Record<string, unknown>;
  const legacy: Record<string, OperationalKind> = {
    'watcher-blind': 'blind',
    'watcher-recovered': 'recovered',
    'channel-disabled': 'channel-disabled',
  };
  const kind = legacy[String(old.kind)] ?? 'channel-disabled';
  const { kind: _k, ...facts } = old;
  const summary = typeof e.details?.note === 'string' ? e.details.note : `operational alert (${kind})`;
  return {
    schema: EVENT_SCHEMA,
    id: e.id,
    type: 'operational',
    time: e.time,
    source: 'flightwatch',
    details: { operational: { ...facts, kind, summary } },
  };
}
