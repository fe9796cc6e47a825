/**
 * Fault: the whole `flightwatch worker` process group — the real CLI worker (poll → detect → notify, as
 * `npm start` runs it) and the embedded redis-server it started — is SIGKILLed several times while charter
 * flights are being detected and their alerts delivered, and started again each time on the same data dir
 * (the embedded Redis comes back from its AOF on a new port).
 *
 * The source is a local HTTP server acting as a readsb receiver: src/sim flies 8 watched aircraft on short
 * hops between real airports (taxi, takeoff, landing, taxi), one frame per request, so the flights only move
 * while a worker polls. Alerts go to two signed webhook channels on a real receiver (signatures checked with
 * standardwebhooks) that answers after 150 ms, so deliveries are in flight at every kill. The worker runs
 * with its default queue settings (8 s locks, stall check every 4 s): what a killed worker held is picked up
 * once its lock expired (worker-replicas.test.ts measures that time with replicas still running).
 *
 * Expected: for every aircraft `seen`, `takeoff` (from its origin) and `landing` (at its destination), on both
 * channels; each delivered at least once, every copy of one alert with the same webhook-id and body, exactly
 * one webhook-id per (channel, aircraft, event type), nothing else, nothing lost, no dead letter.
 */
import { pingRedis } from '../../src/runtime/redis/probe';
import { embeddedUrlFile, liveEmbeddedRedisUrl } from '../../src/runtime/redis/url-file';
import { until, whenEvent, whenQueuesIdle } from '../helpers/wait';
import { charterFrames } from './support/charter-flights';
import { charterAlerts } from './support/charter-alerts';
import { printSummary } from './support/summary';
import { workerRig } from './support/worker-rig';

const KILLS = 3;
const CHANNELS = ['ops', 'partner'];

const rig = workerRig('worker');

it(`SIGKILL the whole worker process group ${KILLS} times while charter flights are detected and delivered: every event arrives, duplicates keep their webhook-id`, async () => {
  const t0 = Date.now();
  const { flights, frames } = charterFrames();
  const feed = rig.serveFrames(frames, { stamp: 'virtual' });
  const { hook, dataDir } = rig;
  hook.setDefault({ status: 204, delayMs: 150 });
  rig.writeConfig({ hexes: flights.map((f) => f.hex), channels: CHANNELS, channelTimeoutMs: 5000 });
  const env = rig.env({ FLIGHTWATCH_REDIS: 'embedded' });

  const alerts = charterAlerts(flights, CHANNELS);
  const { expected } = alerts;
  const deliveredKeys = () => alerts.deliveredKeys(hook.requests);

  const killedAt: { delivered: number; frame: number; afterMs: number }[] = [];
  const startMs: number[] = [];
  const staleMessages: string[] = [];
  for (let k = 0; k < KILLS; k++) {
    const begun = Date.now();
    // In a process group of its own, so the group (node and its redis-server) can be killed.
    const w = await rig.startWorker(`worker ${k + 1} started`, env, { timeoutMs: 60_000 });
    expect(w.child.exitCode).toBeNull();
    startMs.push(Date.now() - begun);
    // Let it detect and deliver a share, then kill the whole group (node and its redis-server) mid-delivery.
    const target = Math.round(((k + 1) * expected.size) / (KILLS + 1));
    await hook.waitFor(`worker ${k + 1} delivering up to ${target} alerts`, () => deliveredKeys() >= target, {
      timeoutMs: 90_000,
    });
    const redisPort = Number(w.lines.find((l) => l.msg === 'started embedded redis-server (AOF persistence)')?.port);
    await rig.killGroup(w);
    // Not our child: no exit event to wait on.
    await until(
      'the embedded redis-server gone with its group',
      async () => !(await pingRedis('127.0.0.1', redisPort, 200)),
      {
        timeoutMs: 5_000,
      },
    );
    killedAt.push({ delivered: deliveredKeys(), frame: feed.served(), afterMs: Date.now() - begun });
    // The URL file is left behind, pointing at a dead server: a CLI command would ignore it, saying why.
    expect(await liveEmbeddedRedisUrl(dataDir, undefined, (m) => void staleMessages.push(m))).toBeUndefined();
    expect(staleMessages.at(-1)).toContain(
      `ignoring ${embeddedUrlFile(dataDir)}: nothing answers PING at redis://127.0.0.1:${redisPort}`,
    );
  }
  // Every kill interrupted work in progress: the flights were not over, not everything had arrived.
  expect(killedAt.at(-1)!.delivered).toBeLessThan(expected.size);
  expect(killedAt.at(-1)!.frame).toBeLessThan(frames.length);

  const lastKill = Date.now();
  const last = await rig.startWorker('the last worker started', env, { timeoutMs: 60_000 });
  await whenEvent('every flight flown', rig.rx.events, 'responded', () => feed.served() >= frames.length + 3, {
    timeoutMs: 120_000,
  });
  const flownAfterLastKillMs = Date.now() - lastKill;
  await hook.waitFor('every expected alert at the receiver', () => deliveredKeys() >= expected.size, {
    timeoutMs: 150_000,
  });
  const allDeliveredAfterLastKillMs = Date.now() - lastKill;

  // The live worker's Redis, found the way the CLI finds it (the URL file names the running server now).
  const url = await liveEmbeddedRedisUrl(dataDir, undefined, (m) => void staleMessages.push(m));
  expect(url).toBeDefined();
  const queues = rig.queuesOn(url!);
  await whenQueuesIdle('notify queue settled', [queues.notify], { timeoutMs: 90_000 });
  // Jobs a killed worker held wait for the stall check (queue.lockDuration) before they run again: this is when.
  const queueSettledAfterLastKillMs = Date.now() - lastKill;
  const counts = await queues.notify.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed');
  const detectCounts = await queues.detect.getJobCounts('failed');
  await queues.closeAll();

  last.child.kill('SIGTERM');
  expect((await last.exited).code).toBe(0);

  // Every request signed, its alert id its webhook-id; one webhook-id per alert, nothing else, nothing lost.
  const all = hook.requests;
  const tally = alerts.check(all);
  expect(tally.delivered).toBe(expected.size);
  expect(counts).toMatchObject({ failed: 0, wait: 0, active: 0, delayed: 0 });
  expect(counts.completed).toBeGreaterThanOrEqual(expected.size);
  expect(detectCounts.failed).toBe(0);

  printSummary({
    scenario: 'worker-process-group-sigkill-x3',
    ...tally,
    durationMs: Date.now() - t0,
    events: expected.size / CHANNELS.length,
    kills: KILLS,
    requests: all.length,
    framesServed: feed.served(),
    frames: frames.length,
    killedAt,
    workerStartMs: startMs,
    flownAfterLastKillMs,
    allDeliveredAfterLastKillMs,
    queueSettledAfterLastKillMs,
    notifyCompleted: counts.completed,
    deadLetters: counts.failed,
  });
});
