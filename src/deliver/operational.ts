/**
 * Operational alerts: the pipeline telling its operators that something needs a human (a receiver answered
 * 410 Gone and its channel was disabled). They go through every other enabled channel as ordinary notify
 * jobs with `operational: true`, skip silences and repeatInterval, and carry the flight event that could not
 * be delivered, with `details.operational` saying what happened. Ids are derived from (what, which channel,
 * when it was disabled, target), so raising the same alert twice delivers it once.
 */
import type { FlightEvent } from '../domain/event';
import { operationalAlertId } from './alert-id';
import { configuredChannelIds } from './routing';
import { listDisabledChannels } from './channel-state';
import type { DeliveryContext } from './context';
import type { NotifyJobData } from './jobs';

export interface ChannelDisabledInfo {
  kind: 'channel-disabled';
  channelId: string;
  reason: string;
  disabledAt: string;
}

export async function raiseChannelDisabled(ctx: DeliveryContext, info: Omit<ChannelDisabledInfo, 'kind'>, event: FlightEvent): Promise<string[]> {
  const disabled = new Set((await listDisabledChannels(ctx.redis, ctx.keys)).map((d) => d.channelId));
  const targets = configuredChannelIds(ctx.alerts).filter((c) => c !== info.channelId && !disabled.has(c) && ctx.channels.has(c));
  if (!targets.length) {
    ctx.log.error({ channel: info.channelId, reason: info.reason }, 'channel disabled and no other channel is left to tell anyone');
    return [];
  }
  const operational: ChannelDisabledInfo = { kind: 'channel-disabled', ...info };
  const opEvent: FlightEvent = { ...event, details: { ...(event.details ?? {}), operational } };
  const jobs = targets.map((channelId) => {
    const id = operationalAlertId(operational.kind, info.channelId, info.disabledAt, channelId);
    const data: NotifyJobData = {
      alertId: id,
      channelId,
      eventId: event.id,
      eventType: event.type,
      hex: event.aircraft.hex.toLowerCase(),
      eventTimeMs: Date.parse(event.time),
      event: opEvent,
      operational: true,
      repeatIntervalMs: 0,
      route: -1,
    };
    return { name: 'notify', data, opts: { jobId: id, priority: 1 } };
  });
  await ctx.queues.notify.addBulk(jobs);
  ctx.log.warn({ channel: info.channelId, reason: info.reason, notified: targets }, 'channel disabled; operational alert raised');
  return jobs.map((j) => j.opts.jobId);
}
