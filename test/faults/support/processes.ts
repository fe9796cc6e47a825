/**
 * Real processes for the fault suite: a redis-server with AOF (appendonly yes, appendfsync everysec) that can
 * be SIGKILLed and restarted on the same port and directory, and the notify worker child
 * (scripts/fault-worker.ts) that can be SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    let buf = '';
    s.setTimeout(300, () => (s.destroy(), res(false)));
    s.on('error', () => res(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d.toString();
      // While loading the AOF Redis answers -LOADING: not ready yet.
      if (buf.includes('\r\n')) {
        s.end();
        res(buf.startsWith('+PONG'));
      }
    });
  });
}

export interface AofRedis {
  url: string;
  port: number;
  dir: string;
  pid(): number | undefined;
  /** SIGKILL: no shutdown, no final fsync; what is not in the AOF file yet is gone. */
  kill(): Promise<void>;
  /** Starts redis-server again on the same port and dir (replays the AOF). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAofRedis(): Promise<AofRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-faults-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const launch = async () => {
    const c = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    c.stdout.on('data', (d) => (out = (out + d.toString()).slice(-2000)));
    let dead = false;
    exited = new Promise<void>((r) => c.once('exit', () => ((dead = true), r())));
    const until = Date.now() + 15_000;
    while (!(await ping(port))) {
      if (dead || Date.now() > until) throw new Error(`redis-server did not start on ${port}: ${out}`);
      await sleep(30);
    }
    child = c;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid,
    async kill() {
      child?.kill('SIGKILL');
      await exited;
    },
    restart: launch,
    async stop() {
      child?.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerChild {
  proc: ChildProcess;
  pid: number;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts scripts/fault-worker.ts; resolves once it printed "ready". */
export function startFaultWorker(env: Record<string, string>): Promise<WorkerChild> {
  const proc = spawn(process.execPath, ['--require', 'tsx/cjs', resolve(ROOT, 'scripts/fault-worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return new Promise((res, rej) => {
    proc.stdout.on('data', (d) => {
      if (d.toString().includes('ready')) res({ proc, pid: proc.pid!, stderr: () => err, exited });
    });
    proc.once('exit', (code, sig) => rej(new Error(`fault-worker exited (${code ?? sig}) before ready: ${err}`)));
  });
}

export async function waitFor(
  what: string,
  pred: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export { sleep };
