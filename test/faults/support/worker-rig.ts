/**
 * The set-up of the fault tests that run real `flightwatch worker` processes (worker-replicas,
 * worker-process-kill, archive-kill): a readsb stand-in serving the charter frames of ./charter-flights, a
 * signed webhook receiver, the worker config and env, worker processes in process groups of their own (so a
 * test can SIGKILL a worker with its embedded redis-server), and their teardown. `workerRig()` registers the
 * beforeAll/afterAll hooks; a test file calls it once at the top.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultServer, type FaultServer } from '../../helpers/fault-server';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process';
import type { WaitOptions } from '../../helpers/wait';
import { createRedis } from '../../../src/pipeline/connection';
import { createQueues, type Queues } from '../../../src/pipeline/queues';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import { FRAME_STEP_MS, readsbAircraftJson } from './charter-flights';
import { SECRET } from './events';

export const AIRCRAFT_PATH = '/data/aircraft.json';
/** The workers' retry policy (alerts.retry below) and default queue prefix, for a test's own Queue objects. */
const RETRY = { horizonMs: 3_600_000, baseMs: 1000, maxMs: 2000 };

export interface RigConfig {
  hexes: string[];
  channels: string[];
  /** alerts.channels[].timeoutMs */
  channelTimeoutMs: number;
  /** alerts.concurrency (default: the config's) */
  concurrency?: number;
  /** archive.batchSize; the archive section is left out when undefined */
  archiveBatchSize?: number;
}

export interface FrameFeed {
  /** Frames served so far (one per request once flying). */
  served(): number;
  /** Requests answered with an empty sky before `fly()`. */
  idle(): number;
  /** Starts the flights now (for a feed created with `held`). */
  fly(): void;
}

export interface WorkerRig {
  /** The test's own redis-server (when `workerRig` was given `redis`). */
  redis: TestRedis;
  rx: FaultServer;
  hook: WebhookReceiver;
  tmp: string;
  dataDir: string;
  configFile: string;
  /** Every worker started, in order. */
  workers: WorkerProcess[];
  /**
   * Serves `frames` on the receiver path, one per request, the last one again after the end. `stamp`:
   * 'virtual' stamps frame k FRAME_STEP_MS × k after the flights began, 'wall' stamps it now. `held`: an empty
   * sky until `fly()`.
   */
  serveFrames(frames: AircraftState[][], o: { stamp: 'virtual' | 'wall'; held?: boolean }): FrameFeed;
  writeConfig(c: RigConfig): void;
  /**
   * The worker's env: this process's, the hook secret, no config watch, PORT 0, info logs, and no Redis
   * settings but those in `extra` (REDIS_URL, FLIGHTWATCH_REDIS, FLIGHTWATCH_REDIS_PREFIX…).
   */
  env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Spawns a worker in a process group of its own; resolves once it logged "worker started". */
  startWorker(what: string, env: NodeJS.ProcessEnv, opts?: WaitOptions): Promise<WorkerProcess>;
  /** SIGKILLs the worker's whole process group (the worker and its embedded redis-server). */
  killGroup(w: WorkerProcess): Promise<void>;
  /** The workers' queues on `url` (default prefix), for inspection; close them after. */
  queuesOn(url: string): Queues & { closeAll(): Promise<void> };
}

const alive = (w: WorkerProcess) => w.child.exitCode === null && w.child.signalCode === null;

/** `redis`: start a redis-server of the test with these extra arguments (the workers' REDIS_URL). */
export function workerRig(name: string, o: { redis?: string[] } = {}): WorkerRig {
  const workers: WorkerProcess[] = [];
  let redis: TestRedis | undefined;
  let rx: FaultServer | undefined;
  let hook: WebhookReceiver | undefined;
  let tmp: string | undefined;
  beforeAll(async () => {
    if (o.redis) redis = await startRedis(o.redis);
    rx = await startFaultServer();
    hook = await startWebhookReceiver(SECRET);
    tmp = mkdtempSync(join(tmpdir(), `fw-faults-${name}-`));
  });
  afterAll(async () => {
    for (const w of workers.filter(alive))
      try {
        process.kill(-w.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    await hook?.close();
    await rx?.close();
    await redis?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`workerRig: ${what} used outside a test (it starts in beforeAll)`);
    return v;
  };

  const rig: WorkerRig = {
    get redis() {
      return need(redis, 'redis (pass workerRig a `redis` option)');
    },
    get rx() {
      return need(rx, 'rx');
    },
    get hook() {
      return need(hook, 'hook');
    },
    get tmp() {
      return need(tmp, 'tmp');
    },
    get dataDir() {
      return join(rig.tmp, 'data');
    },
    get configFile() {
      return join(rig.tmp, 'flightwatch.yaml');
    },
    workers,

    serveFrames(frames, o) {
      let served = 0;
      let idle = 0;
      let flying = !o.held;
      let clockStart = Date.now();
      rig.rx.route(AIRCRAFT_PATH, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (!flying) {
          idle++;
          res.end(readsbAircraftJson([], Date.now()));
          return;
        }
        const frame = frames[Math.min(served, frames.length - 1)];
        const stamp = o.stamp === 'virtual' ? clockStart + served * FRAME_STEP_MS : Date.now();
        served++;
        res.end(readsbAircraftJson(frame, stamp));
      });
      return {
        served: () => served,
        idle: () => idle,
        fly() {
          clockStart = Date.now();
          flying = true;
        },
      };
    },

    writeConfig(c) {
      writeFileSync(
        rig.configFile,
        [
          'sources:',
          `  - { id: rx, kind: receiver, url: "${rig.rx.url}${AIRCRAFT_PATH}", timeoutMs: 3000 }`,
          'poll: { schedule: "* * * * * *" }',
          'watch:',
          `  - { id: charters, match: { hex: [${c.hexes.join(', ')}] }, tags: [removal-charter] }`,
          'alerts:',
          `  outboxDir: "${join(rig.tmp, 'outbox')}"`,
          ...(c.concurrency !== undefined ? [`  concurrency: ${c.concurrency}`] : []),
          '  retry: { backoffBase: 1s, backoffMax: 2s, horizon: 1h }',
          '  channels:',
          ...c.channels.map(
            (id) =>
              `    - { id: ${id}, kind: webhook, url: "${rig.hook.url}", secretEnv: HOOK_SECRET, timeoutMs: ${c.channelTimeoutMs} }`,
          ),
          ...(c.archiveBatchSize !== undefined ? [`archive: { batchSize: ${c.archiveBatchSize} }`] : []),
          `data: { dir: "${rig.dataDir}" }`,
          '',
        ].join('\n'),
      );
    },

    env(extra) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FLIGHTWATCH_CONFIG_WATCH: 'off',
        PORT: '0',
        LOG_LEVEL: 'info',
        HOOK_SECRET: SECRET,
      };
      for (const k of ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'FLIGHTWATCH_REDIS', 'FLIGHTWATCH_REDIS_PREFIX'])
        delete env[k];
      return { ...env, ...extra };
    },

    async startWorker(what, env, opts = {}) {
      const w = spawnWorker(rig.configFile, env, { detached: true });
      workers.push(w);
      await w.waitForLog(what, (l) => l.msg === 'worker started', { timeoutMs: 90_000, ...opts });
      return w;
    },

    async killGroup(w) {
      process.kill(-w.child.pid!, 'SIGKILL');
      expect((await w.exited).signal).toBe('SIGKILL');
    },

    queuesOn(url) {
      const conn = createRedis(url, 'producer');
      const queues = createQueues(conn, 'flightwatch', RETRY);
      return {
        ...queues,
        async closeAll() {
          await queues.close();
          conn.disconnect();
        },
      };
    },
  };
  return rig;
}
