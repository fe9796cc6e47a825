/**
 * The real `flightwatch worker` process on a three-master Redis Cluster started by the test (REDIS_CLUSTER_NODES,
 * FLIGHTWATCH_REDIS=external so nothing else could serve it): poll → detect (Redis track store and outbox) →
 * notify, end to end. A local readsb receiver serves two charter hops frame by frame; alerts go to a signed
 * webhook receiver. Every key the worker wrote is under the hash-tagged prefix `{flightwatch}`, so in one slot
 * on one master, which is what lets BullMQ's scripts and the store's multi-key operations run on a cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis, { Cluster } from 'ioredis';
import { startRedisCluster, type TestCluster } from '../../helpers/redis-cluster';
import { startFaultServer, type FaultServer } from '../../helpers/fault-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process';
import { runCli } from '../../helpers/cli';
import { whenQueuesIdle } from '../../helpers/wait';
import { charterFrames, FRAME_STEP_MS, readsbAircraftJson } from '../../faults/support/charter-flights';
import { SECRET } from '../../faults/support/events';
import { createQueues } from '../../../src/pipeline/queues';
import { createClusterRedis, parseClusterNodes } from '../../../src/pipeline/redis-cluster';
import { outboxKey } from '../../../src/detect';

const FLIGHTS = 2;

let cluster: TestCluster;
let rx: FaultServer;
let hook: WebhookReceiver;
let tmp: string;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  rx = await startFaultServer();
  hook = await startWebhookReceiver(SECRET);
  tmp = mkdtempSync(join(tmpdir(), 'fw-cluster-worker-'));
}, 60_000);
afterAll(async () => {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await hook?.close();
  await rx?.close();
  await cluster?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Keys per master, read from each node directly (KEYS on a test cluster of a few hundred keys). */
async function keysByNode(ports: number[]): Promise<string[][]> {
  return Promise.all(
    ports.map(async (port) => {
      const r = new IORedis({ host: '127.0.0.1', port });
      try {
        return await r.keys('*');
      } finally {
        r.disconnect();
      }
    }),
  );
}

it('runs poll → detect → deliver on a three-master Redis Cluster, every key in the {flightwatch} slot', async () => {
  const all = charterFrames();
  const flights = all.flights.slice(0, FLIGHTS);
  const hexes = new Set(flights.map((f) => f.hex));
  const frames = all.frames.map((f) => f.filter((s) => hexes.has(s.hex))).filter((f) => f.length);
  let served = 0;
  const clockStart = Date.now();
  rx.route('/data/aircraft.json', (_req, res) => {
    const frame = frames[Math.min(served, frames.length - 1)];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(readsbAircraftJson(frame, clockStart + served++ * FRAME_STEP_MS));
  });

  const config = join(tmp, 'flightwatch.yaml');
  writeFileSync(
    config,
    [
      'sources:',
      `  - { id: rx, kind: receiver, url: "${rx.url}/data/aircraft.json", timeoutMs: 3000 }`,
      'poll: { schedule: "* * * * * *" }',
      'watch:',
      `  - { id: charters, match: { hex: [${[...hexes].join(', ')}] } }`,
      'alerts:',
      `  outboxDir: "${join(tmp, 'outbox')}"`,
      '  channels:',
      `    - { id: ops, kind: webhook, url: "${hook.url}", secretEnv: HOOK_SECRET }`,
      `data: { dir: "${join(tmp, 'data')}" }`,
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_CLUSTER_NODES: cluster.env,
    FLIGHTWATCH_REDIS: 'external',
    FLIGHTWATCH_CONFIG_WATCH: 'off',
    PORT: '0',
    LOG_LEVEL: 'info',
    HOOK_SECRET: SECRET,
  };
  delete env.REDIS_URL;
  delete env.FLIGHTWATCH_REDIS_PREFIX;
  worker = spawnWorker(config, env);
  const started = await worker.waitForLog('the worker started', (l) => l.msg === 'worker started', {
    timeoutMs: 60_000,
  });
  expect(started.prefix).toBe('{flightwatch}');
  const redisLine = worker.lines.find((l) => l.origin === 'cluster');
  expect(redisLine?.redis).toBe(`redis://${cluster.nodes[0]}`);

  const expected = new Set(flights.flatMap((f) => ['seen', 'takeoff', 'landing'].map((t) => `${f.hex}|${t}`)));
  type Body = { alertId: string; event: { type: string; aircraft: { hex: string }; airport?: { icao: string } } };
  const bodies = () => hook.requests.filter((r) => r.verified).map((r) => r.payload as Body);
  const keyOf = (b: Body) => `${b.event.aircraft.hex}|${b.event.type}`;
  await hook.waitFor(
    'every seen, takeoff and landing alert',
    () =>
      new Set(
        bodies()
          .map(keyOf)
          .filter((k) => expected.has(k)),
      ).size >= expected.size,
    {
      timeoutMs: 90_000,
    },
  );
  // Each request to the source is one poll job (the sequence only advances while the worker polls).
  const servedByThen = served;

  // Queues settled, read through a cluster client of our own.
  const client = createClusterRedis(parseClusterNodes(cluster.env), 'producer');
  const queues = createQueues(client, '{flightwatch}', { horizonMs: 3_600_000, baseMs: 1000, maxMs: 2000 });
  try {
    await whenQueuesIdle('notify and detect queues idle', [queues.notify, queues.detect], { timeoutMs: 30_000 });
    expect(await queues.notify.getJobCounts('failed')).toEqual({ failed: 0 });
    expect(await queues.detect.getJobCounts('failed')).toEqual({ failed: 0 });
    expect((await queues.poll.getJobCounts('completed')).completed).toBeGreaterThanOrEqual(servedByThen - 1);
    // The detector's outbox was drained into the history stream.
    expect(await client.xlen(outboxKey('{flightwatch}:'))).toBe(0);
    expect(await client.xlen('{flightwatch}:history')).toBeGreaterThanOrEqual(expected.size);
    expect(client).toBeInstanceOf(Cluster);
  } finally {
    await queues.close();
    client.disconnect();
  }

  // Each alert once, with its airport; nothing unexpected.
  const seen = new Map<string, string>();
  for (const b of bodies()) {
    expect(expected.has(keyOf(b))).toBe(true);
    const prev = seen.get(keyOf(b));
    if (prev) expect(b.alertId).toBe(prev);
    seen.set(keyOf(b), b.alertId);
    const f = flights.find((x) => x.hex === b.event.aircraft.hex)!;
    if (b.event.type === 'takeoff') expect(b.event.airport?.icao).toBe(f.from);
    if (b.event.type === 'landing') expect(b.event.airport?.icao).toBe(f.to);
  }
  expect(seen.size).toBe(expected.size);

  // CLI commands reach the cluster through REDIS_CLUSTER_NODES too (silence add uses MULTI over two keys).
  const cliEnv = { REDIS_CLUSTER_NODES: cluster.env, REDIS_URL: '', FLIGHTWATCH_REDIS_PREFIX: '' };
  const added = await runCli(['silence', 'add', '--hex', 'abcdef', '--for', '1h', '--comment', 'cluster'], {
    env: cliEnv,
  });
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  const listed = await runCli(['silence', 'list', '--json'], { env: cliEnv });
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain('"abcdef"');

  // Every key (queues, track states, outbox, history, notification log, silences) is on one master, under the tag.
  const byNode = await keysByNode(cluster.ports);
  const used = byNode.filter((k) => k.length);
  expect(used).toHaveLength(1);
  const keys = used[0];
  expect(keys.filter((k) => !k.startsWith('{flightwatch}:'))).toEqual([]);
  for (const part of [':poll:', ':detect:', ':notify:', ':track:', ':history', ':sent:', ':silence:'])
    expect(keys.some((k) => k.includes(part))).toBe(true);

  worker.child.kill('SIGTERM');
  expect((await worker.exited).code).toBe(0);
}, 180_000);
