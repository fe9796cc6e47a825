/**
 * Fault: Redis (appendonly yes, appendfsync everysec) is SIGKILLed in the middle of a burst of 1,000 alerts
 * and restarted 2 s later on the same port and data directory. The notify worker process is NOT restarted:
 * it must reconnect by itself and deliver everything. The producer plays the detect step: it uses a worker-
 * role connection (commands wait for Redis to return instead of failing), and after recovery it submits the
 * same events again, which is what re-detection on the next poll does (deterministic event ids → the same
 * alert ids → BullMQ deduplicates what Redis still has, and re-creates what the AOF window lost).
 * RELIABILITY.md explains what the window can and cannot lose.
 */
import { readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { Job } from 'bullmq';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createRedis } from '../../src/pipeline/connection';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { alertsSchema } from '../../src/config/alerts-schema';
import { createQueues } from '../../src/pipeline/queues';
import { retryPolicy } from '../../src/pipeline/context';
import { sleep, until } from '../helpers/wait';
import { startAofRedis, startFaultWorker, type AofRedis, type WorkerChild } from './support/processes';
import { expectedAlerts, makeEvents, SECRET, uniquePrefix } from './support/events';
import { notifyCountsOnceCompleted } from './support/notify';
import { printSummary, tally } from './support/summary';

const EVENTS = 1000;
const BATCH = 25;
// The burst runs for ~2 s before the kill, so the last second of writes is a real part of it.
const KILL_AFTER_BATCHES = 20;
const DOWN_MS = 2000;

/** Redis 7 multi-part AOF: the file new writes are appended to. */
function incrAof(dir: string): string {
  const d = join(dir, 'appendonlydir');
  const f = readdirSync(d).find((n) => n.endsWith('.incr.aof'));
  if (!f) throw new Error(`no incremental AOF file in ${d}`);
  return join(d, f);
}

let srv: AofRedis;
let rx: WebhookReceiver;
let worker: WorkerChild | undefined;
const conns: Redis[] = [];
let consoleError: jest.SpyInstance;
let producerErrors = 0;

beforeEach(async () => {
  srv = await startAofRedis();
  rx = await startWebhookReceiver(SECRET);
  // deliverEvents' short-lived Queue objects report the refused connections on console.error: count them instead.
  producerErrors = 0;
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => void producerErrors++);
});
afterEach(async () => {
  consoleError.mockRestore();
  if (worker && worker.proc.exitCode === null) worker.proc.kill('SIGKILL');
  for (const c of conns.splice(0)) c.disconnect();
  await rx.close();
  await srv.stop();
});

/**
 * `process-kill`: only redis-server dies; what it wrote to the AOF is in the kernel's page cache and survives.
 * `power-loss`: additionally the AOF is cut back to its size one second before the kill, i.e. everything a
 * machine crash loses under `appendfsync everysec` (writes not yet fsynced) is gone.
 */
test.each(['process-kill', 'power-loss'] as const)(
  'SIGKILL Redis (AOF everysec) mid-burst, %s, restart: the worker reconnects by itself and every detection is delivered',
  async (mode) => {
    const t0 = Date.now();
    const prefix = uniquePrefix('redis');
    const alertsInput = {
      channels: [{ id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'FW_WEBHOOK_SECRET' }],
      retry: { horizon: '10m', backoffBase: '100ms', backoffMax: '1s' },
      concurrency: 8,
    };
    const alerts = alertsSchema.parse(alertsInput);
    const events = makeEvents(EVENTS, prefix);
    const expected = expectedAlerts(events, ['partner']);
    rx.setDefault({ status: 204, delayMs: 5 });
    worker = await startFaultWorker({
      REDIS_URL: srv.url,
      FW_PREFIX: prefix,
      FW_ALERTS: JSON.stringify(alertsInput),
      FW_WEBHOOK_SECRET: SECRET,
    });

    // The detect step's connection: worker role, so a command issued while Redis is down waits for it.
    const producer = createRedis(srv.url, 'worker');
    producer.on('error', () => undefined);
    conns.push(producer);
    const acked: string[][] = []; // alert ids per acknowledged batch, in order
    let killed = false;
    let ackedBeforeKill = 0;
    const burst = (async () => {
      for (let i = 0; i < EVENTS; i += BATCH) {
        const r = await deliverEvents(events.slice(i, i + BATCH), {
          config: { alerts },
          redis: producer,
          channels: new Map(),
          prefix,
          waitUntilSettled: false,
        });
        acked.push(r.alerts.map((a) => a.jobId));
        if (!killed) ackedBeforeKill = acked.length;
        await sleep(20); // a burst spread over ~2 s, so the kill lands in the middle of it (timing is the subject)
      }
    })();

    // AOF size over time, to know where the file stood one second before the kill.
    const aof = incrAof(srv.dir);
    const sizes: { at: number; size: number }[] = [];
    const sampler = setInterval(() => sizes.push({ at: Date.now(), size: statSync(aof).size }), 20);
    // Acknowledgements are awaited inside the burst loop, which emits nothing: polled (every 2 ms, to kill on time).
    await until('first batches acknowledged', () => acked.length >= KILL_AFTER_BATCHES, {
      timeoutMs: 30_000,
      intervalMs: 2,
    });
    clearInterval(sampler);
    const receivedAtKill = rx.requests.length;
    killed = true;
    await srv.kill();
    const killAt = Date.now();
    let cutBytes = 0;
    if (mode === 'power-loss') {
      const before = statSync(aof).size;
      const keep = [...sizes].reverse().find((x) => x.at <= killAt - 1000)?.size ?? 0;
      truncateSync(aof, keep);
      cutBytes = before - keep;
      expect(cutBytes).toBeGreaterThan(0);
    }
    await sleep(DOWN_MS); // how long Redis stays down is the subject
    await srv.restart();
    const restartAt = Date.now();

    // What the restarted Redis still knows of the alerts acknowledged before the kill.
    const probe = createRedis(srv.url, 'producer');
    conns.push(probe);
    const q = createQueues(probe, prefix, retryPolicy(alerts));
    const ackedIds = acked.slice(0, ackedBeforeKill).flat();
    const receivedIds = new Set(rx.requests.map((r) => r.headers['webhook-id'] as string));
    let ackedMissing = 0;
    for (const id of ackedIds) if (!(await Job.fromId(q.notify, id)) && !receivedIds.has(id)) ackedMissing++;
    // A process kill loses nothing acknowledged; the simulated power loss must really have lost some.
    if (mode === 'process-kill') expect(ackedMissing).toBe(0);
    else expect(ackedMissing).toBeGreaterThan(0);

    await burst;
    // Re-detection on the next poll: the same transitions again, same deterministic ids.
    let recreated = 0;
    for (const id of expected.keys()) if (!(await Job.fromId(q.notify, id))) recreated++;
    if (mode === 'power-loss') expect(recreated).toBeGreaterThan(0);
    await deliverEvents(events, {
      config: { alerts },
      redis: producer,
      channels: new Map(),
      prefix,
      waitUntilSettled: false,
    });

    const distinct = () => new Set(rx.requests.map((r) => r.headers['webhook-id'])).size;
    await rx.waitFor('every alert at the receiver', () => distinct() >= expected.size, { timeoutMs: 120_000 });
    const counts = await notifyCountsOnceCompleted(q, expected.size);

    // The same worker process did it all: it was never restarted, and it delivered after Redis came back.
    expect(worker.proc.exitCode).toBeNull();
    expect(rx.requests.length).toBeGreaterThan(receivedAtKill);
    expect(worker.stderr()).toMatch(/Redis connection error \(reconnecting\)/);
    expect(killAt).toBeLessThan(restartAt);

    const ids = rx.requests.map((r) => r.headers['webhook-id'] as string);
    const t = tally(expected.keys(), ids);
    expect(t.unexpected).toBe(0);
    expect(t.lost).toBe(0);
    expect(counts).toMatchObject({ completed: expected.size, failed: 0, wait: 0, active: 0, delayed: 0 });
    for (const r of rx.requests) expect(r.verified).toBe(true);
    printSummary({
      scenario: `redis-sigkill-aof-everysec-${mode}`,
      expected: t.expected,
      delivered: t.delivered,
      duplicates: t.duplicates,
      lost: t.lost,
      durationMs: Date.now() - t0,
      redisDownMs: restartAt - killAt,
      receivedBeforeKill: receivedAtKill,
      ackedBeforeKill: ackedIds.length,
      ackedMissingAfterRestart: ackedMissing,
      recreatedByRedetection: recreated,
      aofBytesCut: cutBytes,
      producerConnectionErrors: producerErrors,
    });
    worker.proc.kill('SIGTERM');
    await worker.exited;
  },
);
