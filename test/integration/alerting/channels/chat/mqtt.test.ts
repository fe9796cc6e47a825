/**
 * MQTT channel against the real Mosquitto on 127.0.0.1:1883 (skipped with a message when it is not
 * running; under CI=true a missing broker fails). Every run uses its own topic prefix and clears its
 * retained messages afterwards.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { createMqttChannel } from '../../../../../src/alerting/channels/mqtt';
import type { MqttChannelConfig } from '../../../../../src/config/channels-schema';
import { channelSchema } from '../../../../../src/config/channels-schema';
import { landingAlert } from '../../../../unit/alerting/channels/fixture';
import { deliveryError } from './standin';

const BROKER = 'mqtt://127.0.0.1:1883';

async function brokerUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect(1883, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('mqtt channel (real Mosquitto)', () => {
  const prefix = `fwtest/${randomBytes(6).toString('hex')}`;
  let up = false;
  let sub: MqttClient;
  beforeAll(async () => {
    up = await brokerUp();
    if (!up) {
      if (process.env.CI === 'true') throw new Error('Mosquitto is not running on 127.0.0.1:1883');
      console.warn('mqtt channel tests skipped: no broker on 127.0.0.1:1883');
      return;
    }
    sub = await mqtt.connectAsync(BROKER, { reconnectPeriod: 0 });
  });
  afterAll(async () => {
    if (!up) return;
    await sub.publishAsync(`${prefix}/aircraft/ab12cd`, '', { retain: true, qos: 1 }); // clear our retained state
    await sub.endAsync();
  });

  const config = () =>
    channelSchema.parse({ id: 'mqtt', kind: 'mqtt', url: BROKER, topicPrefix: prefix }) as MqttChannelConfig;

  it('publishes the event JSON and a retained last state that a late subscriber receives', async () => {
    if (!up) return;
    const got = new Map<string, { payload: string; retain: boolean }>();
    sub.on('message', (topic, payload, packet) =>
      got.set(topic, { payload: payload.toString('utf8'), retain: packet.retain }),
    );
    await sub.subscribeAsync(`${prefix}/events/#`, { qos: 1 });
    const ch = createMqttChannel(config());
    const alert = landingAlert();
    const receipt = await ch.send(alert);
    expect(receipt.detail).toBe(`published ${prefix}/events/landing/ab12cd and ${prefix}/aircraft/ab12cd (retained)`);
    await ch.close!();

    // A subscriber that arrives after the publish gets the retained state at once.
    const late = await mqtt.connectAsync(BROKER, { reconnectPeriod: 0 });
    const retained = new Promise<{ topic: string; body: string; retain: boolean }>((resolve) =>
      late.on('message', (topic, payload, packet) =>
        resolve({ topic, body: payload.toString('utf8'), retain: packet.retain }),
      ),
    );
    await late.subscribeAsync(`${prefix}/aircraft/+`, { qos: 1 });
    const r = await retained;
    await late.endAsync();
    expect(r.retain).toBe(true);
    expect(JSON.parse(r.body)).toMatchObject({
      schema: 'flightwatch.aircraft-state/v1',
      hex: 'ab12cd',
      event: { type: 'landing', id: alert.event.id, certainty: 'observed' },
      airport: { icao: 'KAEX' },
    });
    const ev = got.get(`${prefix}/events/landing/ab12cd`);
    expect(ev?.retain).toBe(false);
    expect(JSON.parse(ev!.payload)).toMatchObject({ schema: 'flightwatch.webhook/v1', alertId: alert.id });
  });

  it('an unreachable broker is transient (retried), not a crash', async () => {
    const ch = createMqttChannel({ ...config(), url: 'mqtt://127.0.0.1:1', timeoutMs: 1000 });
    const e = await deliveryError(ch.send(landingAlert()));
    expect(e.kind).toBe('transient');
    await ch.close!();
  });
});
