/**
 * MQTT (the `mqtt` package, MQTT 3.1.1/5 client): every alert as the webhook JSON on
 * {prefix}/events/{type}/{hex}, and a retained last state per aircraft on {prefix}/aircraft/{hex}, so a
 * dashboard (Home Assistant, Node-RED) that subscribes later sees each aircraft's latest event at once.
 * Operational alerts go to {prefix}/operational. QoS 1 by default: publish resolves on the broker's PUBACK.
 * One connection per channel, opened on first use; a broker that refuses the credentials disables the channel.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { MqttChannelConfig } from '../../config/channels-schema';
import { DeliveryError, type Alert, type Channel } from '../channel';
import { serializeWebhookBody } from '../payload';
import type { ChannelDeps } from './deps';
import { chatChannel } from './chat/base';
import { headerText } from './render/sanitize';

/** Topic levels from API strings: no wildcards, separators or controls. */
const level = (s: string) => s.replace(/[^A-Za-z0-9~_.-]/g, '_').slice(0, 64) || '_';

/** CONNACK codes that mean "your credentials are wrong" (3.1.1: 4, 5; MQTT 5: 134, 135). */
const AUTH_CODES = new Set([4, 5, 134, 135]);

export function lastState(alert: Alert, headline: string, certainty?: string): object | undefined {
  if (alert.operational) return undefined;
  const ev = alert.event;
  return {
    schema: 'flightwatch.aircraft-state/v1',
    hex: ev.aircraft.hex,
    aircraft: ev.aircraft,
    event: { id: ev.id, type: ev.type, time: ev.time, headline, certainty },
    ...(ev.airport ? { airport: ev.airport } : {}),
    ...(ev.position ? { position: ev.position } : {}),
    watch: ev.watch,
  };
}

export function createMqttChannel(config: MqttChannelConfig, deps: ChannelDeps = {}): Channel {
  let username: string | undefined;
  let password: string | undefined;
  let client: Promise<MqttClient> | undefined;
  /** Newest event time per aircraft retained by this process: a late retry never overwrites a newer state. */
  const newest = new Map<string, number>();
  const prefix = config.topicPrefix.replace(/\/+$/, '');

  const connect = (): Promise<MqttClient> => {
    client ??= mqtt
      .connectAsync(
        config.url,
        {
          ...(username ? { username } : {}),
          ...(password ? { password } : {}),
          connectTimeout: config.timeoutMs,
          reconnectPeriod: 0,
          clean: true,
          clientId: `flightwatch-${config.id}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
        },
        false,
      )
      .then((c) => {
        c.on('close', () => (client = undefined));
        c.on('error', () => undefined); // surfaced through the failing publish
        return c;
      })
      .catch((err: Error & { code?: number }) => {
        client = undefined;
        const msg = headerText(err.message, 200);
        throw new DeliveryError(
          config.id,
          typeof err.code === 'number' && AUTH_CODES.has(err.code) ? 'gone' : 'transient',
          `connect: ${msg}`,
        );
      });
    return client;
  };

  const publish = async (topic: string, payload: string, retain: boolean) => {
    const c = await connect();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        c.publishAsync(topic, payload, { qos: config.qos, retain }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new DeliveryError(config.id, 'transient', `publish ${topic}: no PUBACK in time`)),
            config.timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      throw new DeliveryError(config.id, 'transient', `publish ${topic}: ${headerText((err as Error).message, 200)}`);
    } finally {
      clearTimeout(timer);
    }
  };

  return chatChannel({
    config: { ...config, map: false },
    deps,
    secrets: (env, need) => {
      if (config.usernameEnv) username = need(env, config.usernameEnv, 'the broker user name');
      if (config.passwordEnv) password = need(env, config.passwordEnv, 'the broker password');
    },
    async send(alert, { parts }) {
      if (alert.operational) {
        await publish(`${prefix}/operational`, serializeWebhookBody(alert), false);
        return { detail: `published ${prefix}/operational` };
      }
      const ev = alert.event;
      const hex = level(ev.aircraft.hex);
      const topic = `${prefix}/events/${level(ev.type)}/${hex}`;
      await publish(topic, serializeWebhookBody(alert), false);
      const t = Date.parse(ev.time);
      if (!(t < (newest.get(hex) ?? -Infinity))) {
        newest.set(hex, t);
        const state = lastState(alert, parts.view.headline, parts.view.certainty?.level);
        await publish(`${prefix}/aircraft/${hex}`, JSON.stringify(state), true);
      }
      return { detail: `published ${topic} and ${prefix}/aircraft/${hex} (retained)` };
    },
    async close() {
      const c = await client?.catch(() => undefined);
      client = undefined;
      await c?.endAsync().catch(() => undefined);
    },
  });
}
