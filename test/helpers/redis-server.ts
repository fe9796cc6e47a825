/**
 * A throwaway redis-server child per test file: free loopback port, no persistence, own temp dir. Tests
 * never touch the shared 127.0.0.1:6379. `kill(signal)` simulates a crash; `stop()` shuts down cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/runtime/redis/free-port';
import { whenEvent, type WaitOptions } from './wait';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Resolves once `child` (a redis-server at the default log level) logs that it accepts connections, which it
 * does after loading its data (AOF replay included); rejects with its output if it exits before.
 */
export async function redisServerReady(child: ChildProcess, what: string, opts: WaitOptions = {}): Promise<void> {
  const stdout = child.stdout;
  if (!stdout) throw new Error(`${what}: spawn redis-server with stdout piped to see when it is ready`);
  let out = '';
  let closed = false;
  stdout.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  stdout.once('close', () => (closed = true));
  await whenEvent(
    what,
    stdout,
    ['data', 'close'],
    () => {
      if (out.includes('Ready to accept connections')) return true;
      if (closed) throw new Error(`${what}: redis-server exited before it was ready: ${out.slice(-500)}`);
      return false;
    },
    { timeoutMs: 5000, detail: () => out.slice(-500), ...opts },
  );
}

export async function startRedis(extraArgs: string[] = []): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-redis-'));
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let exited = false;
    const exitedP = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
    try {
      await redisServerReady(child, `redis-server on port ${port}`);
    } catch (e) {
      child.kill('SIGKILL');
      if (tries < 3) continue; // most likely the port was taken meanwhile
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (!exited) child.kill(signal);
      await exitedP;
    };
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      kill,
      async stop() {
        await kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
