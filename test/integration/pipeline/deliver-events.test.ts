/** deliverEvents (replay --deliver): in-process when no worker runs, settles, and is idempotent. */
import { httpPostChannel } from '../../helpers/http-post-channel';
import { useDeliverTestEnv } from './support/env';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from './support/fixtures';
import { createRedis } from '../../../src/pipeline/connection';
import { deliverEvents } from '../../../src/pipeline/deliver-events';
import { startPipeline } from '../../../src/pipeline/pipeline';
import { listHistory } from '../../../src/pipeline/history';
import { keys } from '../../../src/alerting/keys';
import { createQueues } from '../../../src/pipeline/queues';
import { retryPolicy } from '../../../src/pipeline/context';

const env = useDeliverTestEnv({ role: 'producer' });

const alerts = makeAlerts({ channels: [webhookEntry('ops'), webhookEntry('partner')] });
const channels = () => new Map(['ops', 'partner'].map((id) => [id, httpPostChannel(id, `${env.rx.url}/${id}`)]));

it('delivers in-process until settled; the same events again deliver nothing new, even after completed jobs were removed', async () => {
  const prefix = uniquePrefix('de');
  const events = [makeEvent(), makeEvent({ type: 'takeoff' }), makeEvent({ hex: '0a0b0c' })];
  const first = await deliverEvents(events, {
    config: { alerts },
    redis: env.redis,
    channels: channels(),
    prefix,
    waitUntilSettled: true,
  });
  expect(first.inProcess).toBe(true);
  expect(first.counts).toEqual(expect.objectContaining({ delivered: 6, duplicate: 0, pending: 0, 'dead-lettered': 0 }));
  expect(env.rx.received).toHaveLength(6); // settled means received, not merely enqueued

  const second = await deliverEvents(events, {
    config: { alerts },
    redis: env.redis,
    channels: channels(),
    prefix,
    waitUntilSettled: true,
  });
  expect(second.counts).toEqual(expect.objectContaining({ delivered: 0, duplicate: 6 }));
  expect(env.rx.received).toHaveLength(6);

  // Completed jobs expire (removeOnComplete); the sent log still prevents a second delivery.
  const q = createQueues(env.redis, prefix, retryPolicy(alerts));
  await q.notify.clean(0, 1000, 'completed');
  await q.close();
  const third = await deliverEvents(events, {
    config: { alerts },
    redis: env.redis,
    channels: channels(),
    prefix,
    waitUntilSettled: true,
  });
  expect(third.counts).toEqual(expect.objectContaining({ delivered: 0, duplicate: 6 }));
  expect(env.rx.received).toHaveLength(6);
  expect((await listHistory(env.redis, keys(prefix))).length).toBe(3); // history holds each event once
});

it('reports dead letters and far-away retries as settled instead of waiting for them', async () => {
  const prefix = uniquePrefix('de');
  env.rx.respond = ({ path }) => ({ status: path === '/ops' ? 400 : 503 });
  const slow = makeAlerts({
    channels: [webhookEntry('ops'), webhookEntry('partner')],
    retry: { horizon: '1h', backoffBase: '10m', backoffMax: '1h' },
  });
  const t0 = Date.now();
  const s = await deliverEvents([makeEvent()], {
    config: { alerts: slow },
    redis: env.redis,
    channels: channels(),
    prefix,
    waitUntilSettled: true,
    maxWaitMs: 1000,
  });
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(s.counts).toEqual(expect.objectContaining({ 'dead-lettered': 1, retrying: 1, delivered: 0 }));
  expect(s.alerts.find((a) => a.outcome === 'dead-lettered')!.detail).toContain('HTTP 400');
});

it('leaves the work to a running worker and still waits until it settled', async () => {
  const prefix = uniquePrefix('de');
  const wconn = createRedis(env.server.url, 'worker');
  const p = await startPipeline({ alerts, connection: wconn, channels: channels(), prefix });
  try {
    const s = await deliverEvents([makeEvent()], {
      config: { alerts },
      redis: env.redis,
      channels: new Map(),
      prefix,
      waitUntilSettled: true,
    });
    expect(s.inProcess).toBe(false);
    expect(s.counts.delivered).toBe(2);
    expect(env.rx.received).toHaveLength(2);
  } finally {
    await p.close();
    wconn.disconnect();
  }
});
