/**
 * Real processes for the fault suite: a redis-server with AOF (appendonly yes, appendfsync everysec) that can
 * be SIGKILLed and restarted on the same port and directory, and the notify worker child
 * (scripts/fault-worker.ts) that can be SIGKILLed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../src/runtime/redis/free-port';
import { redisServerReady } from '../../helpers/redis-server';
import { within } from '../../helpers/wait';

export const ROOT = resolve(__dirname, '../../..');

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
    exited = new Promise<void>((r) => c.once('exit', () => r()));
    // Ready once the AOF is replayed (before that it answers -LOADING).
    await redisServerReady(c, `redis-server (AOF) on ${port}`, { timeoutMs: 15_000 });
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
  const ready = new Promise<WorkerChild>((res, rej) => {
    proc.stdout.on('data', (d) => {
      if (d.toString().includes('ready')) res({ proc, pid: proc.pid!, stderr: () => err, exited });
    });
    proc.once('exit', (code, sig) => rej(new Error(`fault-worker exited (${code ?? sig}) before ready: ${err}`)));
  });
  return within('the fault worker to print "ready"', ready, {
    timeoutMs: 60_000,
    detail: () => err.slice(-2000),
  }).catch((e: unknown) => {
    proc.kill('SIGKILL');
    throw e;
  });
}
