/**
 * What every chat channel does before it speaks to its platform: the publish gate (minConfidence,
 * publishDelay), the hidden fields, the map (best effort: a map that fails to render never stops the message)
 * and the secret lookup that turns a missing env var into a ChannelConfigError naming the variable.
 *
 * publishDelay uses the queue's own wait: an alert that comes too early answers 'rate-limited' with the time
 * left, so the job is moved to the delayed set (no attempt used, survives restarts) and sent when it is due.
 */
import { DeliveryError, type Alert, type Channel, type DeliveryReceipt } from '../../channel';
import type { ChannelKind, PublishOptions } from '../../../config/channels-schema';
import { ChannelConfigError, resolveDeps, type ChannelDeps } from '../deps';
import { renderEventMap, type MapImage } from '../map';
import { certaintyOf, type CertaintyLevel } from '../render/certainty';
import { chatParts, type ChatParts } from './compose';
import { chatHttp, secretFrom } from './http';
import type { AxiosInstance } from 'axios';
import type { Logger } from '../../../util/log';

/** Higher is surer; a test alert always passes (it is how a channel is checked). */
const RANK: Record<CertaintyLevel, number> = { test: 3, observed: 2, inferred: 1, predicted: 0 };

export interface ChatContext {
  parts: ChatParts;
  map: MapImage | null;
  http: AxiosInstance;
  now: () => number;
  log: Logger;
}

export interface ChatChannelSpec<C extends PublishOptions & { id: string; kind: ChannelKind }> {
  config: C;
  deps: ChannelDeps;
  /** Reads the channel's secrets (throws Error naming the env var); runs once, at build time. */
  secrets?: (env: NodeJS.ProcessEnv, need: typeof secretFrom) => void;
  send(alert: Alert, ctx: ChatContext): Promise<DeliveryReceipt>;
  close?(): Promise<void>;
  /** For channels that do not speak HTTP (MQTT) or not through this helper. */
  http?: AxiosInstance;
}

/** undefined when the alert may go out now; else why not (skip) or the wait (throws rate-limited). */
export function publishGate(alert: Alert, opts: PublishOptions, channelId: string, nowMs: number): string | undefined {
  if (alert.operational) {
    // A digest goes only to the channels its config names: naming the channel is the consent.
    if (alert.event.details.operational.kind === 'report-digest') return undefined;
    return opts.operational ? undefined : 'not published: operational alerts are off for this channel';
  }
  const level = certaintyOf(alert.event).level;
  if (RANK[level] < RANK[opts.minConfidence])
    return `not published: ${level} is below this channel's minConfidence (${opts.minConfidence})`;
  if (level === 'test') return undefined;
  const due = Date.parse(alert.event.time) + opts.publishDelay * 60_000;
  if (opts.publishDelay > 0 && Number.isFinite(due) && due > nowMs)
    throw new DeliveryError(
      channelId,
      'rate-limited',
      `publishDelay: due in ${Math.ceil((due - nowMs) / 60_000)} min`,
      due - nowMs,
    );
  return undefined;
}

export function chatChannel<C extends PublishOptions & { id: string; kind: ChannelKind }>(
  spec: ChatChannelSpec<C>,
): Channel {
  const { config } = spec;
  const { env, log, now, watch } = resolveDeps(spec.deps);
  try {
    spec.secrets?.(env, secretFrom);
  } catch (err) {
    throw new ChannelConfigError(config.id, (err as Error).message);
  }
  const http = spec.http ?? spec.deps.http ?? chatHttp(config.timeoutMs);
  return {
    id: config.id,
    kind: config.kind,
    async send(alert: Alert): Promise<DeliveryReceipt> {
      const skip = publishGate(alert, config, config.id, now());
      if (skip) return { detail: skip };
      const parts = chatParts(alert, { watch }, config.hide);
      let map: MapImage | null = null;
      if (config.map && !config.hide.includes('map') && !alert.operational) {
        try {
          map = renderEventMap(alert.event);
        } catch (err) {
          log.warn({ err, alertId: alert.id, channel: config.id }, 'map rendering failed; sending without map');
        }
      }
      return spec.send(alert, { parts, map, http, now, log });
    },
    ...(spec.close ? { close: () => spec.close!() } : {}),
  };
}
