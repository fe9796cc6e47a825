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
import { addSilence, removeSilence, SILENCE_VERSION } from '../../../src/alerting/silences';
import { NFLOG_VERSION } from '../../../src/alerting/notification-log';
import { CHANNEL_STATE_VERSION, listDisabledChannels } from '../../../src/alerting/channel-state';
import { createLogger, silentLogger, type Logger } from '../../../src/util/log';
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
function context(alerts = alertsConfig(), log: Logger = silentLogger): DeliveryContext {
  const ctx = createContext({ alerts, redis, prefix: uniquePrefix('repeat'), channels: channels(), log });
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
      version: NFLOG_VERSION,
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

describe('stored records the notify step reads: older shapes still count, unusable ones never stop an alert', () => {
  /** Warnings the notify step logged, as parsed JSON lines. */
  function logged(): { log: Logger; warnings: () => { key: string; reason: string; msg: string }[] } {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } });
    return { log, warnings: () => lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn') };
  }
  const SECRET = 'reply-token=s3cr3t';

  async function notify(ctx: DeliveryContext, e: FlightEvent): Promise<NotifyResult> {
    await fanOut(ctx, [e]);
    return notifyProcessor(ctx)(await jobFor(ctx, e));
  }

  it('notification log: an unversioned record still suppresses; one of a newer version counts as none, is replaced and logged once', async () => {
    const { log, warnings } = logged();
    const ctx = context(alertsConfig(), log);
    const key = ctx.keys.nflog('partner', 'a1b2c3', 'landing');
    await redis.set(key, JSON.stringify({ alertId: 'al_older', eventTimeMs: T0, sentAt: T0 }));
    expect(await notify(ctx, makeEvent({ hex: 'a1b2c3', time: at(5) }))).toEqual({
      outcome: 'suppressed',
      detail: 'repeatInterval: al_older was sent for the same aircraft and event',
    });

    const newer = { version: NFLOG_VERSION + 1, alertId: 'al_newer', eventTimeMs: T0, sentAt: T0, note: SECRET };
    await redis.set(key, JSON.stringify(newer));
    const e = makeEvent({ hex: 'a1b2c3', time: at(6) });
    expect((await notify(ctx, e)).outcome).toBe('delivered');
    expect(JSON.parse((await redis.get(key))!)).toMatchObject({
      version: NFLOG_VERSION,
      alertId: alertId(e.id, 'partner'),
    });
    // The same kind of record again: logged once per key and reason.
    await redis.set(key, JSON.stringify(newer));
    expect((await notify(ctx, makeEvent({ hex: 'a1b2c3', time: at(7) }))).outcome).toBe('delivered');
    expect(warnings()).toEqual([
      expect.objectContaining({
        key,
        reason: `version ${NFLOG_VERSION + 1} is newer than this release reads (${NFLOG_VERSION})`,
      }),
    ]);
    expect(JSON.stringify(warnings())).not.toContain('s3cr3t');
  });

  it('notification log: a record with a field of another type counts as none and is not kept as the one to restore', async () => {
    const { log, warnings } = logged();
    const ctx = context(alertsConfig(), log);
    const key = ctx.keys.nflog('partner', 'a1b2c3', 'landing');
    await redis.set(key, JSON.stringify({ alertId: 'al_x', eventTimeMs: String(T0), comment: SECRET }));
    const e = makeEvent({ hex: 'a1b2c3', time: at(0) });
    rx.reply(400); // the alert dead-letters and gives its reservation back
    await expect(notify(ctx, e)).rejects.toThrow(/HTTP 400/);
    expect(await redis.get(key)).toBeNull(); // nothing restored: the unusable record is gone
    expect(warnings()).toEqual([expect.objectContaining({ key, reason: 'eventTimeMs: not a number' })]);
    expect(JSON.stringify(warnings())).not.toContain('s3cr3t');
  });

  it('silences: an unversioned silence still holds alerts back; one that is not a silence is logged, ignored and unindexed; a newer one is kept', async () => {
    const { log, warnings } = logged();
    const ctx = context(makeAlerts({ channels: [webhookEntry('partner')] }), log);
    const index = ctx.keys.silenceIndex;
    const store = async (id: string, h: Record<string, string>) => {
      await redis.hset(ctx.keys.silence(id), h);
      await redis.sadd(index, id);
    };
    const endsAt = new Date(Date.now() + 60_000).toISOString();
    const createdAt = new Date().toISOString();
    await store('sil_01d', { id: 'sil_01d', hex: 'a1b2c3', createdAt, endsAt });
    expect((await notify(ctx, makeEvent({ hex: 'a1b2c3' }))).outcome).toBe('silenced');
    await redis.del(ctx.keys.silence('sil_01d'));

    // No matcher: read as it is, it would silence every alert.
    await store('sil_bad', { id: 'sil_bad', comment: SECRET, createdAt, endsAt });
    await store('sil_next', { version: String(SILENCE_VERSION + 1), id: 'sil_next', hex: 'a1b2c3', createdAt, endsAt });
    expect((await notify(ctx, makeEvent({ hex: 'a1b2c3' }))).outcome).toBe('delivered');
    expect((await notify(ctx, makeEvent({ hex: 'a1b2c3' }))).outcome).toBe('delivered');
    expect((await redis.smembers(index)).sort()).toEqual(['sil_next']);
    expect(warnings().sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      expect.objectContaining({
        key: ctx.keys.silence('sil_bad'),
        reason: expect.stringMatching(/^\(record\): no hex, watch or event/),
      }),
      expect.objectContaining({
        key: ctx.keys.silence('sil_next'),
        reason: expect.stringMatching(/^version 2 is newer/),
      }),
    ]);
    expect(JSON.stringify(warnings())).not.toContain('s3cr3t');
    // Written by this release: versioned.
    const added = await addSilence(redis, ctx.keys, { hex: 'ffffff', forMs: 60_000 });
    expect(await redis.hget(ctx.keys.silence(added.id), 'version')).toBe(String(SILENCE_VERSION));
  });

  it('channel state: an unversioned disabled record still disables; an unreadable one is ignored, logged, and replaced when the receiver is gone again', async () => {
    const { log, warnings } = logged();
    const ctx = context(makeAlerts({ channels: [webhookEntry('partner')] }), log);
    const field = ctx.keys.disabledChannels;
    await redis.hset(
      field,
      'partner',
      JSON.stringify({ disabledAt: '2026-11-01T00:00:00.000Z', reason: 'HTTP 410 Gone' }),
    );
    await expect(notify(ctx, makeEvent())).rejects.toThrow(/disabled since 2026-11-01T00:00:00.000Z: HTTP 410 Gone/);

    await redis.hset(field, 'partner', `{"reason": "${SECRET}"`);
    expect((await notify(ctx, makeEvent())).outcome).toBe('delivered');
    expect(await listDisabledChannels(redis, ctx.keys, log)).toEqual([]);
    rx.reply(410);
    await expect(notify(ctx, makeEvent())).rejects.toThrow(/channel disabled/);
    const [disabled] = await listDisabledChannels(redis, ctx.keys);
    expect(disabled).toMatchObject({ channelId: 'partner', reason: expect.stringMatching(/410/) });
    expect(JSON.parse((await redis.hget(field, 'partner'))!).version).toBe(CHANNEL_STATE_VERSION);
    const reasons = warnings().map((w) => `${w.key}: ${w.reason}: ${w.msg}`);
    expect(reasons).toEqual([
      `${field} partner: not JSON: stored record ignored: the channel counts as enabled`,
      `${field} partner: not JSON: stored record ignored: replaced`,
    ]);
    expect(JSON.stringify(warnings())).not.toContain('s3cr3t');
  });
});
