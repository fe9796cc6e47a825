/**
 * Fault: three real `flightwatch worker` processes on one Redis (a redis-server of the test), the way a
 * deployment scales out; one is SIGKILLed in the middle of a burst of alerts while every replica holds
 * deliveries in flight to a slow receiver (2 s per answer, 2 deliveries at a time per worker).
 *
 * The source is a local readsb receiver serving 8 charter hops frame by frame (one frame per request, so the
 * flights only move while some replica polls), all aircraft in step: their `seen`, `takeoff` and `landing`
 * alerts come in bursts of 16 (8 aircraft × 2 signed webhook channels).
 *
 * Expected: every poll slot ran once (the slots form an unbroken run of seconds, one completed poll job each,
 * and the source was asked once per slot, plus at most one re-run of a poll the victim held); every alert
 * arrived on each channel under exactly one webhook-id, nothing lost, nothing else, no dead letter; and the
 * jobs the victim held ran again on the survivors within 15 s of the kill (queue.lockDuration +
 * stalledInterval, 8 s + 4 s by default), measured from the kill to each held job's new start (processedOn).
 */
import type { Job } from 'bullmq';
import { whenEvent, whenQueuesIdle } from '../helpers/wait';
import { charterFrames } from './support/charter-flights';
import { charterAlerts, type CharterHook } from './support/charter-alerts';
import { printSummary } from './support/summary';
import { workerRig } from './support/worker-rig';

const REPLICAS = 3;
const CHANNELS = ['ops', 'partner'];
const RECEIVER_DELAY_MS = 2000;
const RECOVERY_TARGET_MS = 15_000;

const rig = workerRig('replicas', { redis: ['--appendonly', 'yes'] });

it(`${REPLICAS} worker replicas on one Redis, one SIGKILLed mid-burst: every slot polled once, every alert once per channel, held jobs resume within 15 s`, async () => {
  const t0 = Date.now();
  const { flights, frames } = charterFrames({ stagger: 0 });
  // Nothing in the air until every replica runs (the first would otherwise fly it all alone).
  const feed = rig.serveFrames(frames, { stamp: 'virtual', held: true });
  const { hook, workers, redis } = rig;
  hook.setDefault({ status: 204, delayMs: RECEIVER_DELAY_MS });
  rig.writeConfig({ hexes: flights.map((f) => f.hex), channels: CHANNELS, channelTimeoutMs: 10_000, concurrency: 2 });
  const env = rig.env({ REDIS_URL: redis.url, FLIGHTWATCH_REDIS: 'external' });

  // One after the other: three TypeScript loads at once on a busy host take long.
  for (let i = 0; i < REPLICAS; i++) await rig.startWorker(`replica ${i + 1} started`, env);
  feed.fly();

  const alerts = charterAlerts(flights, CHANNELS);
  const { expected } = alerts;
  const deliveredKeys = () => alerts.deliveredKeys(hook.requests);

  const queues = rig.queuesOn(redis.url);
  try {
    // Mid-burst: the first wave of the takeoff burst has reached the receiver and is still being answered,
    // so every replica holds deliveries (2 each) when the victim dies.
    const seenBurst = flights.length * CHANNELS.length;
    await hook.waitFor(
      'the takeoff burst under way at the receiver',
      (reqs) =>
        reqs.filter((r) => (r.payload as CharterHook | undefined)?.event.type === 'takeoff').length >= REPLICAS * 2 &&
        deliveredKeys() >= seenBurst,
      { timeoutMs: 120_000 },
    );
    const victim = workers[1];
    const killedAt = Date.now();
    await rig.killGroup(victim);
    // What was running anywhere at the kill; the victim's share of it stays active until the stall check.
    const held = (
      await Promise.all([queues.poll.getActive(), queues.detect.getActive(), queues.notify.getActive()])
    ).flat();
    const deliveredAtKill = deliveredKeys();
    expect(deliveredAtKill).toBeLessThan(expected.size);

    await whenEvent('every frame flown', rig.rx.events, 'responded', () => feed.served() >= frames.length + 3, {
      timeoutMs: 120_000,
    });
    await hook.waitFor('every expected alert at the receiver', () => deliveredKeys() >= expected.size, {
      timeoutMs: 120_000,
    });
    await whenQueuesIdle('notify and detect queues settled', [queues.notify, queues.detect], { timeoutMs: 60_000 });
    const settledAfterKillMs = Date.now() - killedAt;

    // The held jobs, read again: those the stall check moved back (stalledCounter) were the victim's.
    const again = await Promise.all(
      held.map(async (j) => (await queues[j.queueName as 'poll' | 'detect' | 'notify'].getJob(j.id!)) as Job),
    );
    const resumed = again.filter((j) => j && j.stalledCounter > 0);
    expect(resumed.length).toBeGreaterThan(0);
    const resumeMs = resumed.map((j) => j.processedOn! - killedAt);
    const recoveryMs = Math.max(...resumeMs);
    expect(Math.min(...resumeMs)).toBeGreaterThan(0);
    expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_TARGET_MS);
    for (const j of resumed) expect(await j.getState()).toBe('completed');

    // Every poll slot ran once: one completed job per second from the first slot to the last, none failed,
    // and one source request per slot (a poll the victim held may have asked once more when it re-ran). The
    // survivors keep polling meanwhile, so each bound is read in an order no slot can slip through: the
    // requests made so far all belong to jobs completed or active after them (read in one snapshot: BullMQ
    // reads the ranges in one script); every job completed so far asked before the count read after it.
    const requestsBefore = feed.served() + feed.idle();
    const started = (await queues.poll.getJobs(['completed', 'active'], 0, -1)).length;
    const polls = await queues.poll.getJobs(['completed'], 0, -1);
    const requests = feed.served() + feed.idle();
    const slots = polls.map((j) => new Date(j.data.slot).getTime()).sort((a, b) => a - b);
    const gaps = slots.slice(1).filter((s, i) => s - slots[i] !== 1000);
    expect(gaps).toEqual([]);
    expect(new Set(slots).size).toBe(slots.length);
    expect(await queues.poll.getJobCounts('failed', 'wait', 'delayed')).toEqual({ failed: 0, wait: 0, delayed: 0 });
    const pollReruns = resumed.filter((j) => j.queueName === 'poll').length;
    expect(requests).toBeGreaterThanOrEqual(slots.length);
    // A slot enqueued after the last completed one may be running: it has asked the source too.
    expect(requestsBefore).toBeLessThanOrEqual(started + pollReruns);

    const notifyCounts = await queues.notify.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed');
    expect(notifyCounts).toMatchObject({ failed: 0, wait: 0, active: 0, delayed: 0 });
    expect((await queues.detect.getJobCounts('failed')).failed).toBe(0);

    // Every alert once per channel, by webhook-id; a repeat (the victim's delivery in flight) is the same alert.
    const tally = alerts.check(hook.requests);

    for (const w of workers.filter((x) => x !== victim)) {
      w.child.kill('SIGTERM');
      expect((await w.exited).code).toBe(0);
    }

    printSummary({
      scenario: 'worker-replicas-3-one-sigkilled',
      ...tally,
      durationMs: Date.now() - t0,
      replicas: REPLICAS,
      receiverDelayMs: RECEIVER_DELAY_MS,
      deliveredAtKill,
      heldAtKill: held.length,
      resumedAfterKill: resumed.length,
      resumedQueues: [...new Set(resumed.map((j) => j.queueName))],
      recoveryMs,
      recoveryTargetMs: RECOVERY_TARGET_MS,
      settledAfterKillMs,
      pollSlots: slots.length,
      sourceRequests: requests,
      pollReruns,
      notifyCompleted: notifyCounts.completed,
    });
  } finally {
    await queues.closeAll();
  }
});
