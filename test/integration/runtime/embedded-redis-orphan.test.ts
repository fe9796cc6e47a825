/**
 * A worker killed alone (SIGKILL of node: OOM killer, `kill -9 <node pid>`) leaves its embedded redis-server
 * running, orphaned. The next start on the same data dir must adopt that server (its URL file names it by
 * run_id), not start a second redis-server on the same AOF directory, and a clean stop must shut the adopted
 * server down like a started one. Real processes throughout: the real CLI worker (as `npm start` runs it) with
 * FLIGHTWATCH_REDIS=embedded, and real redis-servers. Which redis-servers serve a data dir is read from /proc
 * (a redis-server's working directory is its --dir; it rewrites its command line, so argv cannot tell).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import IORedis from 'ioredis';
import { startFaultServer, reply, type FaultServer } from '../../helpers/fault-server';
import { until, within } from '../../helpers/wait';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process';
import { writeConfig } from '../operate/support';
import { startEmbeddedRedis } from '../../../src/runtime/redis/embedded-server';
import { pingRedis, redisRunId } from '../../../src/runtime/redis/probe';
import type { ResolvedRedis } from '../../../src/runtime/redis/resolved-redis';
import { embeddedUrlFile, liveEmbeddedRedisUrl } from '../../../src/runtime/redis/url-file';
import { createLogger } from '../../../src/util/log';

jest.setTimeout(60_000);

const describeLinux = existsSync('/proc/self/stat') ? describe : describe.skip;

/** State letter and parent pid from /proc/<pid>/stat; undefined once the pid is gone. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}
/** Running: exists and is not a zombie (an orphan's parent here may be an init that never reaps). */
const running = (pid: number) => {
  const s = stat(pid);
  return !!s && s.state !== 'Z' && s.state !== 'X';
};

/** Pids of the running redis-servers whose working directory (= their --dir, where the AOF is) is `dir`. */
function redisServersOn(dir: string, under = false): number[] {
  const want = realpathSync(dir);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'redis-server') continue;
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (running(pid) && (cwd === want || (under && cwd.startsWith(`${want}/`)))) pids.push(pid);
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return pids;
}

async function serverPid(url: string): Promise<number> {
  const r = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    return Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
  } finally {
    r.disconnect();
  }
}

let tmp: string;
const workers: WorkerProcess[] = [];
const servers: ResolvedRedis[] = [];
const clients: IORedis[] = [];
beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-redis-orphan-'))));
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const w of workers.splice(0))
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  for (const s of servers.splice(0)) await s.stop();
  // Whatever redis-server a failed test left running on a dir of its own (an orphan, a second server).
  if (existsSync('/proc/self/stat')) for (const pid of redisServersOn(tmp, true)) process.kill(pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describeLinux('an embedded redis-server orphaned by a SIGKILLed worker', () => {
  let rx: FaultServer;
  beforeAll(async () => {
    rx = await startFaultServer();
    rx.route('/data/aircraft.json', reply.json({ now: Date.now() / 1000, aircraft: [] }));
  });
  afterAll(() => rx.close());

  it('is adopted by the next worker (one redis-server on the data dir, its data intact) and stopped with it on SIGTERM', async () => {
    const dataDir = join(tmp, 'data');
    const redisDir = join(dataDir, 'redis');
    const file = join(tmp, 'flightwatch.yaml');
    writeConfig(file, {
      receiverUrl: `${rx.url}/data/aircraft.json`,
      types: ['GLF5'],
      dataDir,
      outboxDir: join(tmp, 'outbox'),
    });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLIGHTWATCH_REDIS: 'embedded',
      FLIGHTWATCH_CONFIG_WATCH: 'off',
      PORT: '0',
      LOG_LEVEL: 'debug', // the per-cycle 'poll cycle' line is debug
    };
    delete env.REDIS_URL;

    // First worker: starts its own redis-server (a child of node).
    const first = spawnWorker(file, env);
    workers.push(first);
    const started = await first.waitForLog(
      'embedded redis',
      (l) => l.msg === 'started embedded redis-server (AOF persistence)',
    );
    const port = Number(started.port);
    const url = `redis://127.0.0.1:${port}`;
    const orphan = await serverPid(url);
    expect(stat(orphan)?.ppid).toBe(first.child.pid);
    const runId = await redisRunId('127.0.0.1', port);
    if (!runId.ok) throw new Error(runId.reason);
    const before = new IORedis(url, { maxRetriesPerRequest: 1 });
    clients.push(before);
    await before.set('fw:orphan-test', 'written before the kill');
    before.disconnect();
    await first.waitForLog('a poll by the first worker', (l) => l.msg === 'poll cycle');

    // Only node dies. The redis-server survives, orphaned, and its URL file stays.
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    await until('the orphan is reparented', () => stat(orphan)?.ppid !== first.child.pid);
    expect(running(orphan)).toBe(true);
    expect(await pingRedis('127.0.0.1', port)).toBe(true);
    expect(redisServersOn(redisDir)).toEqual([orphan]);
    expect(readFileSync(embeddedUrlFile(dataDir), 'utf8')).toBe(`${url}\nrun_id=${runId.runId}\n`);

    // Second worker on the same data dir: adopts it, says so once with its pid, starts no redis-server.
    const second = spawnWorker(file, env);
    workers.push(second);
    const adopted = await second.waitForLog(
      'adoption',
      (l) => l.msg?.startsWith('adopted the embedded redis-server') === true,
    );
    expect(adopted).toMatchObject({ pid: orphan, port: started.port, dir: redisDir });
    expect(adopted.msg).toContain(`(pid ${orphan})`);
    await second.waitForLog(
      'a poll on the adopted Redis',
      (l) => second.lines.indexOf(l) > second.lines.indexOf(adopted) && l.msg === 'poll cycle',
    );
    expect(second.lines.filter((l) => l.msg?.startsWith('adopted the embedded redis-server'))).toHaveLength(1);
    expect(second.lines.some((l) => l.msg === 'started embedded redis-server (AOF persistence)')).toBe(false);
    expect(redisServersOn(redisDir)).toEqual([orphan]);
    // The CLI still finds it through the file, and it is the orphan, data and all.
    expect(
      await liveEmbeddedRedisUrl(dataDir, undefined, (m) => {
        throw new Error(m);
      }),
    ).toBe(url);
    expect(await serverPid(url)).toBe(orphan);
    const after = new IORedis(url, { maxRetriesPerRequest: 1 });
    clients.push(after);
    expect(await after.get('fw:orphan-test')).toBe('written before the kill');
    after.disconnect();

    // A clean stop leaves nothing running: the adopted server is shut down, its file removed.
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(running(orphan)).toBe(false);
    expect(await pingRedis('127.0.0.1', port)).toBe(false);
    expect(redisServersOn(redisDir)).toEqual([]);
    expect(existsSync(embeddedUrlFile(dataDir))).toBe(false);
    expect(existsSync(join(redisDir, 'appendonlydir'))).toBe(true);
  });
});

describeLinux(
  "a live server named by the URL file that is not this data dir's orphan is never adopted nor touched",
  () => {
    const capture = () => {
      const lines: Array<Record<string, unknown>> = [];
      const destination = new Writable({
        write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()),
      });
      return { lines, log: createLogger({ destination, env: {} }) };
    };

    it("another data dir's server (a URL file copied along with a data dir): a new server is started, the other one left as it was", async () => {
      const a = join(tmp, 'a');
      const b = join(tmp, 'b');
      const serverA = await startEmbeddedRedis(
        a,
        createLogger({ destination: new Writable({ write: (_c, _e, d) => d() }), env: {} }),
      );
      servers.push(serverA);
      const pidA = await serverPid(serverA.url);
      const idA = await redisRunId('127.0.0.1', Number(new URL(serverA.url).port));
      const clientA = new IORedis(serverA.url, { maxRetriesPerRequest: 1 });
      clients.push(clientA);
      await clientA.set('a:key', 'a');
      mkdirSync(join(b, 'redis'), { recursive: true });
      copyFileSync(embeddedUrlFile(a), embeddedUrlFile(b));

      const { lines, log } = capture();
      const serverB = await startEmbeddedRedis(b, log);
      servers.push(serverB);
      expect(serverB.url).not.toBe(serverA.url);
      expect(lines.find((l) => String(l.msg).startsWith('not adopting'))).toMatchObject({
        msg: expect.stringContaining('its AOF dir is not this data dir'),
        pid: pidA,
      });
      expect(lines.some((l) => String(l.msg).startsWith('adopted'))).toBe(false);
      expect(redisServersOn(join(b, 'redis'))).toEqual([await serverPid(serverB.url)]);
      expect(redisServersOn(join(a, 'redis'))).toEqual([pidA]);

      // B's stop shuts down B only; A keeps running with its identity and data.
      await serverB.stop();
      servers.pop();
      expect(redisServersOn(join(b, 'redis'))).toEqual([]);
      expect(await redisRunId('127.0.0.1', Number(new URL(serverA.url).port))).toEqual(idA);
      expect(await clientA.get('a:key')).toBe('a');
    });

    it('the server of a worker still running on the same data dir: refused with a clear error, no second server', async () => {
      const dataDir = join(tmp, 'data');
      const first = await startEmbeddedRedis(
        dataDir,
        createLogger({ destination: new Writable({ write: (_c, _e, d) => d() }), env: {} }),
      );
      servers.push(first);
      const pid = await serverPid(first.url);
      const { log } = capture();
      await expect(startEmbeddedRedis(dataDir, log)).rejects.toThrow(
        /is still run by process \d+ .*another worker on the same data\.dir.*REDIS_URL/s,
      );
      expect(redisServersOn(join(dataDir, 'redis'))).toEqual([pid]);
      expect(
        await liveEmbeddedRedisUrl(dataDir, undefined, (m) => {
          throw new Error(m);
        }),
      ).toBe(first.url);
    });
  },
);

describeLinux('a started server', () => {
  it('stop() that comes after the server was killed (OOM killer, kill -9) resolves instead of waiting for an exit that happened', async () => {
    const dataDir = join(tmp, 'data');
    const server = await startEmbeddedRedis(
      dataDir,
      createLogger({ destination: new Writable({ write: (_c, _e, d) => d() }), env: {} }),
    );
    const pid = await serverPid(server.url);
    process.kill(pid, 'SIGKILL');
    // Gone from /proc once node has reaped it, which is when node emits the child's 'exit'.
    await until('node reaps the killed server', () => stat(pid) === undefined);
    await new Promise((r) => setImmediate(r));
    await expect(
      within('stop() of a server that was killed already', server.stop(), { timeoutMs: 5000 }),
    ).resolves.toBeUndefined();
  });
});
