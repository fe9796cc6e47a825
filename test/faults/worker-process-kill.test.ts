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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultServer, type FaultServer } from '../helpers/fault-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createRedis } from '../../src/pipeline/connection';
import { createQueues } from '../../src/pipeline/queues';
import { pingRedis } from '../../src/runtime/redis/probe';
import { embeddedUrlFile, liveEmbeddedRedisUrl } from '../../src/runtime/redis/url-file';
import { charterFrames, FRAME_STEP_MS, readsbAircraftJson } from './support/charter-flights';
import { until, whenEvent, whenQueuesIdle } from '../helpers/wait';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process';
import { SECRET } from './support/events';
import { printSummary } from './support/summary';

const KILLS = 3;
const CHANNELS = ['ops', 'partner'];

function writeConfig(
  file: string,
  o: { sourceUrl: string; hookUrl: string; hexes: string[]; dataDir: string; outboxDir: string },
): void {
  writeFileSync(
    file,
    [
      'sources:',
      `  - { id: rx, kind: receiver, url: "${o.sourceUrl}", timeoutMs: 3000 }`,
      'poll:',
      '  schedule: "* * * * * *"',
      'watch:',
      '  - id: charters',
      `    match: { hex: [${o.hexes.join(', ')}] }`,
      '    tags: [removal-charter]',
      'alerts:',
      `  outboxDir: "${o.outboxDir}"`,
      '  retry: { backoffBase: 1s, backoffMax: 2s, horizon: 1h }',
      '  channels:',
      ...CHANNELS.map(
        (id) => `    - { id: ${id}, kind: webhook, url: "${o.hookUrl}", secretEnv: HOOK_SECRET, timeoutMs: 5000 }`,
      ),
      'data:',
      `  dir: "${o.dataDir}"`,
      '',
    ].join('\n'),
  );
}

interface Hook {
  channel: string;
  alertId: string;
  event: { id: string; type: string; aircraft: { hex: string }; airport?: { icao: string } };
}

let rx: FaultServer;
let hook: WebhookReceiver;
let tmp: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  rx = await startFaultServer();
  hook = await startWebhookReceiver(SECRET);
  tmp = mkdtempSync(join(tmpdir(), 'fw-faults-worker-'));
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
  rmSync(tmp, { recursive: true, force: true });
});

it(`SIGKILL the whole worker process group ${KILLS} times while charter flights are detected and delivered: every event arrives, duplicates keep their webhook-id`, async () => {
  const t0 = Date.now();
  const { flights, frames } = charterFrames();
  let served = 0;
  const clockStart = Date.now();
  rx.route('/data/aircraft.json', (_req, res) => {
    const frame = frames[Math.min(served, frames.length - 1)];
    const stamp = clockStart + served * FRAME_STEP_MS;
    served++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(readsbAircraftJson(frame, stamp));
  });
  hook.setDefault({ status: 204, delayMs: 150 });

  const dataDir = join(tmp, 'data');
  const config = join(tmp, 'flightwatch.yaml');
  writeConfig(config, {
    sourceUrl: `${rx.url}/data/aircraft.json`,
    hookUrl: hook.url,
    hexes: flights.map((f) => f.hex),
    dataDir,
    outboxDir: join(tmp, 'outbox'),
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLIGHTWATCH_REDIS: 'embedded',
    FLIGHTWATCH_CONFIG_WATCH: 'off',
    PORT: '0',
    LOG_LEVEL: 'info',
    HOOK_SECRET: SECRET,
  };
  delete env.REDIS_URL;

  // What must arrive: (channel, hex, type) → the airport the event must name.
  const expected = new Map<string, string | undefined>();
  for (const f of flights)
    for (const c of CHANNELS) {
      expected.set(`${c}|${f.hex}|seen`, f.from);
      expected.set(`${c}|${f.hex}|takeoff`, f.from);
      expected.set(`${c}|${f.hex}|landing`, f.to);
    }
  const keyOf = (h: Hook) => `${h.channel}|${h.event.aircraft.hex}|${h.event.type}`;
  const bodies = () => hook.requests.filter((r) => r.verified).map((r) => r.payload as Hook);
  const deliveredKeys = () =>
    new Set(
      bodies()
        .map(keyOf)
        .filter((k) => expected.has(k)),
    ).size;

  const killedAt: { delivered: number; frame: number; afterMs: number }[] = [];
  const startMs: number[] = [];
  const staleMessages: string[] = [];
  for (let k = 0; k < KILLS; k++) {
    const begun = Date.now();
    // In a process group of its own, so the group (node and its redis-server) can be killed.
    const w = spawnWorker(config, env, { detached: true });
    workers.push(w);
    await w.waitForLog(`worker ${k + 1} started`, (l) => l.msg === 'worker started', { timeoutMs: 60_000 });
    expect(w.child.exitCode).toBeNull();
    startMs.push(Date.now() - begun);
    // Let it detect and deliver a share, then kill the whole group (node and its redis-server) mid-delivery.
    const target = Math.round(((k + 1) * expected.size) / (KILLS + 1));
    await hook.waitFor(`worker ${k + 1} delivering up to ${target} alerts`, () => deliveredKeys() >= target, {
      timeoutMs: 90_000,
    });
    const redisPort = Number(w.lines.find((l) => l.msg === 'started embedded redis-server (AOF persistence)')?.port);
    process.kill(-w.child.pid!, 'SIGKILL');
    expect((await w.exited).signal).toBe('SIGKILL');
    // Not our child: no exit event to wait on.
    await until(
      'the embedded redis-server gone with its group',
      async () => !(await pingRedis('127.0.0.1', redisPort, 200)),
      {
        timeoutMs: 5_000,
      },
    );
    killedAt.push({ delivered: deliveredKeys(), frame: served, afterMs: Date.now() - begun });
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
  const last = spawnWorker(config, env, { detached: true });
  workers.push(last);
  await last.waitForLog('the last worker started', (l) => l.msg === 'worker started', { timeoutMs: 60_000 });
  await whenEvent('every flight flown', rx.events, 'responded', () => served >= frames.length + 3, {
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
  const redis = createRedis(url!, 'producer');
  const queues = createQueues(redis, 'flightwatch', { horizonMs: 3_600_000, baseMs: 1000, maxMs: 2000 });
  await whenQueuesIdle('notify queue settled', [queues.notify], { timeoutMs: 90_000 });
  // Jobs a killed worker held wait for the stall check (queue.lockDuration) before they run again: this is when.
  const queueSettledAfterLastKillMs = Date.now() - lastKill;
  const counts = await queues.notify.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed');
  const detectCounts = await queues.detect.getJobCounts('failed');
  await queues.close();
  redis.disconnect();

  last.child.kill('SIGTERM');
  expect((await last.exited).code).toBe(0);

  // Every request: a valid signature, a body whose alert id is its webhook-id.
  const all = hook.requests;
  expect(all.filter((r) => !r.verified).map((r) => r.verifyError)).toEqual([]);
  const idsByKey = new Map<string, Set<string>>();
  const bodyById = new Map<string, string>();
  let duplicates = 0;
  for (const r of all) {
    const h = r.payload as Hook;
    const id = r.headers['webhook-id'] as string;
    expect(h.alertId).toBe(id);
    const key = keyOf(h);
    expect(expected.has(key)).toBe(true); // nothing but the expected events
    if (h.event.type !== 'seen') expect(h.event.airport?.icao).toBe(expected.get(key));
    if (!idsByKey.has(key)) idsByKey.set(key, new Set());
    idsByKey.get(key)!.add(id);
    const prev = bodyById.get(id);
    if (prev !== undefined) {
      duplicates++;
      expect(r.rawBody).toBe(prev); // a duplicate is the same alert, byte for byte
    }
    bodyById.set(id, r.rawBody);
  }
  // One alert per (channel, aircraft, event type): a duplicate never comes under a second webhook-id.
  const split = [...idsByKey].filter(([, ids]) => ids.size > 1).map(([k]) => k);
  expect(split).toEqual([]);
  const delivered = idsByKey.size;
  const lost = [...expected.keys()].filter((k) => !idsByKey.has(k));
  expect(lost).toEqual([]);
  expect(delivered).toBe(expected.size);
  expect(counts).toMatchObject({ failed: 0, wait: 0, active: 0, delayed: 0 });
  expect(counts.completed).toBeGreaterThanOrEqual(expected.size);
  expect(detectCounts.failed).toBe(0);

  printSummary({
    scenario: 'worker-process-group-sigkill-x3',
    expected: expected.size,
    delivered,
    duplicates,
    lost: lost.length,
    durationMs: Date.now() - t0,
    unit: 'alerts (event x channel)',
    events: expected.size / CHANNELS.length,
    kills: KILLS,
    requests: all.length,
    framesServed: served,
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
