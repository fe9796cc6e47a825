/**
 * A throwaway redis-server child per test file: free loopback port, no persistence, own temp dir. Tests
 * never touch the shared 127.0.0.1:6379. `kill(signal)` simulates a crash; `stop()` shuts down cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let buf = '';
    s.setTimeout(300, () => (s.destroy(), resolve(false)));
    s.on('error', () => resolve(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) (s.end(), resolve(buf.startsWith('+PONG')));
    });
  });
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
    let out = '';
    child.stdout?.on('data', (d) => (out += d.toString()));
    const until = Date.now() + 5000;
    while (!exited && Date.now() < until && !(await answersPing(port))) await new Promise((r) => setTimeout(r, 30));
    if (exited || Date.now() >= until) {
      child.kill('SIGKILL');
      if (tries < 3) continue;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start on port ${port}: ${out.slice(-500)}`);
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
