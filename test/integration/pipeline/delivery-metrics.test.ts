/**
 * The delivery counters the worker exports, read from the Prometheus registry, with a real redis-server, the
 * Redis track store and its detection outbox, real BullMQ workers and a real HTTP receiver. The pipeline is
 * wired to the metrics the way the worker does it (`observer: deliveryObserver(metrics)`).
 *
 *  - flightwatch_events_total counts each event once, when it enters the history: the events of a detect
 *    batch that failed half-way (delivered by the outbox drain) count, and events drained twice, drained
 *    concurrently or detected again do not count twice.
 *  - flightwatch_operational_alerts_total counts every operational kind, channel-disabled included, once per
 *    incident however many alerts find the channel gone.
 */
import { httpPostChannel } from '../../helpers/http-post-channel';
import { jobCompleted, whenQueues } from '../../helpers/wait';
import { useDeliverTestEnv } from './support/env';
import { whenDeadLetters } from './support/waits';
import { makeAlerts, makeEvent, uniquePrefix, webhookEntry } from './support/fixtures';
import { FLEET, FLEET_EVENTS, fleetBatch, fleetDetector } from './support/fleet';
import { startPipeline, type Pipeline } from '../../../src/pipeline/pipeline';
import { drainDetections } from '../../../src/pipeline/drain-detections';
import { fanOut } from '../../../src/pipeline/fan-out';
import { raiseOperational } from '../../../src/pipeline/operational';
import { detectJobId } from '../../../src/pipeline/jobs';
import { createMetrics, deliveryObserver, type Metrics } from '../../../src/observability/metrics';
import { SourceFreshness } from '../../../src/observability/freshness';
import type { RedisTrackStore } from '../../../src/detect';
import type { AlertsConfig } from '../../../src/config/alerts-schema';
import type { Channel } from '../../../src/alerting/channel';

const env = useDeliverTestEnv();

const newMetrics = () =>
  createMetrics({ sources: () => [], queues: () => undefined, freshness: new SourceFreshness(Date.now()) });

/** Current value of a counter series; 0 when the series does not exist. */
async function value(m: Metrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = m.registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const series = (await metric.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return series?.value ?? 0;
}

const events = async (m: Metrics) => ({
  seen: await value(m, 'flightwatch_events_total', { type: 'seen' }),
  takeoff: await value(m, 'flightwatch_events_total', { type: 'takeoff' }),
});

const channelsFor = (...ids: string[]) =>
  new Map<string, Channel>(ids.map((id) => [id, httpPostChannel(id, `${env.rx.url}/${id}`)]));

async function start(o: {
  alerts: AlertsConfig;
  channels: Map<string, Channel>;
  metrics: Metrics;
  prefix?: string;
  withFleet?: boolean;
}): Promise<{ p: Pipeline; store?: RedisTrackStore }> {
  const prefix = o.prefix ?? uniquePrefix('metrics');
  const detector = o.withFleet ? fleetDetector(env.redis, `${prefix}:`) : undefined;
  const store = detector?.store as RedisTrackStore | undefined;
  const p = await startPipeline({
    alerts: o.alerts,
    connection: env.redis,
    channels: o.channels,
    prefix,
    detector,
    outbox: store?.outbox,
    observer: deliveryObserver(o.metrics),
  });
  env.open.push({ close: () => p.close(3000) });
  return { p, store };
}

const batch = fleetBatch();
const slot = new Date(batch.now).toISOString();

describe('flightwatch_events_total', () => {
  it('counts the events a failed detect batch saved (delivered by the outbox drain), and each event once after the retry', async () => {
    const m = newMetrics();
    const prefix = uniquePrefix('metrics-fail');
    const victim = FLEET[1][0];
    await env.redis.hset(`${prefix}:track:${victim}`, 'v', 'garbage'); // this aircraft's state write fails in Redis
    const { p } = await start({
      alerts: makeAlerts({ channels: [webhookEntry('partner')] }),
      channels: channelsFor('partner'),
      metrics: m,
      prefix,
      withFleet: true,
    });
    await p.ctx.queues.detect.add(
      'detect',
      { slot, now: batch.now, matched: batch.matched },
      { jobId: detectJobId(slot) },
    );

    await env.rx.waitFor('the events of the saved aircraft', (r) => r.length === FLEET_EVENTS - 2, {
      timeoutMs: 20_000,
    });
    const job = await p.ctx.queues.detect.getJob(detectJobId(slot));
    expect(job?.failedReason).toMatch(/track version garbage is not a number/);
    // The batch failed, yet the three aircraft it saved were delivered: their events are counted.
    expect(await events(m)).toEqual({ seen: 3, takeoff: 3 });

    await env.redis.del(`${prefix}:track:${victim}`); // repaired: the retry saves the victim too
    await jobCompleted('the repaired detect job', p.ctx.queues.detect, detectJobId(slot), { timeoutMs: 30_000 });
    await env.rx.waitFor('every event', (r) => r.length === FLEET_EVENTS);
    expect(await events(m)).toEqual({ seen: 4, takeoff: 4 });
  }, 60_000);

  it('counts once when the normal path and a second drain (concurrent or later) both see the events, and not again on re-detection', async () => {
    const m = newMetrics();
    const { p, store } = await start({
      alerts: makeAlerts({ channels: [webhookEntry('partner')] }),
      channels: channelsFor('partner'),
      metrics: m,
      withFleet: true,
    });
    await p.ctx.queues.detect.add(
      'detect',
      { slot, now: batch.now, matched: batch.matched },
      { jobId: detectJobId(slot) },
    );
    await env.rx.waitFor('every event', (r) => r.length === FLEET_EVENTS, { timeoutMs: 20_000 });
    await whenQueues(
      'the detect job result',
      [p.ctx.queues.detect],
      async () => (await p.ctx.queues.detect.getJob(detectJobId(slot)))?.returnvalue !== undefined,
      { timeoutMs: 30_000 },
    );
    expect(await events(m)).toEqual({ seen: 4, takeoff: 4 });

    // Entries a crash left in the outbox after fan-out: two drains at once (worker start + a detect job).
    const outbox = store!.outbox!;
    const leftover = makeEvent({ hex: 'c0ffee', type: 'landing' });
    await env.redis.xadd(outbox.key, '*', 'id', leftover.id, 'event', JSON.stringify(leftover));
    await env.redis.xadd(outbox.key, '*', 'id', leftover.id, 'event', JSON.stringify(leftover)); // and a duplicate entry
    const drained = await Promise.all([drainDetections(p.ctx, outbox), drainDetections(p.ctx, outbox)]);
    expect(drained.reduce((n, d) => n + d.events, 0)).toBeGreaterThanOrEqual(2);
    // The same events fanned out again (a replayed detect job).
    await fanOut(p.ctx, [leftover]);
    expect(await value(m, 'flightwatch_events_total', { type: 'landing' })).toBe(1);
    expect(await events(m)).toEqual({ seen: 4, takeoff: 4 });
  }, 60_000);
});

describe('flightwatch_operational_alerts_total', () => {
  it('counts channel-disabled once however many alerts find the receiver gone, and blind/recovered by kind', async () => {
    const m = newMetrics();
    env.rx.respond = ({ path }) => ({ status: path === '/partner' ? 410 : 204 });
    const { p } = await start({
      alerts: makeAlerts({ channels: [webhookEntry('partner'), webhookEntry('ops'), webhookEntry('backup')] }),
      channels: channelsFor('partner', 'ops', 'backup'),
      metrics: m,
    });
    // Three alerts for the partner channel at once: each gets 410 or finds the channel already disabled.
    await fanOut(p.ctx, [makeEvent(), makeEvent({ type: 'takeoff' }), makeEvent({ hex: '0d0d0d' })]);
    await whenDeadLetters(p.ctx.queues, 3, { timeoutMs: 30_000 });
    await env.rx.waitFor('the channel-disabled alert', (r) => r.filter((x) => x.json?.operational).length === 2); // to ops and backup
    expect(await value(m, 'flightwatch_operational_alerts_total', { kind: 'channel-disabled' })).toBe(1);

    const watcher = {
      summary: 'No ADS-B source has returned data.',
      subject: 'watcher',
      at: '2026-11-27T18:00:00.000Z',
    };
    await raiseOperational(p.ctx, { kind: 'blind', ...watcher });
    await raiseOperational(p.ctx, { kind: 'recovered', ...watcher, summary: 'Data flows again.' });
    expect(await value(m, 'flightwatch_operational_alerts_total', { kind: 'blind' })).toBe(1);
    expect(await value(m, 'flightwatch_operational_alerts_total', { kind: 'recovered' })).toBe(1);
    expect(await value(m, 'flightwatch_operational_alerts_total', { kind: 'channel-disabled' })).toBe(1);
  }, 30_000);
});
