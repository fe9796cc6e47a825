/**
 * Fault: the notify worker process is SIGKILLed 10 times during a burst of 1,000 alerts (500 events × two
 * signed webhook channels). A new worker process starts after each kill. Every alert must reach the receiver
 * (signature verified by the standardwebhooks library); an alert delivered twice (the receiver got it, the
 * killed worker never recorded the 2xx) must carry the same webhook-id and body; nothing may be lost.
 */
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createRedis } from '../../src/pipeline/connection';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { alertsSchema } from '../../src/config/alerts-schema';
import { createQueues } from '../../src/pipeline/queues';
import { retryPolicy } from '../../src/pipeline/context';
import { startFaultWorker, type WorkerChild } from './support/processes';
import { expectedAlerts, makeEvents, SECRET, uniquePrefix } from './support/events';
import { notifyCountsOnceCompleted } from './support/notify';
import { printSummary, tally } from './support/summary';

const KILLS = 10;
const EVENTS = 500;
const CHANNELS = ['partner', 'ops'];

let redisSrv: TestRedis;
let redis: Redis;
let rx: WebhookReceiver;
const workers: WorkerChild[] = [];

beforeAll(async () => {
  redisSrv = await startRedis(['--maxmemory-policy', 'noeviction']);
  redis = createRedis(redisSrv.url, 'producer');
  rx = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await rx.close();
  redis.disconnect();
  await redisSrv.stop();
});

it(`SIGKILL the worker ${KILLS} times during a burst of ${EVENTS * CHANNELS.length} alerts: none lost, duplicates keep their webhook-id`, async () => {
  const t0 = Date.now();
  const prefix = uniquePrefix('kill');
  const alertsInput = {
    channels: CHANNELS.map((id) => ({ id, kind: 'webhook', url: rx.url, secretEnv: 'FW_WEBHOOK_SECRET' })),
    retry: { horizon: '10m', backoffBase: '100ms', backoffMax: '1s' },
    concurrency: 8,
  };
  const alerts = alertsSchema.parse(alertsInput);
  const events = makeEvents(EVENTS, prefix);
  const expected = expectedAlerts(events, CHANNELS);
  // A receiver that takes a moment to answer: at every kill some requests are received but not yet answered.
  rx.setDefault({ status: 204, delayMs: 40 });

  // The burst: all 1,000 notify jobs are queued at once, before any worker runs.
  const enq = await deliverEvents(events, {
    config: { alerts },
    redis,
    channels: new Map(),
    prefix,
    waitUntilSettled: false,
  });
  expect(enq.alerts).toHaveLength(expected.size);

  const env = {
    REDIS_URL: redisSrv.url,
    FW_PREFIX: prefix,
    FW_ALERTS: JSON.stringify(alertsInput),
    FW_WEBHOOK_SECRET: SECRET,
  };
  const distinct = () => new Set(rx.requests.map((r) => r.headers['webhook-id'])).size;
  const killedAt: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    const w = await startFaultWorker(env);
    workers.push(w);
    // Let this worker deliver its share, then kill it mid-delivery (requests are in flight: 40 ms replies).
    const target = Math.round(((k + 1) * expected.size) / (KILLS + 1));
    await rx.waitFor(`worker ${k + 1} delivering up to ${target}`, () => distinct() >= target, { timeoutMs: 60_000 });
    w.proc.kill('SIGKILL');
    await w.exited;
    killedAt.push(distinct());
  }
  // Every kill interrupted a burst still in progress.
  expect(killedAt[KILLS - 1]).toBeLessThan(expected.size);

  const last = await startFaultWorker(env);
  workers.push(last);
  await rx.waitFor('every alert at the receiver', () => distinct() >= expected.size, { timeoutMs: 120_000 });
  const q = createQueues(redis, prefix, retryPolicy(alerts));
  const counts = await notifyCountsOnceCompleted(q, expected.size);
  last.proc.kill('SIGTERM');
  await last.exited;

  const ids = rx.requests.map((r) => r.headers['webhook-id'] as string);
  const t = tally(expected.keys(), ids);
  expect(t.unexpected).toBe(0);
  expect(t.lost).toBe(0);
  expect(t.delivered).toBe(expected.size);
  expect(counts).toMatchObject({ completed: expected.size, failed: 0, wait: 0, active: 0, delayed: 0 });
  // A duplicate is the same alert: same webhook-id, same body, valid signature.
  const bodyById = new Map<string, string>();
  for (const r of rx.requests) {
    expect(r.verifyError).toBeUndefined();
    const id = r.headers['webhook-id'] as string;
    const body = r.payload as { alertId: string; channel: string; event: { id: string } };
    expect(body.alertId).toBe(id);
    expect(`${body.channel}:${body.event.id}`).toBe(expected.get(id));
    const prev = bodyById.get(id);
    if (prev !== undefined) expect(r.rawBody).toBe(prev);
    bodyById.set(id, r.rawBody);
  }
  printSummary({
    scenario: 'worker-sigkill-x10',
    expected: t.expected,
    delivered: t.delivered,
    duplicates: t.duplicates,
    lost: t.lost,
    durationMs: Date.now() - t0,
    kills: KILLS,
    requests: ids.length,
    distinctAtKills: killedAt,
  });
});
