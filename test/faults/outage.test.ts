/**
 * Fault: the SMTP server is down (nothing listens on its port) for FAULT_OUTAGE_S seconds (default 120, the
 * issue's two minutes) and the webhook receiver answers 500 for as long, then both recover.
 *  1. Retry horizon longer than the outage: every alert is delivered after recovery, no dead letter.
 *  2. Retry horizon (5 s) shorter than the outage: alerts become dead letters only once the horizon has
 *     passed, and the real `flightwatch dlq retry --all` command delivers them after recovery.
 * Both run against a real notify worker process (scripts/fault-worker.ts) with the real email (nodemailer)
 * and signed webhook channels.
 */
import type { Redis } from 'ioredis';
import type { Job } from 'bullmq';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { runCli } from '../helpers/cli';
import { createRedis } from '../../src/pipeline/connection';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { alertsSchema } from '../../src/config/alerts-schema';
import { createQueues, type Queues } from '../../src/pipeline/queues';
import { retryPolicy } from '../../src/pipeline/context';
import { messageId } from '../../src/alerting/channels/ids';
import { sleep, until, whenQueues, whenQueuesIdle } from '../helpers/wait';
import { freePort } from '../../src/runtime/redis/free-port';
import { startFaultWorker, type WorkerChild } from './support/processes';
import { smtpOnPort, type SmtpOnPort } from './support/smtp';
import { expectedAlerts, makeEvents, SECRET, uniquePrefix } from './support/events';
import { printSummary, tally } from './support/summary';

const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_S ?? 120) * 1000;
const CHANNELS = ['ops', 'partner'];

let redisSrv: TestRedis;
let redis: Redis;
let rx: WebhookReceiver;
let smtp: SmtpOnPort;
let smtpUrl: string;
const workers: WorkerChild[] = [];
const queues: Queues[] = [];

beforeAll(async () => {
  redisSrv = await startRedis(['--maxmemory-policy', 'noeviction']);
  redis = createRedis(redisSrv.url, 'producer');
  rx = await startWebhookReceiver(SECRET);
  const port = await freePort();
  smtp = smtpOnPort(port);
  smtpUrl = `smtp://127.0.0.1:${port}`;
});
afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
  for (const q of queues) await q.close();
  await smtp.down();
  await rx.close();
  redis.disconnect();
  await redisSrv.stop();
});

function alertsFor(horizon: string, backoffBase: string, backoffMax: string) {
  return {
    channels: [
      { id: 'ops', kind: 'email', to: ['alerts@example.org'], map: false },
      { id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'FW_WEBHOOK_SECRET' },
    ],
    retry: { horizon, backoffBase, backoffMax },
    concurrency: 8,
  };
}

async function setup(name: string, input: ReturnType<typeof alertsFor>, n: number) {
  const prefix = uniquePrefix(name);
  const alerts = alertsSchema.parse(input);
  const events = makeEvents(n, prefix);
  const expected = expectedAlerts(events, CHANNELS);
  const worker = await startFaultWorker({
    REDIS_URL: redisSrv.url,
    FW_PREFIX: prefix,
    FW_ALERTS: JSON.stringify(input),
    FW_WEBHOOK_SECRET: SECRET,
    SMTP_URL: smtpUrl,
  });
  workers.push(worker);
  const q = createQueues(redis, prefix, retryPolicy(alerts));
  queues.push(q);
  return { prefix, alerts, events, expected, worker, q };
}

/** Alert ids seen by the two receivers: webhook-id headers and the emails' X-Flightwatch-Alert-Id. */
function received(expected: Map<string, string>) {
  const ids = [
    ...rx.requests.filter((r) => r.rawBody && r.headers['webhook-id']).map((r) => r.headers['webhook-id'] as string),
    ...smtp.mails.map((m) => m.alertId),
  ];
  return ids.filter((id) => expected.has(id));
}

it(`SMTP down and webhook answering 500 for ${OUTAGE_MS / 1000} s: everything delivered after recovery, no dead letter within the horizon`, async () => {
  const t0 = Date.now();
  await smtp.down();
  rx.setDefault(500);
  const s = await setup('outage', alertsFor(`${Math.round(OUTAGE_MS / 1000) + 60}s`, '500ms', '5s'), 100);
  const failedWebhooks = () => rx.requests.length;
  await deliverEvents(s.events, {
    config: { alerts: s.alerts },
    redis,
    channels: new Map(),
    prefix: s.prefix,
    waitUntilSettled: false,
  });

  // During the outage: retries keep going, nothing is dead-lettered, nothing is lost from the queue.
  let maxAttempts = 0;
  const outageEnd = t0 + OUTAGE_MS;
  while (Date.now() < outageEnd) {
    // The outage's length is the subject: look at the queue every 10 s of it.
    await sleep(Math.min(10_000, Math.max(0, outageEnd - Date.now())));
    expect(await s.q.notify.getFailedCount()).toBe(0);
    const c = await s.q.notify.getJobCounts('wait', 'active', 'delayed', 'completed', 'prioritized');
    expect(c.completed).toBe(0);
    expect(c.wait + c.active + c.delayed + c.prioritized).toBe(s.expected.size);
  }
  for (const j of (await s.q.notify.getDelayed(0, 1000)) as Job[]) maxAttempts = Math.max(maxAttempts, j.attemptsMade);
  expect(maxAttempts).toBeGreaterThan(1);
  expect(smtp.mails).toHaveLength(0);
  const webhookAttemptsDuringOutage = failedWebhooks();
  expect(webhookAttemptsDuringOutage).toBeGreaterThan(100);

  // Recovery.
  const recoveredAt = Date.now();
  rx.setDefault(204);
  await smtp.up();
  const okWebhooks = () => rx.requests.slice(webhookAttemptsDuringOutage);
  // Two receivers (webhook and SMTP), no one event for both: polled.
  await until('all alerts after recovery', () => new Set(received(s.expected)).size >= s.expected.size, {
    timeoutMs: 60_000,
    intervalMs: 100,
  });
  const settledMs = Date.now() - recoveredAt;
  await whenQueues(
    'all notify jobs completed',
    [s.q.notify],
    async () => (await s.q.notify.getJobCounts('completed')).completed >= s.expected.size,
    { timeoutMs: 30_000 },
  );
  expect(await s.q.notify.getFailedCount()).toBe(0);

  const ids = [...okWebhooks().map((r) => r.headers['webhook-id'] as string), ...smtp.mails.map((m) => m.alertId)];
  const t = tally(s.expected.keys(), ids);
  expect(t.lost).toBe(0);
  expect(t.unexpected).toBe(0);
  for (const r of okWebhooks()) expect(r.verified).toBe(true);
  for (const m of smtp.mails) expect(m.messageId).toBe(messageId(m.alertId));
  printSummary({
    scenario: `smtp-down-webhook-500-${OUTAGE_MS / 1000}s`,
    expected: t.expected,
    delivered: t.delivered,
    duplicates: t.duplicates,
    lost: t.lost,
    durationMs: Date.now() - t0,
    outageMs: recoveredAt - t0,
    deliveredWithinMsOfRecovery: settledMs,
    maxAttemptsDuringOutage: maxAttempts,
    webhook500s: webhookAttemptsDuringOutage,
    deadLetters: 0,
  });
  s.worker.proc.kill('SIGTERM');
  await s.worker.exited;
});

it('outage longer than the retry horizon: dead letters only after the horizon, and `flightwatch dlq retry --all` delivers them', async () => {
  const t0 = Date.now();
  await smtp.down();
  rx.setDefault(500);
  const mailsBefore = smtp.mails.length;
  const hooksBefore = rx.requests.length;
  const HORIZON_MS = 5000;
  const BACKOFF_MAX_MS = 1000;
  const s = await setup('horizon', alertsFor('5s', '200ms', '1s'), 20);
  await deliverEvents(s.events, {
    config: { alerts: s.alerts },
    redis,
    channels: new Map(),
    prefix: s.prefix,
    waitUntilSettled: false,
  });

  // Before the horizon (minus one backoff step, the last retry that still fits) nothing is a dead letter: the
  // retry horizon (a timer) is the subject, so time passes.
  await sleep(HORIZON_MS - BACKOFF_MAX_MS - 500);
  expect(await s.q.notify.getFailedCount()).toBe(0);
  await whenQueues(
    'every alert dead-lettered',
    [s.q.notify],
    async () => (await s.q.notify.getFailedCount()) >= s.expected.size,
    { timeoutMs: 30_000 },
  );
  const failed = (await s.q.notify.getFailed(0, 1000)) as Job[];
  expect(failed).toHaveLength(s.expected.size);
  for (const j of failed) {
    const age = j.finishedOn! - j.timestamp;
    expect(age).toBeGreaterThanOrEqual(HORIZON_MS - BACKOFF_MAX_MS);
    expect(age).toBeLessThan(HORIZON_MS + 5000);
    expect(j.attemptsMade).toBeGreaterThan(1);
  }
  const list = await runCli(['dlq', 'list', '--json'], {
    env: { REDIS_URL: redisSrv.url, FLIGHTWATCH_REDIS_PREFIX: s.prefix },
  });
  expect(list.code).toBe(0);
  expect(list.stdout.trim().split('\n')).toHaveLength(s.expected.size);

  // Recovery, then the operator's command.
  rx.setDefault(204);
  await smtp.up();
  // Nothing left that could deliver: no job waiting, active or delayed; the dead letters stay failed.
  await whenQueuesIdle('the notify queue after recovery', [s.q.notify]);
  expect(await s.q.notify.getFailedCount()).toBe(s.expected.size);
  expect(smtp.mails.length).toBe(mailsBefore); // dead letters are not retried by themselves
  const hooksAtRetry = rx.requests.length; // from here on the receiver answers 204
  const retry = await runCli(['dlq', 'retry', '--all'], {
    env: { REDIS_URL: redisSrv.url, FLIGHTWATCH_REDIS_PREFIX: s.prefix },
  });
  expect(retry.stderr).toBe('');
  expect(retry.code).toBe(0);
  expect(retry.stdout.match(/^requeued /gm)).toHaveLength(s.expected.size);

  await until('dead letters delivered', () => new Set(received(s.expected)).size >= s.expected.size, {
    timeoutMs: 30_000,
    intervalMs: 100,
  });
  await whenQueues(
    'all notify jobs completed',
    [s.q.notify],
    async () => (await s.q.notify.getJobCounts('completed')).completed >= s.expected.size,
    { timeoutMs: 30_000 },
  );
  expect(await s.q.notify.getFailedCount()).toBe(0);
  // Only the 2xx answers count as deliveries (the receiver also recorded the 500s it answered before).
  const okHooks = rx.requests.slice(hooksAtRetry);
  for (const r of okHooks) expect(r.verified).toBe(true);
  expect(rx.requests.length - hooksBefore).toBeGreaterThan(okHooks.length); // there were failed attempts before
  const delivered = [
    ...okHooks.map((r) => r.headers['webhook-id'] as string),
    ...smtp.mails.slice(mailsBefore).map((m) => m.alertId),
  ];
  const t = tally(s.expected.keys(), delivered);
  expect(t.lost).toBe(0);
  expect(t.unexpected).toBe(0);
  printSummary({
    scenario: 'retry-horizon-5s-then-dlq-retry',
    expected: t.expected,
    delivered: t.delivered,
    duplicates: t.duplicates,
    lost: t.lost,
    durationMs: Date.now() - t0,
    deadLettered: failed.length,
    minDeadLetterAgeMs: Math.min(...failed.map((j) => j.finishedOn! - j.timestamp)),
    horizonMs: HORIZON_MS,
    requeuedByDlqRetry: s.expected.size,
  });
  s.worker.proc.kill('SIGTERM');
  await s.worker.exited;
});
