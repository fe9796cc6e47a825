/**
 * Kill the worker process during delivery, start another: every alert arrives (signed, verified by the
 * standardwebhooks library), and an alert delivered twice (the receiver got it but the dead worker never
 * saw the 2xx) carries the same webhook-id both times.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { nextEvent, whenQueues, within } from '../../helpers/wait';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from './support/fixtures';
import { createRedis } from '../../../src/pipeline/connection';
import { deliverEvents } from '../../../src/pipeline/deliver-events';
import { alertId } from '../../../src/alerting/alert-id';
import { createQueues } from '../../../src/pipeline/queues';
import { retryPolicy } from '../../../src/pipeline/context';

const ROOT = resolve(__dirname, '../../..');

let server: TestRedis;
let redis: Redis;
let rx: WebhookReceiver;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const children: ChildProcess[] = [];

beforeAll(async () => {
  server = await startRedis();
  redis = createRedis(server.url, 'producer');
  rx = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await rx.close();
  redis.disconnect();
  await server.stop();
});

function startWorker(prefix: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', resolve(__dirname, 'support/worker-child.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: server.url,
        FW_PREFIX: prefix,
        FW_RECEIVER: rx.url,
        FW_CHANNELS: 'partner,ops',
        FW_WEBHOOK_SECRET: SECRET,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => (err += d.toString()));
  const ready = new Promise<ChildProcess>((res, rej) => {
    child.stdout.on('data', (d) => d.toString().includes('ready') && res(child));
    child.once('exit', (code) => rej(new Error(`worker exited ${code}: ${err}`)));
  });
  return within('the notify worker child to print "ready"', ready, { timeoutMs: 30_000, detail: () => err });
}

it('loses no alert when the worker is SIGKILLed mid-delivery; duplicates keep their webhook-id', async () => {
  const prefix = uniquePrefix('crash');
  const alerts = makeAlerts({ channels: [webhookEntry('partner'), webhookEntry('ops')] });
  const events = Array.from({ length: 15 }, (_, i) => makeEvent({ hex: `c0ffe${i.toString(16)}` }));
  const expected = new Map(
    events.flatMap((e) => ['partner', 'ops'].map((c) => [alertId(e.id, c), `${c}:${e.id}`] as const)),
  );
  // Slow receiver: several requests are in flight (received, not yet answered) when the worker dies.
  rx.setDefault({ status: 204, delayMs: 150 });
  await deliverEvents(events, { config: { alerts }, redis, channels: new Map(), prefix, waitUntilSettled: false });

  const first = await startWorker(prefix);
  await rx.waitFor('six requests before the kill', (r) => r.length >= 6, { timeoutMs: 20_000 });
  const firstExited = nextEvent('the first worker to exit', first, 'exit');
  first.kill('SIGKILL');
  await firstExited;
  const atKill = rx.requests.length;
  expect(atKill).toBeLessThan(expected.size); // the kill really interrupted delivery

  const second = await startWorker(prefix);
  await rx.waitFor(
    'every alert at the receiver',
    (r) => new Set(r.map((x) => x.headers['webhook-id'])).size >= expected.size,
    { timeoutMs: 30_000 },
  );
  const q = createQueues(redis, prefix, retryPolicy(alerts));
  await whenQueues(
    'every notify job completed',
    [q.notify],
    async () => (await q.notify.getJobCounts('completed')).completed >= expected.size,
    { timeoutMs: 20_000 },
  );
  expect((await q.notify.getJobCounts('completed')).completed).toBe(expected.size);
  await q.close();
  second.kill('SIGTERM');

  const ids = rx.requests.map((r) => r.headers['webhook-id'] as string);
  expect(new Set(ids)).toEqual(new Set(expected.keys()));
  // A duplicate is the same alert: same webhook-id, same channel, same event, and a valid signature.
  for (const r of rx.requests) {
    expect(r.verifyError).toBeUndefined();
    expect(r.verified).toBe(true);
    const body = r.payload as { alertId: string; channel: string; event: { id: string } };
    expect(body.alertId).toBe(r.headers['webhook-id']);
    expect(`${body.channel}:${body.event.id}`).toBe(expected.get(body.alertId));
  }
  const duplicates = ids.length - new Set(ids).size;
  process.stdout.write(
    `worker-crash: ${ids.length} requests for ${expected.size} alerts, ${duplicates} duplicate(s), ${atKill} before the kill\n`,
  );
}, 90_000);
