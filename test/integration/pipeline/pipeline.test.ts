/**
 * The delivery pipeline against a real redis-server and a real HTTP receiver: poll slot dedup across
 * replicas, history before delivery, routing, repeatInterval, silences, and the error taxonomy
 * (transient, permanent + dlq retry, rate-limited, 410 gone).
 */
import { Queue } from 'bullmq';
import { httpPostChannel } from '../../helpers/http-post-channel';
import { jobCompleted } from '../../helpers/wait';
import { useDeliverTestEnv } from './support/env';
import { whenDeadLetters, whenPipelineQuiet } from './support/waits';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from './support/fixtures';
import { createRedis } from '../../../src/pipeline/connection';
import { QUEUE } from '../../../src/pipeline/names';
import { keys } from '../../../src/alerting/keys';
import { startPipeline } from '../../../src/pipeline/pipeline';
import { enqueuePollSlot } from '../../../src/pipeline/trigger';
import { listHistory } from '../../../src/pipeline/history';
import { addSilence } from '../../../src/alerting/silences';
import { listDeadLetters, retryDeadLetter } from '../../../src/pipeline/dlq';
import { disableChannel, listDisabledChannels } from '../../../src/alerting/channel-state';
import { raiseOperational } from '../../../src/pipeline/operational';
import { alertId } from '../../../src/alerting/alert-id';
import type { AlertsConfig } from '../../../src/config/alerts-schema';
import type { Channel } from '../../../src/alerting/channel';
import type { FlightEvent } from '../../../src/domain/event';
import type { Detector } from '../../../src/detect/types';
import type { MatchedAircraft } from '../../../src/domain/watchlist';

const env = useDeliverTestEnv({ closeTimeoutMs: 2000 });

/** Channels posting to the receiver under /<channel id>. */
const channelsFor = (...ids: string[]) =>
  new Map<string, Channel>(ids.map((id) => [id, httpPostChannel(id, `${env.rx.url}/${id}`)]));

async function start(
  alerts: AlertsConfig,
  channels: Map<string, Channel>,
  extra: Partial<Parameters<typeof startPipeline>[0]> = {},
) {
  const prefix = uniquePrefix('p');
  const p = await startPipeline({ alerts, connection: env.redis, channels, prefix, ...extra });
  env.open.push(p);
  return p;
}

/** A detector that emits whatever events the test queued for the next batch. */
function scriptedDetector(batches: FlightEvent[][]): Detector {
  return { process: () => Promise.resolve(batches.shift() ?? []) };
}

const bodies = (path?: string) => env.rx.received.filter((r) => !path || r.path === path).map((r) => r.json);

describe('poll → detect → notify', () => {
  it('polls a slot once when two replicas enqueue it, and delivers what detection found', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('partner')] });
    const slots: string[] = [];
    const pollOnce = (slot: Date) => {
      slots.push(slot.toISOString());
      return Promise.resolve({ now: slot.getTime(), matched: [{ hex: 'a1b2c3' } as MatchedAircraft] });
    };
    const e = makeEvent();
    const p = await start(alerts, channelsFor('partner'), { pollOnce, detector: scriptedDetector([[e]]) });
    // Two replicas: independent producer connections and Queue objects, same slot time from their cron tick.
    const replicas = [createRedis(env.server.url, 'producer'), createRedis(env.server.url, 'producer')];
    const queues = replicas.map((c) => new Queue(QUEUE.poll, { connection: c, prefix: p.ctx.prefix }));
    const slot = new Date('2026-11-20T08:00:30.000Z');
    const ids = await Promise.all(queues.map((q) => enqueuePollSlot(q, new Date(slot.getTime() + 400))));
    expect(ids[0]).toBe(ids[1]);
    await env.rx.waitFor('the alert', (r) => r.length === 1);
    await whenPipelineQuiet(p.ctx.queues, [env.rx]); // a second poll of the slot would have run by then
    expect(slots).toEqual([slot.toISOString()]);
    expect(bodies()).toEqual([expect.objectContaining({ eventId: e.id, alertId: alertId(e.id, 'partner') })]);
    expect(env.rx.received[0].headers['webhook-id']).toBe(alertId(e.id, 'partner'));
    await Promise.all(queues.map((q) => q.close()));
    replicas.forEach((c) => c.disconnect());
  });

  it('appends every event to the history stream before any channel sees it, and keeps it when delivery fails', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('partner')] });
    const seenInHistory: boolean[] = [];
    let prefix = '';
    const checking: Channel = {
      id: 'partner',
      kind: 'webhook',
      async send(alert) {
        const h = await listHistory(env.redis, keys(prefix), 0, 100);
        seenInHistory.push(h.some((x) => x.event.id === alert.event.id));
        throw new (await import('../../../src/alerting/channel')).DeliveryError('partner', 'permanent', 'HTTP 400');
      },
    };
    const events = [makeEvent(), makeEvent({ type: 'takeoff' })];
    const p = await start(alerts, new Map([['partner', checking]]), { detector: scriptedDetector([events]) });
    prefix = p.ctx.prefix;
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await whenDeadLetters(p.ctx.queues, 2);
    expect(seenInHistory).toEqual([true, true]);
    const history = await listHistory(env.redis, keys(prefix));
    expect(history.map((h) => h.event.id).sort()).toEqual(events.map((e) => e.id).sort());
  });
});

describe('routing, repeatInterval and silences', () => {
  it('routes by event type, watch, tags and destination; unmatched events reach no channel', async () => {
    const alerts = makeAlerts({
      channels: [webhookEntry('ops'), webhookEntry('partner'), webhookEntry('china')],
      routes: [
        { match: { destinations: ['prc'] }, channels: ['china'], continue: true },
        {
          match: { events: ['landing', 'destination'], watch: ['gulfstream-v'], tags: ['removal-charter'] },
          channels: ['ops', 'partner'],
        },
        { match: { events: ['takeoff'] }, channels: ['ops'] },
      ],
    });
    const landing = makeEvent({ type: 'landing', destination: 'prc' });
    const takeoff = makeEvent({ type: 'takeoff' });
    const squawk = makeEvent({ type: 'squawk' });
    const otherWatch = makeEvent({ type: 'landing', watch: ['ice-air'], tags: ['ice'] });
    const p = await start(alerts, channelsFor('ops', 'partner', 'china'), {
      detector: scriptedDetector([[landing, takeoff, squawk, otherWatch]]),
    });
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await env.rx.waitFor('four routed alerts', (r) => r.length >= 4);
    await whenPipelineQuiet(p.ctx.queues, [env.rx]);
    const got = env.rx.received.map((r) => `${r.path} ${r.json.eventId}`).sort();
    expect(got).toEqual(
      [`/china ${landing.id}`, `/ops ${landing.id}`, `/ops ${takeoff.id}`, `/partner ${landing.id}`].sort(),
    );
    // Unrouted events are still in the history.
    expect((await listHistory(env.redis, p.ctx.keys)).map((h) => h.event.id)).toEqual(
      expect.arrayContaining([squawk.id, otherWatch.id]),
    );
  });

  it('suppresses a second alert for the same aircraft and event type within repeatInterval, per channel', async () => {
    const alerts = makeAlerts({
      channels: [webhookEntry('ops'), webhookEntry('partner')],
      routes: [
        { match: {}, channels: ['ops'], repeatInterval: '6h', continue: true },
        { match: {}, channels: ['partner'] },
      ],
    });
    const t0 = Date.parse('2026-11-20T08:00:00Z');
    const first = makeEvent({ time: new Date(t0).toISOString() });
    const again = makeEvent({ time: new Date(t0 + 2 * 3600_000).toISOString() }); // same hex + type, 2 h later
    const otherPlane = makeEvent({ hex: 'abcdef', time: new Date(t0 + 2 * 3600_000).toISOString() });
    const later = makeEvent({ time: new Date(t0 + 7 * 3600_000).toISOString() }); // beyond 6 h
    const p = await start(alerts, channelsFor('ops', 'partner'), {
      detector: scriptedDetector([[first], [again, otherPlane], [later]]),
    });
    for (let i = 0; i < 3; i++) {
      await p.ctx.queues.detect.add(
        'detect',
        { slot: new Date(t0 + i).toISOString(), now: Date.now(), matched: [] },
        { jobId: `detect-${i}` },
      );
      await env.rx.waitFor(
        `the alerts of detect job ${i} at /partner`,
        (r) => r.filter((x) => x.path === '/partner').length === [1, 3, 4][i],
      );
    }
    await whenPipelineQuiet(p.ctx.queues, [env.rx]);
    expect(
      bodies('/ops')
        .map((b) => b?.eventId)
        .sort(),
    ).toEqual([first.id, otherPlane.id, later.id].sort());
    expect(bodies('/partner')).toHaveLength(4);
    const job = await p.ctx.queues.notify.getJob(alertId(again.id, 'ops'));
    expect(job?.returnvalue).toEqual(expect.objectContaining({ outcome: 'suppressed' }));
  });

  it('holds back alerts matching a silence (hex + event type); other alerts pass', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('ops')] });
    const p = await start(alerts, channelsFor('ops'), {
      detector: scriptedDetector([
        [makeEvent({ hex: 'a1b2c3' }), makeEvent({ hex: 'a1b2c3', type: 'takeoff' }), makeEvent({ hex: '0d0d0d' })],
      ]),
    });
    const s = await addSilence(env.redis, p.ctx.keys, {
      hex: 'A1B2C3',
      event: 'landing',
      forMs: 60_000,
      comment: 'test flight',
    });
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await env.rx.waitFor('the two unsilenced alerts', (r) => r.length === 2);
    await whenPipelineQuiet(p.ctx.queues, [env.rx]);
    expect(
      bodies()
        .map((b) => `${b?.type}`)
        .sort(),
    ).toEqual(['landing', 'takeoff']);
    expect(bodies().find((b) => b?.type === 'landing')?.eventId).toMatch(/^0d0d0d-/);
    const silenced = (await p.ctx.queues.notify.getCompleted()).filter((j) => j.returnvalue?.outcome === 'silenced');
    expect(silenced).toHaveLength(1);
    expect(silenced[0].returnvalue.detail).toContain(s.id);
  });
});

describe('error taxonomy', () => {
  it('retries transient failures with backoff, then delivers once', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('ops')] });
    env.rx.respond = ({ nth }) => ({ status: nth < 3 ? 503 : 204 });
    const e = makeEvent();
    const p = await start(alerts, channelsFor('ops'), { detector: scriptedDetector([[e]]) });
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await env.rx.waitFor('a delivery answered 204', (r) => r.some((x) => x.status === 204));
    const statuses = env.rx.received.map((r) => r.status);
    expect(statuses).toEqual([503, 503, 503, 204]);
    // Backoff: the gaps grow (50 ms base doubling, jitter within [½, 1] of nominal).
    const gaps = env.rx.received.slice(1).map((r, i) => r.at - env.rx.received[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(20);
    expect(gaps[2]).toBeGreaterThanOrEqual(90);
    // Every attempt carried the same webhook-id.
    expect(new Set(env.rx.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([alertId(e.id, 'ops')]));
    await jobCompleted('the notify job', p.ctx.queues.notify, alertId(e.id, 'ops'));
  });

  it('dead-letters a permanent failure at once; dlq retry delivers it', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('ops')] });
    env.rx.respond = () => ({ status: 400 });
    const e = makeEvent();
    const p = await start(alerts, channelsFor('ops'), { detector: scriptedDetector([[e]]) });
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await whenDeadLetters(p.ctx.queues, 1);
    const [dl] = await listDeadLetters(p.ctx.queues);
    expect(dl).toEqual(
      expect.objectContaining({ queue: 'notify', id: alertId(e.id, 'ops'), channel: 'ops', attempts: 1 }),
    );
    expect(dl.reason).toContain('HTTP 400');
    expect(env.rx.received).toHaveLength(1);

    env.rx.respond = () => ({ status: 200 });
    expect(await retryDeadLetter(p.ctx.queues, dl.id)).toEqual({ id: dl.id, ok: true });
    await env.rx.waitFor('the retried dead letter', (r) => r.length === 2);
    await jobCompleted('the retried dead letter', p.ctx.queues.notify, dl.id);
    expect(await listDeadLetters(p.ctx.queues)).toEqual([]);
    expect(await retryDeadLetter(p.ctx.queues, dl.id)).toEqual({
      id: dl.id,
      ok: false,
      reason: 'job is completed, not a dead letter',
    });
  });

  it('dead-letters transient failures once the retry horizon has passed', async () => {
    const alerts = makeAlerts({
      channels: [webhookEntry('ops')],
      retry: { horizon: '1s', backoffBase: '100ms', backoffMax: '300ms' },
    });
    env.rx.respond = () => ({ status: 502 });
    const p = await start(alerts, channelsFor('ops'), { detector: scriptedDetector([[makeEvent()]]) });
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await whenDeadLetters(p.ctx.queues, 1);
    const span = env.rx.received[env.rx.received.length - 1].at - env.rx.received[0].at;
    expect(env.rx.received.length).toBeGreaterThanOrEqual(3);
    expect(span).toBeLessThanOrEqual(1500); // last try scheduled within the 1 s horizon (+ slack for a loaded CI machine)
  });

  it('waits Retry-After on 429 without spending an attempt', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('ops')] });
    env.rx.respond = ({ nth }) => (nth === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 });
    const e = makeEvent();
    const p = await start(alerts, channelsFor('ops'), { detector: scriptedDetector([[e]]) });
    await p.ctx.queues.detect.add('detect', { slot: new Date().toISOString(), now: Date.now(), matched: [] });
    await env.rx.waitFor('the attempt after Retry-After', (r) => r.length === 2);
    expect(env.rx.received[1].at - env.rx.received[0].at).toBeGreaterThanOrEqual(950);
    await jobCompleted('the notify job', p.ctx.queues.notify, alertId(e.id, 'ops'));
    const done = await p.ctx.queues.notify.getJob(alertId(e.id, 'ops'));
    expect(done!.attemptsMade).toBe(1);
  });

  it('raiseOperational: every enabled channel but a disabled or excepted one, past silences and routes, once', async () => {
    // Routes that match no operational alert: operational alerts do not go through alerts.routes.
    const alerts = makeAlerts({
      channels: [webhookEntry('a'), webhookEntry('b'), webhookEntry('c'), webhookEntry('d')],
      routes: [{ match: { events: ['landing'] }, channels: ['a'], repeatInterval: '1h' }],
    });
    const p = await start(alerts, channelsFor('a', 'b', 'c', 'd'));
    await disableChannel(env.redis, p.ctx.keys, 'c', 'HTTP 410 Gone');
    // Silences that would hold back a flight alert of any kind: none applies to operational alerts.
    await addSilence(env.redis, p.ctx.keys, { event: 'operational', forMs: 60_000 });
    await addSilence(env.redis, p.ctx.keys, { hex: '000000', forMs: 60_000 });
    const input = {
      kind: 'blind' as const,
      summary: 'No ADS-B source has returned data.',
      details: { since: '2026-11-27T18:00:00.000Z' },
      subject: 'watcher',
      at: '2026-11-27T18:00:00.000Z',
      exceptChannel: 'd',
    };
    const raised = await raiseOperational(p.ctx, input);
    expect(raised.channels).toEqual(['a', 'b']);
    await env.rx.waitFor('the operational alert on a and b', (r) => r.length === 2);
    expect(env.rx.received.map((r) => r.path).sort()).toEqual(['/a', '/b']);
    for (const r of env.rx.received) {
      expect(r.json).toMatchObject({
        type: 'operational',
        operational: true,
        event: {
          type: 'operational',
          source: 'flightwatch',
          details: { operational: { kind: 'blind', summary: input.summary } },
        },
      });
      expect(r.json?.event).not.toHaveProperty('aircraft');
    }
    // Raising the same incident again (another replica, a re-run) delivers nothing new.
    expect((await raiseOperational(p.ctx, input)).jobIds).toEqual(raised.jobIds);
    await whenPipelineQuiet(p.ctx.queues, [env.rx]);
    expect(env.rx.received).toHaveLength(2);
  });

  it('disables a channel on 410, raises an operational alert through the others, and dead-letters its alerts', async () => {
    const alerts = makeAlerts({ channels: [webhookEntry('partner'), webhookEntry('ops'), webhookEntry('backup')] });
    env.rx.respond = ({ path }) => ({ status: path === '/partner' ? 410 : 204 });
    const e1 = makeEvent();
    const e2 = makeEvent({ type: 'takeoff' });
    const p = await start(alerts, channelsFor('partner', 'ops', 'backup'), {
      detector: scriptedDetector([[e1], [e2]]),
    });
    await p.ctx.queues.detect.add(
      'detect',
      { slot: new Date().toISOString(), now: Date.now(), matched: [] },
      { jobId: 'd1' },
    );
    await env.rx.waitFor(
      'the channel-disabled alert on ops and backup',
      (r) => r.filter((x) => x.json?.operational).length === 2,
    );
    expect((await listDisabledChannels(env.redis, p.ctx.keys)).map((d) => d.channelId)).toEqual(['partner']);
    const ops = env.rx.received.filter((x) => x.json?.operational);
    expect(ops.map((x) => x.path).sort()).toEqual(['/backup', '/ops']);
    // The operational shape: its own event type, kind + summary + facts, no aircraft semantics.
    for (const op of ops) {
      expect(op.json?.type).toBe('operational');
      expect(op.json?.event).toEqual({
        schema: 'flightwatch.event/v1',
        id: expect.stringMatching(/^op_/),
        type: 'operational',
        time: expect.any(String),
        source: 'flightwatch',
        details: {
          operational: {
            kind: 'channel-disabled',
            summary: expect.stringContaining('Channel partner is disabled'),
            channelId: 'partner',
            reason: expect.stringContaining('410'),
            disabledAt: op.json?.event.time,
            eventId: e1.id,
          },
        },
      });
    }
    expect(ops[0].json?.eventId).toBe(ops[1].json?.eventId);

    // Later alerts for the disabled channel are not sent to it; they wait as dead letters.
    await p.ctx.queues.detect.add(
      'detect',
      { slot: new Date().toISOString(), now: Date.now(), matched: [] },
      { jobId: 'd2' },
    );
    await whenDeadLetters(p.ctx.queues, 2);
    await whenPipelineQuiet(p.ctx.queues, [env.rx]);
    expect(env.rx.received.filter((x) => x.path === '/partner')).toHaveLength(1);
    expect(env.rx.received.filter((x) => x.json?.operational)).toHaveLength(2); // raised once
    expect((await listDeadLetters(p.ctx.queues)).map((d) => d.reason).join('\n')).toContain('disabled');
  });
});
