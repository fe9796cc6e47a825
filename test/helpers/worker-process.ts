/** Runs the real `flightwatch worker` process (TypeScript sources through tsx) and reads its JSON log lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { REPO } from './cli';
import { whenEvent, type WaitOptions } from './wait';

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface WorkerProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** 'line' for every log line read, 'exit' when the process is gone and its output read. */
  events: EventEmitter;
  /** Everything written to stdout and stderr (for secret checks). */
  output(): string;
  /** The first log line `pred` holds for (default 20 s); fails at once, with the output, if the worker exits first. */
  waitForLog(what: string, pred: (l: LogLine) => boolean, opts?: WaitOptions): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The port of its health and metrics server (PORT=0 picks a free one). */
  port(): Promise<number>;
}

/** `detached`: in a process group of its own, so a test can kill the group (the worker and its redis-server). */
export function spawnWorker(
  configFile: string,
  env: NodeJS.ProcessEnv,
  opts: { detached?: boolean } = {},
): WorkerProcess {
  return spawnWorkerCommand(
    [process.execPath, '--require', 'tsx/cjs', resolve(REPO, 'src/cli/index.ts'), 'worker', '--config', configFile],
    { cwd: REPO, env, detached: opts.detached },
  );
}

/** Any command that runs the worker (a built `dist/cli/index.js`, an image's CMD), read the same way. */
export function spawnWorkerCommand(
  argv: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; detached?: boolean },
): WorkerProcess {
  const child = spawn(argv[0], argv.slice(1), {
    cwd: opts.cwd,
    env: opts.env,
    detached: opts.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events = new EventEmitter();
  let out = '';
  let partial = '';
  const lines: LogLine[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      if (!p.trim()) continue;
      let line: LogLine;
      try {
        line = JSON.parse(p) as LogLine;
      } catch {
        line = { msg: p, level: 'raw' };
      }
      lines.push(line);
      events.emit('line', line);
    }
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal, at: Date.now() })),
  );
  // 'close', not 'exit': by then every line it wrote has been read.
  let gone = false;
  child.once('close', () => {
    gone = true;
    events.emit('exit');
  });
  const waitForLog = (what: string, pred: (l: LogLine) => boolean, o: WaitOptions = {}) =>
    whenEvent(
      what,
      events,
      ['line', 'exit'],
      () => {
        const hit = lines.find(pred);
        if (hit) return hit;
        if (gone)
          throw new Error(`worker exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${out.slice(-3000)}`);
        return undefined;
      },
      { timeoutMs: 20_000, detail: () => `output:\n${out.slice(-3000)}`, ...o },
    );
  return {
    child,
    lines,
    events,
    output: () => out,
    waitForLog,
    exited,
    port: async () =>
      Number(
        (await waitForLog('the health server', (l) => l.msg === 'health and metrics on /livez /readyz /metrics')).port,
      ),
  };
}
