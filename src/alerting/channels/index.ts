/**
 * Channel registry: kind → factory. The worker, `alert test` and replay all build channels here, so they
 * send with exactly the same code. A new kind registers one factory; nothing else changes.
 */
import type { Channel } from '../channel';
import type { ChannelConfig, ChannelKind } from '../../config/channels-schema';
import { ChannelConfigError, type ChannelDeps } from './deps';
import { createEmailChannel } from './email';
import { createOutboxChannel } from './outbox';
import { createWebhookChannel } from './webhook';
import { createAppriseChannel } from './apprise';
import { createBlueskyChannel } from './bluesky';
import { createDiscordChannel } from './discord';
import { createMastodonChannel } from './mastodon';
import { createMatrixChannel } from './matrix';
import { createMqttChannel } from './mqtt';
import { createNtfyChannel } from './ntfy';
import { createSignalChannel } from './signal';
import { createSlackChannel } from './slack';
import { createTelegramChannel } from './telegram';

export type ChannelFactory<C extends ChannelConfig = ChannelConfig> = (config: C, deps: ChannelDeps) => Channel;

const factories = new Map<string, ChannelFactory>();

export function registerChannelKind<K extends ChannelKind>(
  kind: K,
  factory: ChannelFactory<Extract<ChannelConfig, { kind: K }>>,
): void {
  if (factories.has(kind)) throw new Error(`channel kind ${JSON.stringify(kind)} is already registered`);
  factories.set(kind, factory as ChannelFactory);
}

registerChannelKind('webhook', createWebhookChannel);
registerChannelKind('email', createEmailChannel);
registerChannelKind('outbox', createOutboxChannel);
registerChannelKind('telegram', createTelegramChannel);
registerChannelKind('mastodon', createMastodonChannel);
registerChannelKind('bluesky', createBlueskyChannel);
registerChannelKind('signal', createSignalChannel);
registerChannelKind('matrix', createMatrixChannel);
registerChannelKind('slack', createSlackChannel);
registerChannelKind('discord', createDiscordChannel);
registerChannelKind('ntfy', createNtfyChannel);
registerChannelKind('mqtt', createMqttChannel);
registerChannelKind('apprise', createAppriseChannel);

/** Builds one channel from a validated config entry. Throws ChannelConfigError (unknown kind, missing env). */
export function createChannel(config: ChannelConfig, deps: ChannelDeps = {}): Channel {
  const factory = factories.get(config.kind);
  if (!factory)
    throw new ChannelConfigError(
      config.id,
      `unknown channel kind ${JSON.stringify(config.kind)} (known: ${[...factories.keys()].join(', ')})`,
    );
  return factory(config, deps);
}

/**
 * Builds every configured channel, keyed by id. Duplicate ids are refused (a route naming "ops" must mean one
 * channel). With an empty list the caller should fall back to `defaultOutbox()`.
 */
export function createChannels(configs: readonly ChannelConfig[], deps: ChannelDeps = {}): Map<string, Channel> {
  const out = new Map<string, Channel>();
  for (const c of configs) {
    if (out.has(c.id)) throw new ChannelConfigError(c.id, 'duplicate channel id');
    out.set(c.id, createChannel(c, deps));
  }
  return out;
}

/** The channel used when `alerts.channels` is empty: ./outbox (or `dir`). */
export function defaultOutbox(deps: ChannelDeps = {}, dir = './outbox'): Channel {
  return createChannel({ id: 'outbox', kind: 'outbox', dir }, deps);
}

export { ChannelConfigError, type ChannelDeps } from './deps';
export { channelSchema, type ChannelConfig } from '../../config/channels-schema';
export { syntheticAlert, syntheticEvent } from './synthetic';
