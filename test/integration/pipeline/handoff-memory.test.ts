/**
 * What the live path holds while it waits on Redis (issue 17, worker memory), on a real redis-server with the
 * Redis track store: the poll step lets go of the parsed batch before its write (which shares the connection
 * with the detect step's store traffic and can wait behind it), and the detect step lets go of its events and
 * batch before the outbox drain (at a cold start, one event per aircraft while every notify job is queued).
 * Each test holds the call at a gate (the test's seam on a real client) while it collects garbage.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Job } from 'bullmq';
import { useDeliverTestEnv } from './support/env';
import { makeAlerts, uniquePrefix } from './support/fixtures';
import { FLEET_EVENTS, fleetBatch, fleetDetector } from './support/fleet';
import { createRedis } from '../../../src/pipeline/connection';
import { createContext } from '../../../src/pipeline/context';
import { pollProcessor } from '../../../src/pipeline/processors/poll';
import { detectProcessor } from '../../../src/pipeline/processors/detect';
import { stashPositions } from '../../../src/pipeline/positions';
import type { DetectJobData, PollJobData } from '../../../src/pipeline/jobs';
import type { RedisTrackStore } from '../../../src/detect';
import type { Detector } from '../../../src/detect/types';
import { silentLogger } from '../../../src/util/log';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const env = useDeliverTestEnv();

/** Whether the WeakRef's target was collected by a full collection run now. */
async function collected(ref: WeakRef<object> | undefined): Promise<boolean> {
  expect(ref).toBeDefined();
  // A WeakRef keeps its target alive until the end of the task that created or read it.
  await new Promise(setImmediate);
  gc();
  return ref?.deref() === undefined;
}

/** A gate, and a promise for the first call that reached it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((r) => (open = r));
  let entered = () => {};
  const reached = new Promise<void>((r) => (entered = r));
  const pass = async () => {
    entered();
    await opened;
  };
  return { open, reached, pass };
}

function context(prefix: string) {
  const redis = createRedis(env.server.url, 'producer');
  env.open.push({ close: () => Promise.resolve(redis.disconnect()) });
  const ctx = createContext({ alerts: makeAlerts({}), redis, prefix, channels: new Map(), log: silentLogger });
  env.open.push({ close: () => ctx.queues.close() });
  return ctx;
}

it('the poll step holds no parsed batch while it waits on its Redis write', async () => {
  const ctx = context(uniquePrefix('poll-release'));
  const g = gate();
  const multi = ctx.redis.multi.bind(ctx.redis);
  ctx.redis.multi = ((...a: Parameters<typeof multi>) => {
    const m = multi(...a);
    const exec = m.exec.bind(m);
    m.exec = async () => (await g.pass(), exec());
    return m;
  }) as typeof ctx.redis.multi;
  const { now, matched: all } = fleetBatch();
  // The batch the poll step gets is made in its ingest call: nothing in this test holds it.
  let batch: WeakRef<object> | undefined;
  const pollOnce = () => {
    const b = fleetBatch();
    batch = new WeakRef(b.matched);
    return Promise.resolve(b);
  };
  const run = pollProcessor(ctx, pollOnce)({ data: { slot: new Date(now).toISOString() } } as Job<PollJobData>);
  await g.reached;
  expect(await collected(batch)).toBe(true);

  g.open();
  await expect(run).resolves.toEqual({ matched: all.length });
  // What was written is the whole batch: the time, then the aircraft in pieces.
  const pieces = await ctx.redis.lrange(ctx.keys.positions(now), 0, -1);
  expect(pieces.slice(1).flatMap((p) => JSON.parse(p) as unknown[])).toHaveLength(all.length);
}, 20_000);

it('the detect step holds neither its events nor its batch while it drains the outbox', async () => {
  const prefix = uniquePrefix('detect-release');
  const ctx = context(prefix);
  const { now, matched } = fleetBatch();
  await stashPositions(ctx.redis, ctx.keys, { slotMs: now, now, matched }, { ttlMs: 60_000, maxPendingSlots: 12 });
  const real = fleetDetector(ctx.redis, `${prefix}:`);
  let events: WeakRef<object> | undefined;
  let batch: WeakRef<object> | undefined;
  const detector: Detector = {
    process: async (b, at) => {
      batch = new WeakRef(b);
      const out = await real.process(b, at);
      events = new WeakRef(out);
      return out;
    },
  };
  const outbox = (real.store as RedisTrackStore).outbox;
  if (!outbox) throw new Error('the Redis track store has no outbox');
  const g = gate();
  const pending = outbox.pending.bind(outbox);
  outbox.pending = async (...a) => (await g.pass(), pending(...a));
  const run = detectProcessor(
    ctx,
    detector,
    outbox,
  )({ data: { slot: new Date(now).toISOString() } } as Job<DetectJobData>);
  await g.reached;
  expect(await collected(events)).toBe(true);
  expect(await collected(batch)).toBe(true);

  g.open();
  await expect(run).resolves.toMatchObject({
    events: FLEET_EVENTS,
    drained: FLEET_EVENTS,
    positions: matched.length,
    slots: 1,
  });
}, 30_000);
