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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import { startFaultServer, type FaultServer } from '../helpers/fault-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';
import { whenEvent, whenQueuesIdle } from '../helpers/wait';
import { createRedis } from '../../src/pipeline/connection';
import { createQueues } from '../../src/pipeline/queues';
import { charterFrames, FRAME_STEP_MS, readsbAircraftJson } from './support/charter-flights';
import { SECRET } from './support/events';
import { printSummary } from './support/summary';

const REPLICAS = 3;
const CHANNELS = ['ops', 'partner'];
const RECEIVER_DELAY_MS = 2000;
const RECOVERY_TARGET_MS = 15_000;

let rx: FaultServer;
let hook: WebhookReceiver;
let redis: TestRedis;
let tmp: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis(['--appendonly', 'yes']);
  rx = await startFaultServer();
  hook = await startWebhookReceiver(SECRET);
  tmp = mkdtempSync(join(tmpdir(), 'fw-faults-replicas-'));
});
afterAll(async () => {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) {
      try {
        process.kill(-w.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  await hook.close();
  await rx.close();
  await redis.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Hook {
  channel: string;
  alertId: string;
  event: { type: string; aircraft: { hex: string }; airport?: { icao: string } };
}

it(`${REPLICAS} worker replicas on one Redis, one SIGKILLed mid-burst: every slot polled once, every alert once per channel, held jobs resume within 15 s`, async () => {
  const t0 = Date.now();
  const { flights, frames } = charterFrames({ stagger: 0 });
  let served = 0;
  let clockStart = Date.now();
  // Nothing in the air until every replica runs (the first would otherwise fly it all alone).
  let flying = false;
  let idlePolls = 0;
  rx.route('/data/aircraft.json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (!flying) {
      idlePolls++;
      res.end(readsbAircraftJson([], Date.now()));
      return;
    }
    const frame = frames[Math.min(served, frames.length - 1)];
    res.end(readsbAircraftJson(frame, clockStart + served++ * FRAME_STEP_MS));
  });
  hook.setDefault({ status: 204, delayMs: RECEIVER_DELAY_MS });

  const config = join(tmp, 'flightwatch.yaml');
  writeFileSync(
    config,
    [
      'sources:',
      `  - { id: rx, kind: receiver, url: "${rx.url}/data/aircraft.json", timeoutMs: 3000 }`,
      'poll: { schedule: "* * * * * *" }',
      'watch:',
      `  - { id: charters, match: { hex: [${flights.map((f) => f.hex).join(', ')}] } }`,
      'alerts:',
      `  outboxDir: "${join(tmp, 'outbox')}"`,
      '  concurrency: 2',
      '  retry: { backoffBase: 1s, backoffMax: 2s, horizon: 1h }',
      '  channels:',
      ...CHANNELS.map(
        (id) => `    - { id: ${id}, kind: webhook, url: "${hook.url}", secretEnv: HOOK_SECRET, timeoutMs: 10000 }`,
      ),
      `data: { dir: "${join(tmp, 'data')}" }`,
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: redis.url,
    FLIGHTWATCH_REDIS: 'external',
    FLIGHTWATCH_CONFIG_WATCH: 'off',
    PORT: '0',
    LOG_LEVEL: 'info',
    HOOK_SECRET: SECRET,
  };
  delete env.FLIGHTWATCH_REDIS_PREFIX;
  delete env.REDIS_CLUSTER_NODES;

  // One after the other: three TypeScript loads at once on a busy host take long.
  for (let i = 0; i < REPLICAS; i++) {
    const w = spawnWorker(config, env, { detached: true });
    workers.push(w);
    await w.waitForLog(`replica ${i + 1} started`, (l) => l.msg === 'worker started', { timeoutMs: 90_000 });
  }
  clockStart = Date.now();
  flying = true;

  const expected = new Map<string, string | undefined>();
  for (const f of flights)
    for (const c of CHANNELS) {
      expected.set(`${c}|${f.hex}|seen`, f.from);
      expected.set(`${c}|${f.hex}|takeoff`, f.from);
      expected.set(`${c}|${f.hex}|landing`, f.to);
    }
  const keyOf = (h: Hook) => `${h.channel}|${h.event.aircraft.hex}|${h.event.type}`;
  const deliveredKeys = () =>
    new Set(
      hook.requests
        .filter((r) => r.verified)
        .map((r) => keyOf(r.payload as Hook))
        .filter((k) => expected.has(k)),
    ).size;

  const conn = createRedis(redis.url, 'producer');
  const queues = createQueues(conn, 'flightwatch', { horizonMs: 3_600_000, baseMs: 1000, maxMs: 2000 });
  try {
    // Mid-burst: the first wave of the takeoff burst has reached the receiver and is still being answered,
    // so every replica holds deliveries (2 each) when the victim dies.
    const seenBurst = flights.length * CHANNELS.length;
    await hook.waitFor(
      'the takeoff burst under way at the receiver',
      (reqs) =>
        reqs.filter((r) => (r.payload as Hook | undefined)?.event.type === 'takeoff').length >= REPLICAS * 2 &&
        deliveredKeys() >= seenBurst,
      { timeoutMs: 120_000 },
    );
    const victim = workers[1];
    const killedAt = Date.now();
    process.kill(-victim.child.pid!, 'SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    // What was running anywhere at the kill; the victim's share of it stays active until the stall check.
    const held = (
      await Promise.all([queues.poll.getActive(), queues.detect.getActive(), queues.notify.getActive()])
    ).flat();
    const deliveredAtKill = deliveredKeys();
    expect(deliveredAtKill).toBeLessThan(expected.size);

    await whenEvent('every frame flown', rx.events, 'responded', () => served >= frames.length + 3, {
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
    // and one source request per slot (a poll the victim held may have asked once more when it re-ran).
    const polls = await queues.poll.getJobs(['completed'], 0, -1);
    const slots = polls.map((j) => new Date(j.data.slot).getTime()).sort((a, b) => a - b);
    const gaps = slots.slice(1).filter((s, i) => s - slots[i] !== 1000);
    expect(gaps).toEqual([]);
    expect(new Set(slots).size).toBe(slots.length);
    expect(await queues.poll.getJobCounts('failed', 'wait', 'delayed')).toEqual({ failed: 0, wait: 0, delayed: 0 });
    const pollReruns = resumed.filter((j) => j.queueName === 'poll').length;
    // A slot enqueued after the last completed one may be running now: it has asked the source too.
    const pollActive = (await queues.poll.getJobCounts('active')).active;
    const requests = served + idlePolls;
    expect(requests).toBeGreaterThanOrEqual(slots.length);
    expect(requests).toBeLessThanOrEqual(slots.length + pollReruns + pollActive);

    const notifyCounts = await queues.notify.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed');
    expect(notifyCounts).toMatchObject({ failed: 0, wait: 0, active: 0, delayed: 0 });
    expect((await queues.detect.getJobCounts('failed')).failed).toBe(0);

    // Every alert once per channel, by webhook-id; a repeat (the victim's delivery in flight) is the same alert.
    const idsByKey = new Map<string, Set<string>>();
    const bodyById = new Map<string, string>();
    let duplicates = 0;
    for (const r of hook.requests) {
      expect(r.verified).toBe(true);
      const h = r.payload as Hook;
      const id = r.headers['webhook-id'] as string;
      expect(h.alertId).toBe(id);
      const key = keyOf(h);
      expect(expected.has(key)).toBe(true);
      if (h.event.type !== 'seen') expect(h.event.airport?.icao).toBe(expected.get(key));
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(id));
      const prev = bodyById.get(id);
      if (prev !== undefined) {
        duplicates++;
        expect(r.rawBody).toBe(prev);
      }
      bodyById.set(id, r.rawBody);
    }
    expect([...idsByKey].filter(([, ids]) => ids.size > 1).map(([k]) => k)).toEqual([]);
    const lost = [...expected.keys()].filter((k) => !idsByKey.has(k));
    expect(lost).toEqual([]);

    for (const w of workers.filter((x) => x !== victim)) {
      w.child.kill('SIGTERM');
      expect((await w.exited).code).toBe(0);
    }

    printSummary({
      scenario: 'worker-replicas-3-one-sigkilled',
      expected: expected.size,
      delivered: idsByKey.size,
      duplicates,
      lost: lost.length,
      durationMs: Date.now() - t0,
      unit: 'alerts (event x channel)',
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
    await queues.close();
    conn.disconnect();
  }
});
