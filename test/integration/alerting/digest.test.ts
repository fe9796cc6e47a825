/**
 * Digest delivery against a real redis-server, a real webhook receiver and a real SMTP server: events that
 * matched only operator-wide (digest) entries are gathered, not alerted; once the period is over, one summary
 * goes to the channels their route names (and only those), even after a restart of the worker in between;
 * an event that also matched an instant entry is alerted at once. Flushing again sends nothing more.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from '../pipeline/support/fixtures';
import { createRedis } from '../../../src/pipeline/connection';
import { startPipeline, type Pipeline } from '../../../src/pipeline/pipeline';
import { fanOut } from '../../../src/pipeline/fan-out';
import { flushDigests } from '../../../src/pipeline/digest';
import { collectForDigest, digestKeys } from '../../../src/alerting/digest';
import { createWebhookChannel } from '../../../src/alerting/channels/webhook';
import { createEmailChannel } from '../../../src/alerting/channels/email';
import type { Channel } from '../../../src/alerting/channel';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const DAY = 86_400_000;

let server: TestRedis;
let redis: Redis;
let rx: WebhookReceiver;
let sink: SmtpSink;
const open: Pipeline[] = [];

beforeAll(async () => {
  server = await startRedis();
  redis = createRedis(server.url, 'worker');
  rx = await startWebhookReceiver(SECRET);
  sink = await startSmtpSink();
});
afterEach(() => {
  rx.requests.length = 0;
  sink.messages.length = 0;
});
afterAll(async () => {
  while (open.length) await open.pop()!.close(3000);
  await rx.close();
  await sink.close();
  redis.disconnect();
  await server.stop();
});

const alerts = makeAlerts({
  channels: [webhookEntry('partner'), { id: 'desk', kind: 'email', to: ['desk@example.org'], smtpUrlEnv: 'SMTP_URL' }],
  // Avelo's operator-wide entry goes to the partner webhook and the desk; nothing routes to a third channel.
  routes: [{ match: { watch: ['avelo', 'avelo-dhs'] }, channels: ['partner', 'desk'] }],
});

const channels = (): Map<string, Channel> =>
  new Map<string, Channel>([
    [
      'partner',
      createWebhookChannel(
        { id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'S', timeoutMs: 5000 },
        { env: { S: SECRET } },
      ),
    ],
    [
      'desk',
      createEmailChannel(
        {
          id: 'desk',
          kind: 'email',
          to: ['desk@example.org'],
          from: 'flightwatch <fw@example.org>',
          subjectPrefix: '[flightwatch]',
          smtpUrlEnv: 'SMTP_URL',
          map: false,
        },
        { env: { SMTP_URL: sink.url } },
      ),
    ],
  ]);

async function worker(prefix: string): Promise<Pipeline> {
  const p = await startPipeline({
    alerts,
    connection: redis,
    channels: channels(),
    prefix,
    digestWatch: () => new Set(['avelo']),
  });
  open.push(p);
  return p;
}

const payloadOf = (i: number) =>
  rx.requests[i].payload as { type: string; event: { details: Record<string, unknown> } };

it('gathers digest-only events and sends one summary per channel after the period, surviving a restart', async () => {
  const prefix = uniquePrefix('digest');
  const first = await worker(prefix);
  const digestOnly = [
    makeEvent({ hex: 'aaf29f', type: 'takeoff', watch: ['avelo'], time: '2026-11-20T08:01:00Z' }),
    makeEvent({ hex: 'aaf656', type: 'landing', watch: ['avelo'], time: '2026-11-20T09:30:00Z' }),
    makeEvent({ hex: 'aaf29f', type: 'landing', watch: ['avelo'], time: '2026-11-20T10:45:00Z' }),
  ];
  const instant = makeEvent({ hex: 'aafa0d', type: 'takeoff', watch: ['avelo', 'avelo-dhs'] });
  await fanOut(first.ctx, [...digestOnly, instant]);
  // Gathered twice (a re-run detect job): still three.
  await fanOut(first.ctx, digestOnly);

  await rx.waitFor('the instant alert', (r) => r.length >= 1);
  await sink.waitFor('the instant e-mail', (m) => m.length >= 1);
  expect(rx.requests).toHaveLength(1);
  expect(JSON.stringify(payloadOf(0))).toContain(instant.id);
  expect(await redis.zcard(digestKeys(prefix).buckets)).toBe(2);

  // Nothing is due before the period is over.
  expect(await flushDigests(first.ctx)).toEqual({ sent: 0, events: 0 });

  // The worker restarts; what it gathered is in Redis, and the next one sends it once the day is over.
  await open.pop()!.close(3000);
  const second = await worker(prefix);
  expect(await flushDigests(second.ctx, Date.now() + DAY)).toEqual({ sent: 2, events: 6 });
  await rx.waitFor('the digest webhook', (r) => r.length >= 2);
  await sink.waitFor('the digest e-mail', (m) => m.length >= 2);

  const digest = payloadOf(1);
  expect(JSON.stringify(digest)).toContain('"kind":"digest"');
  expect(digest.type).toBe('flightwatch.operational');
  const op = digest.event.details.operational as Record<string, unknown>;
  expect(op).toMatchObject({ kind: 'digest', events: 3, entries: 'avelo: 3' });
  expect(op.aircraft).toBe('N917XA: 3');
  expect(String(op.recent).split('; ')).toHaveLength(3);
  expect(String(op.summary)).toMatch(/^3 events of 2 aircraft matched only operator-wide watch entries/);

  const mail = sink.messages[1];
  expect(mail.subject).toContain('digest');
  expect(mail.text).toContain('avelo: 3');

  // Sent buckets are forgotten: flushing again sends nothing more.
  expect(await flushDigests(second.ctx, Date.now() + DAY)).toEqual({ sent: 0, events: 0 });
  expect(await redis.zcard(digestKeys(prefix).buckets)).toBe(0);
  expect(rx.requests).toHaveLength(2);
});

it('applies a reloaded digest period to new buckets while an open bucket keeps the span it was opened with', async () => {
  const prefix = uniquePrefix('digest-period');
  let period = DAY;
  const p = await startPipeline({
    alerts,
    connection: redis,
    channels: channels(),
    prefix,
    digestWatch: () => new Set(['avelo']),
    digestPeriod: () => period,
  });
  open.push(p);
  const day = Date.parse('2026-11-20T00:00:00Z');
  const at = (h: number) => day + h * 3_600_000;
  const ev = (hex: string, h: number) =>
    makeEvent({ hex, type: 'seen', watch: ['avelo'], time: new Date(at(h)).toISOString() });
  const gather = (hex: string, h: number) =>
    collectForDigest(redis, prefix, { event: ev(hex, h), channelIds: ['partner'], periodMs: period, now: at(h) });

  await gather('aaf001', 9); // opens the day's bucket
  period = 3_600_000; // reloaded: hourly from now on
  await gather('aaf002', 10); // opens the 10:00 hour
  // At 11:00 the hour is due; the day's bucket is not, and says so by its own period, not the new one.
  expect(await flushDigests(p.ctx, at(11))).toEqual({ sent: 1, events: 1 });
  expect(await flushDigests(p.ctx, at(23))).toEqual({ sent: 0, events: 0 });
  expect(await flushDigests(p.ctx, at(24))).toEqual({ sent: 1, events: 1 });
  await rx.waitFor('both digests', (r) => r.length >= 2);
  const spans = rx.requests.map((r) => {
    const op = (r.payload as { event: { details: { operational: Record<string, unknown> } } }).event.details
      .operational;
    return [op.periodStart, op.periodEnd];
  });
  expect(spans).toEqual([
    ['2026-11-20T10:00:00.000Z', '2026-11-20T11:00:00.000Z'],
    ['2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
  ]);
});
