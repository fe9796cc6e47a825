/**
 * The detect → deliver handoff with a real Redis track store, real BullMQ workers and a real HTTP receiver:
 * a detect worker process SIGKILLed after the track states were saved (before fan-out, or after fan-out but
 * before the outbox entries were deleted), and a batch whose Redis write fails for one aircraft. In every case
 * each detected event reaches the receiver exactly once, although the retried detector step detects nothing
 * again for the aircraft whose state was saved.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { httpPostChannel } from '../../helpers/http-post-channel';
import { jobCompleted, within } from '../../helpers/wait';
import { useDeliverTestEnv } from './support/env';
import { whenPipelineQuiet } from './support/waits';
import { makeAlerts, uniquePrefix, webhookEntry } from './support/fixtures';
import { FLEET, FLEET_EVENTS, fleetBatch, fleetDetector, fleetEventIds } from './support/fleet';
import { keys } from '../../../src/alerting/keys';
import { createQueues, type Queues } from '../../../src/pipeline/queues';
import { startPipeline, type Pipeline } from '../../../src/pipeline/pipeline';
import { retryPolicy } from '../../../src/pipeline/context';
import { alertId } from '../../../src/alerting/alert-id';
import { detectJobId } from '../../../src/pipeline/jobs';
import { RedisTrackStore, outboxKey } from '../../../src/detect';
import type { FlightEvent } from '../../../src/domain/event';

const ROOT = resolve(__dirname, '../../..');
const alerts = makeAlerts({ channels: [webhookEntry('partner')] });
const batch = fleetBatch();
const FAST = { lockDuration: 1500, stalledInterval: 500, maxStalledCount: 5 };

const env = useDeliverTestEnv();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function queues(prefix: string): Queues {
  const q = createQueues(env.redis, prefix, retryPolicy(alerts));
  env.open.push(q);
  return q;
}

async function startWorker(prefix: string): Promise<Pipeline> {
  const detector = fleetDetector(env.redis, `${prefix}:`);
  const p = await startPipeline({
    alerts,
    connection: env.redis,
    channels: new Map([['partner', httpPostChannel('partner', `${env.rx.url}/partner`)]]),
    detector,
    outbox: (detector.store as RedisTrackStore).outbox,
    prefix,
    workerOptions: FAST,
  });
  env.open.push({ close: () => p.close(3000) });
  return p;
}

/** Starts the detect child and resolves with the event ids it printed when it reached `crashAt`. */
function childUntil(
  prefix: string,
  crashAt: 'after-commit' | 'after-fanout',
  enqueue: () => Promise<unknown>,
): Promise<{ child: ChildProcess; ids: string[] }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', resolve(__dirname, 'support/detect-child.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: env.server.url,
        FW_PREFIX: prefix,
        FW_RECEIVER: env.rx.url,
        FW_CRASH_AT: crashAt,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d.toString()));
  const reached = new Promise<{ child: ChildProcess; ids: string[] }>((res, rej) => {
    child.stdout.on('data', (d) => {
      out += d.toString();
      if (out.includes('ready\n') && !out.includes('enqueued')) {
        out += 'enqueued\n';
        enqueue().catch(rej);
      }
      const m = out.match(new RegExp(`${crashAt} (\\[.*\\])\\n`));
      if (m) res({ child, ids: JSON.parse(m[1]) as string[] });
    });
    child.once('exit', (code) => rej(new Error(`detect child exited ${code}: ${err}`)));
  });
  return within(`the detect child to reach ${crashAt}`, reached, { timeoutMs: 30_000, detail: () => `${out} ${err}` });
}

async function sigkill(child: ChildProcess) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const deliveredIds = () => env.rx.received.map((r) => r.json?.eventId);

/** Every expected event delivered once, under its own alert id; nothing else (once nothing is left to deliver). */
async function expectExactlyOnce(q: Queues, expected: readonly string[]) {
  await env.rx.waitFor('every expected event', (r) => r.length >= expected.length, { timeoutMs: 30_000 });
  await whenPipelineQuiet(q, [env.rx], { timeoutMs: 30_000 }); // a duplicate would have arrived by then
  expect([...deliveredIds()].sort()).toEqual([...expected].sort());
  for (const r of env.rx.received) expect(r.headers['webhook-id']).toBe(alertId(r.json?.eventId ?? '', 'partner'));
}

describe('detect → deliver handoff', () => {
  it.each(['after-commit', 'after-fanout'] as const)(
    'a detect worker SIGKILLed %s: the next worker delivers every event exactly once',
    async (crashAt) => {
      const prefix = uniquePrefix(`handoff-${crashAt}`);
      const k = keys(prefix);
      const q = queues(prefix);
      const slot = new Date(batch.now).toISOString();
      const { child, ids } = await childUntil(prefix, crashAt, () =>
        q.detect.add('detect', { slot, now: batch.now, matched: batch.matched }, { jobId: detectJobId(slot) }),
      );
      await sigkill(child);

      // The crash point is where it should be: states saved, events queued in the outbox, nothing delivered.
      expect([...ids].sort()).toEqual((await fleetEventIds()).sort());
      for (const [hex] of FLEET) expect(await env.redis.hexists(`${prefix}:track:${hex}`, 'h')).toBe(1);
      expect(await env.redis.xlen(outboxKey(`${prefix}:`))).toBe(FLEET_EVENTS);
      expect(await env.redis.xlen(k.history)).toBe(crashAt === 'after-commit' ? 0 : FLEET_EVENTS);
      expect(env.rx.received).toHaveLength(0);

      await startWorker(prefix);
      await expectExactlyOnce(q, ids);
      const job = await jobCompleted('the retried detect job', q.detect, detectJobId(slot), { timeoutMs: 30_000 });
      // The retried detector step found nothing new (the states had moved on): only the outbox had the events
      // (drained by the new worker at start or by the retried job, whichever came first).
      expect(job.returnvalue).toEqual(expect.objectContaining({ events: 0 }));
      expect(await env.redis.xlen(outboxKey(`${prefix}:`))).toBe(0);
      expect(await env.redis.xlen(k.history)).toBe(FLEET_EVENTS);
    },
    60_000,
  );

  it('a starting worker delivers what a dead one left in the outbox without waiting for a detect job', async () => {
    const prefix = uniquePrefix('handoff-start');
    const events = await fleetDetector(env.redis, `${prefix}:`).process(batch.matched, batch.now); // then "dies"
    expect(events).toHaveLength(FLEET_EVENTS);
    const q = queues(prefix);
    await startWorker(prefix);
    await expectExactlyOnce(
      q,
      events.map((e) => e.id),
    );
    expect(await q.detect.getJobCounts('completed', 'failed', 'active', 'wait')).toEqual({
      completed: 0,
      failed: 0,
      active: 0,
      wait: 0,
    });
    expect(await env.redis.xlen(outboxKey(`${prefix}:`))).toBe(0);
  }, 30_000);

  it('a batch whose write fails for one aircraft delivers the saved aircraft at once, and the rest on a successful retry', async () => {
    const prefix = uniquePrefix('handoff-write');
    const victim = FLEET[1][0];
    await env.redis.hset(`${prefix}:track:${victim}`, 'v', 'garbage'); // the victim's compare-and-set fails in Redis
    const q = queues(prefix);
    await startWorker(prefix);
    const slot = new Date(batch.now).toISOString();
    await q.detect.add('detect', { slot, now: batch.now, matched: batch.matched }, { jobId: detectJobId(slot) });

    await env.rx.waitFor('the events of the saved aircraft', (r) => r.length >= FLEET_EVENTS - 2, {
      timeoutMs: 20_000,
    });
    const first = await q.detect.getJob(detectJobId(slot));
    expect(first?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(first?.failedReason).toMatch(/track version garbage is not a number/);
    expect(new Set(env.rx.received.map((r) => (r.json?.event as FlightEvent | undefined)?.aircraft.hex))).toEqual(
      new Set(FLEET.map((f) => f[0]).filter((h) => h !== victim)),
    );

    await env.redis.del(`${prefix}:track:${victim}`); // repaired: the job's next attempt saves the victim too
    const job = await jobCompleted('the repaired detect job', q.detect, detectJobId(slot), { timeoutMs: 30_000 });
    expect(job.returnvalue).toEqual(expect.objectContaining({ events: 2, drained: 2 }));
    await expectExactlyOnce(q, await fleetEventIds());
  }, 60_000);
});
