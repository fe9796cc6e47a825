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

type FactoryOf<K extends ChannelKind> = ChannelFactory<Extract<ChannelConfig, { kind: K }>>;

/**
 * The built-in kinds, each with the loader of its factory: the module is required when a channel of that kind
 * is first built. require() rather than import(): the factory is synchronous, and under `--require tsx/cjs` a
 * native import() cannot resolve an extension-less .ts module. The mapped type makes a kind without a loader,
 * or a loader of another kind's factory, a type error.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
const builtIn: { [K in ChannelKind]: () => FactoryOf<K> } = {
  webhook: () => (require('./webhook') as typeof import('./webhook')).createWebhookChannel,
  email: () => (require('./email') as typeof import('./email')).createEmailChannel,
  outbox: () => (require('./outbox') as typeof import('./outbox')).createOutboxChannel,
  telegram: () => (require('./telegram') as typeof import('./telegram')).createTelegramChannel,
  mastodon: () => (require('./mastodon') as typeof import('./mastodon')).createMastodonChannel,
  bluesky: () => (require('./bluesky') as typeof import('./bluesky')).createBlueskyChannel,
  signal: () => (require('./signal') as typeof import('./signal')).createSignalChannel,
  matrix: () => (require('./matrix') as typeof import('./matrix')).createMatrixChannel,
  slack: () => (require('./slack') as typeof import('./slack')).createSlackChannel,
  discord: () => (require('./discord') as typeof import('./discord')).createDiscordChannel,
  ntfy: () => (require('./ntfy') as typeof import('./ntfy')).createNtfyChannel,
  mqtt: () => (require('./mqtt') as typeof import('./mqtt')).createMqttChannel,
  apprise: () => (require('./apprise') as typeof import('./apprise')).createAppriseChannel,
};
/* eslint-enable @typescript-eslint/no-require-imports */

function registerBuiltIn<K extends ChannelKind>(kind: K): void {
  const load = builtIn[kind];
  registerChannelKind(kind, (config, deps) => load()(config, deps));
}
for (const kind of Object.keys(builtIn) as ChannelKind[]) registerBuiltIn(kind);

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
