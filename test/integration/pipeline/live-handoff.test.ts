/**
 * The poll → detect handoff by reference (issue 17) on a real redis-server with real BullMQ workers and an HTTP
 * receiver: positions wait in a key with a TTL and survive a worker restart, expire when nobody detects them,
 * are merged (newest position wins) when detection is behind — with one operational alert — and what the live
 * path keeps in Redis is bounded (waiting slots, completed jobs, positions keys, the outbox stream).
 */
import { httpPostChannel } from '../../helpers/http-post-channel';
import { jobCompleted, until, whenQueuesIdle } from '../../helpers/wait';
import { useDeliverTestEnv } from './support/env';
import { makeAlerts, uniquePrefix, webhookEntry } from './support/fixtures';
import { FLEET, FLEET_EVENTS, fleetBatch, fleetDetector } from './support/fleet';
import { keys } from '../../../src/alerting/keys';
import { startPipeline, type Pipeline, type PipelineOptions } from '../../../src/pipeline/pipeline';
import { detectJobId, pollJobId } from '../../../src/pipeline/jobs';
import { enqueuePollSlot } from '../../../src/pipeline/trigger';
import { stashPositions, takePositions } from '../../../src/pipeline/positions';
import { silentLogger } from '../../../src/util/log';
import { pipelineSchema } from '../../../src/config/pipeline-schema';
import { outboxKey, type RedisTrackStore } from '../../../src/detect';
import type { MatchedAircraft } from '../../../src/domain/watchlist';

const alerts = makeAlerts({ channels: [webhookEntry('partner')] });
const FAST = { lockDuration: 1500, stalledInterval: 500, maxStalledCount: 5 };
const env = useDeliverTestEnv();

async function start(prefix: string, o: Partial<PipelineOptions> & { detect?: boolean } = {}): Promise<Pipeline> {
  const detector = o.detect === false ? undefined : fleetDetector(env.redis, `${prefix}:`);
  const p = await startPipeline({
    alerts,
    connection: env.redis,
    channels: new Map([['partner', httpPostChannel('partner', `${env.rx.url}/partner`)]]),
    detector,
    outbox: (detector?.store as RedisTrackStore | undefined)?.outbox,
    prefix,
    workerOptions: FAST,
    ...o,
  });
  env.open.push({ close: () => p.close(3000) });
  return p;
}

const hexesReceived = () => new Set(env.rx.received.map((r) => r.json?.event?.aircraft?.hex as string | undefined));

describe('poll → detect handoff by reference', () => {
  it('the detect job carries only the slot; positions wait in a key with a TTL and survive a worker restart', async () => {
    const prefix = uniquePrefix('byref');
    const k = keys(prefix);
    const batch = fleetBatch();
    const pipeline = { ...pipelineSchema.parse({}), positionsTtl: 60_000 };
    // A worker that only polls (detection down), then goes away.
    const poller = await start(prefix, { detect: false, pollOnce: () => Promise.resolve(batch), pipeline });
    const slot = new Date(batch.now);
    await enqueuePollSlot(poller.ctx.queues.poll, slot);
    await jobCompleted('the poll job', poller.ctx.queues.poll, pollJobId(slot));
    const detectJob = await poller.ctx.queues.detect.getJob(detectJobId(slot));
    expect(detectJob?.data).toEqual({ slot: slot.toISOString(), count: batch.matched.length });
    const ttl = await env.redis.pttl(k.positions(slot.getTime()));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await env.open.pop()!.close(3000);

    // A new worker process (new detector, same Redis) detects the stored slot and frees it.
    const worker = await start(prefix, { pipeline });
    const done = await jobCompleted('the detect job', worker.ctx.queues.detect, detectJobId(slot));
    expect(done.returnvalue).toMatchObject({ events: FLEET_EVENTS, positions: batch.matched.length, slots: 1 });
    await env.rx.waitFor('every event of the fleet', (r) => r.length >= FLEET_EVENTS);
    expect(hexesReceived()).toEqual(new Set(FLEET.map((f) => f[0])));
    expect(await env.redis.exists(k.positions(slot.getTime()))).toBe(0);
    expect(await env.redis.zcard(k.positionsPending)).toBe(0);
  }, 40_000);

  it('a slot reads back as it was stored, equal flags and watch hits shared between aircraft', async () => {
    const k = keys(uniquePrefix('share'));
    const { now, matched } = fleetBatch();
    // Separate but equal objects per aircraft, as JSON.parse makes them; one aircraft with a hit of its own.
    const stored = matched.map((a, i) => ({
      ...a,
      flags: { ...a.flags },
      watch: i === 0 ? { ids: ['other'], tags: [] } : { ids: [...a.watch.ids], tags: [...a.watch.tags] },
    }));
    await stashPositions(env.redis, k, { slotMs: now, now, matched: stored }, { ttlMs: 60_000, maxPendingSlots: 12 });
    const taken = await takePositions(env.redis, k, now, silentLogger);
    expect(taken?.matched).toEqual(stored);
    const [first, ...others] = taken!.matched;
    expect(new Set(others.map((a) => a.watch)).size).toBe(1);
    expect(new Set(taken!.matched.map((a) => a.flags)).size).toBe(1);
    expect(first.watch).toEqual({ ids: ['other'], tags: [] });
  });

  it('positions nobody detected expire by their TTL; the late detect job completes with nothing to do', async () => {
    const prefix = uniquePrefix('ttl');
    const k = keys(prefix);
    const batch = fleetBatch();
    const pipeline = { ...pipelineSchema.parse({}), positionsTtl: 400 };
    const poller = await start(prefix, { detect: false, pollOnce: () => Promise.resolve(batch), pipeline });
    const slot = new Date(batch.now);
    await enqueuePollSlot(poller.ctx.queues.poll, slot);
    await jobCompleted('the poll job', poller.ctx.queues.poll, pollJobId(slot));
    await until('the positions key to expire', async () => (await env.redis.exists(k.positions(slot.getTime()))) === 0);
    await env.open.pop()!.close(3000);

    const worker = await start(prefix, { pipeline });
    const done = await jobCompleted('the late detect job', worker.ctx.queues.detect, detectJobId(slot));
    expect(done.returnvalue).toMatchObject({ events: 0, coalesced: true });
    expect(await env.redis.zcard(k.positionsPending)).toBe(0);
    expect(env.rx.received).toHaveLength(0);
  }, 30_000);

  it('detection behind: one run takes every waiting slot, the newest position wins, one operational alert', async () => {
    const prefix = uniquePrefix('coalesce');
    const k = keys(prefix);
    const { now, matched } = fleetBatch();
    const [onlyOld, ...rest] = FLEET.map((f) => f[0]);
    const newestOf = (hex: string) => matched.filter((a) => a.hex === hex).at(-1)!;
    // Three slots 5 s apart: the first has one aircraft's early positions only; the last the newest of all.
    const slots = [now - 10_000, now - 5000, now];
    const positions: MatchedAircraft[][] = [
      matched.filter((a) => a.hex === onlyOld),
      rest.map((h) => ({ ...newestOf(h), observedAt: now - 5000 - 1, lat: 0, lon: 0 })),
      rest.map(newestOf),
    ];
    const cfg = pipelineSchema.parse({});
    for (const [i, slotMs] of slots.entries())
      await stashPositions(
        env.redis,
        k,
        { slotMs, now: slotMs, matched: positions[i] },
        { ttlMs: 600_000, maxPendingSlots: 12 },
      );
    const worker = await start(prefix, { pipeline: cfg });
    const q = worker.ctx.queues.detect;
    for (const slotMs of slots)
      await q.add('detect', { slot: new Date(slotMs).toISOString() }, { jobId: detectJobId(new Date(slotMs)) });

    const first = await jobCompleted('the first detect job', q, detectJobId(new Date(slots[0])));
    // The first slot's aircraft with all its positions; the others once, from the newest slot (not the second).
    expect(first.returnvalue).toMatchObject({ slots: 3, positions: positions[0].length + rest.length });
    for (const slotMs of slots.slice(1))
      expect((await jobCompleted('a coalesced job', q, detectJobId(new Date(slotMs)))).returnvalue).toMatchObject({
        coalesced: true,
        events: 0,
      });
    // The newest positions won: each aircraft's track was last heard at its newest observation.
    const store = fleetDetector(env.redis, `${prefix}:`).store;
    for (const hex of rest) expect((await store.get(hex))?.heardAt).toBe(newestOf(hex).observedAt);
    expect((await store.get(onlyOld))?.heardAt).toBe(newestOf(onlyOld).observedAt);

    await env.rx.waitFor('the operational alert', (r) => r.some((x) => x.json?.event?.type === 'operational'));
    await whenQueuesIdle('delivery', [q, worker.ctx.queues.notify]);
    const ops = env.rx.received.filter((r) => r.json?.event?.type === 'operational');
    expect(ops).toHaveLength(1);
    expect(ops[0].json.event.details.operational).toMatchObject({
      kind: 'detection-behind',
      coalescedSlots: 2,
      since: new Date(slots[0]).toISOString(),
    });
    expect(await env.redis.get(k.detectionBehind)).toBe(new Date(slots[0]).toISOString());
    expect(await env.redis.zcard(k.positionsPending)).toBe(0);
  }, 40_000);
});

describe('what the live path keeps in Redis is bounded', () => {
  it('waiting slots beyond maxPendingSlots are dropped, oldest first, with their keys', async () => {
    const k = keys(uniquePrefix('pending'));
    const { matched } = fleetBatch();
    const dropped: number[] = [];
    for (let i = 0; i < 5; i++)
      dropped.push(
        ...(await stashPositions(
          env.redis,
          k,
          { slotMs: 1000 * i, now: 1000 * i, matched },
          { ttlMs: 600_000, maxPendingSlots: 3 },
        )),
      );
    expect(dropped).toEqual([0, 1000]);
    expect(await env.redis.zrange(k.positionsPending, 0, -1)).toEqual(['2000', '3000', '4000']);
    expect(await env.redis.exists(k.positions(0), k.positions(1000))).toBe(0);
    expect(await env.redis.exists(k.positions(4000))).toBe(1);
  });

  it('completed poll and detect jobs are removed beyond keepCompleted; positions and outbox are emptied', async () => {
    const prefix = uniquePrefix('retention');
    const pipeline = { ...pipelineSchema.parse({}), keepCompleted: { age: 3_600_000, count: 10 } };
    const { now, matched } = fleetBatch();
    const p = await start(prefix, { pipeline, pollOnce: (slot) => Promise.resolve({ now: slot.getTime(), matched }) });
    const slots = Array.from({ length: 14 }, (_, i) => new Date(now + i * 5000));
    for (const s of slots) {
      await enqueuePollSlot(p.ctx.queues.poll, s);
      await jobCompleted('a detect job', p.ctx.queues.detect, detectJobId(s), { timeoutMs: 20_000 });
    }
    await whenQueuesIdle('the live path', [p.ctx.queues.poll, p.ctx.queues.detect, p.ctx.queues.notify]);
    expect(await p.ctx.queues.poll.getCompletedCount()).toBeLessThanOrEqual(10);
    expect(await p.ctx.queues.detect.getCompletedCount()).toBeLessThanOrEqual(10);
    expect(await env.redis.keys(`${prefix}:positions:*`)).toEqual([]);
    expect(await env.redis.xlen(outboxKey(`${prefix}:`))).toBe(0);
  }, 90_000);
});
