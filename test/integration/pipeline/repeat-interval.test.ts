/**
 * repeatInterval under concurrency, against a real redis-server and a real webhook receiver (signatures
 * verified with the standardwebhooks library) through the production webhook channel.
 *
 * The check and the reservation of the (channel, aircraft, event type) slot are one Redis call, so of N
 * different alerts of one kind delivered at once exactly one is sent and the others are `suppressed`. The
 * reservation belongs to the alert id: a transient failure keeps it for the alert's own retries (which are
 * not suppressed by it, and still deliver) while other alerts in the interval are suppressed; an alert that
 * ends as a dead letter gives it back, restoring the record of the last alert actually sent.
 */
import { randomBytes } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { jobCompleted } from '../../helpers/wait';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from './support/fixtures';
import { whenDeadLetters } from './support/waits';
import { createRedis } from '../../../src/pipeline/connection';
import { createContext, type DeliveryContext } from '../../../src/pipeline/context';
import { fanOut } from '../../../src/pipeline/fan-out';
import { notifyProcessor } from '../../../src/pipeline/processors/notify';
import { startPipeline, type Pipeline } from '../../../src/pipeline/pipeline';
import { createWebhookChannel } from '../../../src/alerting/channels/webhook';
import { alertId } from '../../../src/alerting/alert-id';
import { listDeadLetters } from '../../../src/pipeline/dlq';
import { addSilence, removeSilence } from '../../../src/alerting/silences';
import { silentLogger } from '../../../src/util/log';
import type { AlertsConfig } from '../../../src/config/alerts-schema';
import type { Channel } from '../../../src/alerting/channel';
import type { NotifyJobData, NotifyResult } from '../../../src/pipeline/jobs';
import type { FlightEvent } from '../../../src/domain/event';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const N = 8;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let server: TestRedis;
let redis: Redis;
let rx: WebhookReceiver;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = await startRedis();
  redis = createRedis(server.url, 'worker');
});
beforeEach(async () => {
  rx = await startWebhookReceiver(SECRET);
});
afterEach(async () => {
  while (open.length) await open.pop()!.close();
  await rx.close();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

function alertsConfig(extra: Record<string, unknown> = {}): AlertsConfig {
  return makeAlerts({
    channels: [webhookEntry('partner')],
    routes: [{ match: {}, channels: ['partner'], repeatInterval: '6h' }],
    concurrency: N,
    ...extra,
  });
}

const channels = (): Map<string, Channel> =>
  new Map([
    [
      'partner',
      createWebhookChannel(
        { id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'PARTNER_WEBHOOK_SECRET', timeoutMs: 5000 },
        { env: { PARTNER_WEBHOOK_SECRET: SECRET } },
      ),
    ],
  ]);

/** A delivery context without workers: notify jobs wait in the queue until the test runs the processor on them. */
function context(alerts = alertsConfig()): DeliveryContext {
  const ctx = createContext({ alerts, redis, prefix: uniquePrefix('repeat'), channels: channels(), log: silentLogger });
  open.push(ctx.queues);
  return ctx;
}

async function pipeline(alerts = alertsConfig()): Promise<Pipeline> {
  const p = await startPipeline({ alerts, connection: redis, channels: channels(), prefix: uniquePrefix('repeat-p') });
  open.push({ close: () => p.close(3000) });
  return p;
}

/** Same aircraft, same event type, a minute apart: all inside one 6 h interval. */
const sameKind = (n: number, from = 0): FlightEvent[] =>
  Array.from({ length: n }, (_, i) => makeEvent({ hex: 'a1b2c3', type: 'landing', time: at(from + i) }));

async function jobFor(ctx: DeliveryContext, e: FlightEvent): Promise<Job<NotifyJobData, NotifyResult>> {
  const job = await ctx.queues.notify.getJob(alertId(e.id, 'partner'));
  if (!job) throw new Error(`no notify job for ${e.id}`);
  return job as Job<NotifyJobData, NotifyResult>;
}

async function settled(p: Pipeline, e: FlightEvent): Promise<NotifyResult> {
  const job = await jobCompleted(`notify job of ${e.id} completed`, p.ctx.queues.notify, alertId(e.id, 'partner'), {
    timeoutMs: 20_000,
  });
  return job.returnvalue as NotifyResult;
}

const webhookIds = () => rx.requests.map((r) => r.headers['webhook-id']);

describe('repeatInterval is atomic', () => {
  it(`${N} concurrent notify calls for different alerts of one aircraft + event type: one is sent, the others are suppressed`, async () => {
    const ctx = context();
    const events = sameKind(N);
    await fanOut(ctx, events);
    const jobs = await Promise.all(events.map((e) => jobFor(ctx, e)));
    const process = notifyProcessor(ctx);

    const results = await Promise.all(jobs.map((j) => process(j)));

    const delivered = results.flatMap((r, i) => (r.outcome === 'delivered' ? [jobs[i].id!] : []));
    expect(delivered).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'suppressed')).toHaveLength(N - 1);
    for (const r of results) if (r.outcome === 'suppressed') expect(r.detail).toContain(delivered[0]);
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0].verified).toBe(true);
    expect(webhookIds()).toEqual(delivered);

    // Re-running every job (a stall, a replay) sends nothing more: the sent one is a duplicate, the rest stay suppressed.
    const again = await Promise.all(jobs.map((j) => process(j)));
    expect(again.map((r) => r.outcome).sort()).toEqual(['duplicate', ...Array<string>(N - 1).fill('suppressed')]);
    expect(rx.requests).toHaveLength(1);

    // Outside the interval (7 h later) the next alert of the same kind goes out.
    const later = makeEvent({ hex: 'a1b2c3', type: 'landing', time: at(7 * 60) });
    await fanOut(ctx, [later]);
    expect(await process(await jobFor(ctx, later))).toEqual(expect.objectContaining({ outcome: 'delivered' }));
    expect(rx.requests).toHaveLength(2);
  });

  it(`the same through BullMQ: ${N} notify jobs at worker concurrency ${N} deliver one alert`, async () => {
    rx.setDefault({ status: 204, delayMs: 100 }); // every send overlaps the others' checks
    const p = await pipeline();
    const events = sameKind(N);
    await fanOut(p.ctx, events);
    const outcomes = await Promise.all(events.map((e) => settled(p, e).then((r) => r.outcome)));
    expect(outcomes.filter((o) => o === 'delivered')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'suppressed')).toHaveLength(N - 1);
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0].verified).toBe(true);
  });

  it('a transient failure keeps the slot for the same alert: its retries are not suppressed and deliver it; other alerts meanwhile are suppressed', async () => {
    rx.setDefault(503);
    const p = await pipeline();
    const [first, ...others] = sameKind(3);
    const firstId = alertId(first.id, 'partner');
    await fanOut(p.ctx, [first]);
    await rx.waitFor('a retry of the first alert', (r) => r.length >= 2, { timeoutMs: 20_000 }); // retried, not suppressed by its own reservation

    await fanOut(p.ctx, others);
    for (const e of others) {
      const r = await settled(p, e);
      expect(r.outcome).toBe('suppressed');
      expect(r.detail).toContain(firstId);
      expect(r.detail).toContain('is being delivered');
    }

    rx.setDefault(204);
    expect(await settled(p, first)).toEqual(expect.objectContaining({ outcome: 'delivered' }));
    expect(new Set(webhookIds())).toEqual(new Set([firstId])); // only the first alert ever reached the receiver
    expect(rx.requests.filter((r) => r.verified)).toHaveLength(rx.requests.length);
    const job = await p.ctx.queues.notify.getJob(firstId);
    expect(job!.attemptsMade).toBeGreaterThanOrEqual(2);
  });
});

describe('repeatInterval keeps its documented semantics', () => {
  it('a dead-lettered alert gives the slot back and the last sent record counts again; a silenced alert takes no slot', async () => {
    const ctx = context();
    const process = notifyProcessor(ctx);
    const run = async (e: FlightEvent) => {
      await fanOut(ctx, [e]);
      return process(await jobFor(ctx, e));
    };
    // Silenced: no slot taken, so the next alert of the kind is sent.
    const silence = await addSilence(redis, ctx.keys, { hex: 'a1b2c3', event: 'landing', forMs: 60_000 });
    expect((await run(makeEvent({ hex: 'a1b2c3', time: at(0) }))).outcome).toBe('silenced');
    await removeSilence(redis, ctx.keys, silence.id);
    const sent = makeEvent({ hex: 'a1b2c3', time: at(1) });
    expect((await run(sent)).outcome).toBe('delivered');

    // 7 h later (outside the interval): takes the slot, then fails permanently → dead letter, slot given back.
    rx.reply(400);
    await expect(run(makeEvent({ hex: 'a1b2c3', time: at(7 * 60) }))).rejects.toThrow(/HTTP 400/);
    // 1 h after the sent one: suppressed by it again (its record was restored), not by the dead letter.
    const r = await run(makeEvent({ hex: 'a1b2c3', time: at(61) }));
    expect(r).toEqual({
      outcome: 'suppressed',
      detail: `repeatInterval: ${alertId(sent.id, 'partner')} was sent for the same aircraft and event`,
    });
    // Next to the dead-lettered one (7 h 10 min): nothing was sent there, so it goes out.
    expect((await run(makeEvent({ hex: 'a1b2c3', time: at(7 * 60 + 10) }))).outcome).toBe('delivered');
    expect(rx.requests.map((q) => q.verified)).toEqual([true, true, true]);
  });

  it('an unreadable notification log record counts as none: the alert is sent and the record replaced', async () => {
    const ctx = context();
    const e = makeEvent({ hex: 'a1b2c3', time: at(0) });
    const key = ctx.keys.nflog('partner', 'a1b2c3', 'landing');
    await redis.set(key, 'not json {');
    await fanOut(ctx, [e]);
    expect((await notifyProcessor(ctx)(await jobFor(ctx, e))).outcome).toBe('delivered');
    expect(JSON.parse((await redis.get(key))!)).toEqual({
      alertId: alertId(e.id, 'partner'),
      eventTimeMs: T0,
      sentAt: expect.any(Number),
    });
  });

  it('an alert dead-lettered when the retry horizon passes gives the slot back', async () => {
    rx.setDefault(502);
    const p = await pipeline(alertsConfig({ retry: { horizon: '1s', backoffBase: '100ms', backoffMax: '300ms' } }));
    const [doomed, next] = sameKind(2);
    await fanOut(p.ctx, [doomed]);
    await whenDeadLetters(p.ctx.queues, 1, { timeoutMs: 20_000 });
    const [dl] = await listDeadLetters(p.ctx.queues);
    expect(dl.id).toBe(alertId(doomed.id, 'partner'));
    expect(dl.reason).toMatch(/HTTP 502.*retry horizon passed/);
    expect(rx.requests.length).toBeGreaterThanOrEqual(3);

    rx.setDefault(204);
    const tries = rx.requests.length;
    await fanOut(p.ctx, [next]);
    expect(await settled(p, next)).toEqual(expect.objectContaining({ outcome: 'delivered' }));
    expect(webhookIds().slice(tries)).toEqual([alertId(next.id, 'partner')]);
  });
});
