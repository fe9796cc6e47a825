/**
 * Channel registry: kind → factory. The worker, `alert test` and replay all build channels here, so they
 * send with exactly the same code. A new kind registers one factory; nothing else changes.
 *
 * Each built-in kind's module loads when a channel of that kind is first built: a worker that only posts
 * webhooks never loads nodemailer, the MQTT client or the map renderer (~10–20 MB resident between them).
 */
import type { Channel } from '../channel';
import type { ChannelConfig, ChannelKind } from '../../config/channels-schema';
import { ChannelConfigError, type ChannelDeps } from './deps';

export type ChannelFactory<C extends ChannelConfig = ChannelConfig> = (config: C, deps: ChannelDeps) => Channel;

const factories = new Map<string, ChannelFactory>();

export function registerChannelKind<K extends ChannelKind>(
  kind: K,
  factory: ChannelFactory<Extract<ChannelConfig, { kind: K }>>,
): void {
  if (factories.has(kind)) throw new Error(`channel kind ${JSON.stringify(kind)} is already registered`);
  factories.set(kind, factory as ChannelFactory);
}

/**
 * A factory that requires its module on first use. require() rather than import(): the factory is synchronous,
 * and under `--require tsx/cjs` a native import() cannot resolve an extension-less .ts module.
 */
function lazy<K extends ChannelKind>(load: () => ChannelFactory<Extract<ChannelConfig, { kind: K }>>) {
  return (config: Extract<ChannelConfig, { kind: K }>, deps: ChannelDeps) => load()(config, deps);
}

/* eslint-disable @typescript-eslint/no-require-imports -- see lazy() */
registerChannelKind(
  'webhook',
  lazy(() => (require('./webhook') as typeof import('./webhook')).createWebhookChannel),
);
registerChannelKind(
  'email',
  lazy(() => (require('./email') as typeof import('./email')).createEmailChannel),
);
registerChannelKind(
  'outbox',
  lazy(() => (require('./outbox') as typeof import('./outbox')).createOutboxChannel),
);
registerChannelKind(
  'telegram',
  lazy(() => (require('./telegram') as typeof import('./telegram')).createTelegramChannel),
);
registerChannelKind(
  'mastodon',
  lazy(() => (require('./mastodon') as typeof import('./mastodon')).createMastodonChannel),
);
registerChannelKind(
  'bluesky',
  lazy(() => (require('./bluesky') as typeof import('./bluesky')).createBlueskyChannel),
);
registerChannelKind(
  'signal',
  lazy(() => (require('./signal') as typeof import('./signal')).createSignalChannel),
);
registerChannelKind(
  'matrix',
  lazy(() => (require('./matrix') as typeof import('./matrix')).createMatrixChannel),
);
registerChannelKind(
  'slack',
  lazy(() => (require('./slack') as typeof import('./slack')).createSlackChannel),
);
registerChannelKind(
  'discord',
  lazy(() => (require('./discord') as typeof import('./discord')).createDiscordChannel),
);
registerChannelKind(
  'ntfy',
  lazy(() => (require('./ntfy') as typeof import('./ntfy')).createNtfyChannel),
);
registerChannelKind(
  'mqtt',
  lazy(() => (require('./mqtt') as typeof import('./mqtt')).createMqttChannel),
);
registerChannelKind(
  'apprise',
  lazy(() => (require('./apprise') as typeof import('./apprise')).createAppriseChannel),
);
/* eslint-enable @typescript-eslint/no-require-imports */

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
