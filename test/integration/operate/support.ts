/** Runs the real `flightwatch worker` process and reads its JSON log lines, health endpoints and metrics. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO } from '../../helpers/cli';

export const CAPTURE = resolve(REPO, '../shared/fixtures/adsbx-readsb-hist-20220501T000000Z-aircraft.json');

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface WorkerProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** Everything written to stdout and stderr (for secret checks). */
  output(): string;
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  port(): Promise<number>;
}

export function spawnWorker(configFile: string, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', resolve(REPO, 'src/cli/index.ts'), 'worker', '--config', configFile],
    {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let partial = '';
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) {
      if (!p.trim()) continue;
      try {
        lines.push(JSON.parse(p) as LogLine);
      } catch {
        lines.push({ msg: p, level: 'raw' });
      }
    }
    waiters.forEach((w) => w());
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
    child.once('exit', (code, signal) => {
      waiters.forEach((w) => w());
      r({ code, signal, at: Date.now() });
    }),
  );
  const waitForLog = (pred: (l: LogLine) => boolean, timeoutMs = 20_000, what = 'log line') =>
    new Promise<LogLine>((done, fail) => {
      const check = () => {
        const hit = lines.find(pred);
        if (hit) {
          waiters.delete(check);
          clearTimeout(t);
          done(hit);
        } else if (child.exitCode !== null) {
          waiters.delete(check);
          clearTimeout(t);
          fail(new Error(`worker exited (${child.exitCode}) before ${what}:\n${out.slice(-3000)}`));
        }
      };
      const t = setTimeout(() => {
        waiters.delete(check);
        fail(new Error(`no ${what} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    child,
    lines,
    output: () => out,
    waitForLog,
    exited,
    port: async () =>
      Number(
        (await waitForLog((l) => l.msg === 'health and metrics on /livez /readyz /metrics', 20_000, 'health server'))
          .port,
      ),
  };
}

export interface TestConfig {
  receiverUrl: string;
  types: string[];
  dataDir: string;
  outboxDir: string;
  webhookUrl?: string;
  smtp?: boolean;
  /** Raw YAML appended to the watch list (to inject problems). */
  extraWatchYaml?: string;
}

export function writeConfig(file: string, c: TestConfig): void {
  const channels: string[] = [];
  if (c.webhookUrl)
    channels.push(`    - { id: hook, kind: webhook, url: "${c.webhookUrl}", secretEnv: HOOK_SECRET, timeoutMs: 2000 }`);
  if (c.smtp)
    channels.push('    - { id: mail, kind: email, to: [ops@example.org], from: "fw <fw@example.org>", map: false }');
  writeFileSync(
    file,
    [
      'sources:',
      `  - { id: rx, kind: receiver, url: "${c.receiverUrl}", timeoutMs: 3000 }`,
      'poll:',
      '  schedule: "* * * * * *"',
      'watch:',
      `  - id: jets`,
      `    match: { types: [${c.types.join(', ')}] }`,
      ...(c.extraWatchYaml ? [c.extraWatchYaml] : []),
      'alerts:',
      `  outboxDir: "${c.outboxDir}"`,
      '  retry: { backoffBase: 1s, backoffMax: 2s, horizon: 1h }',
      ...(channels.length ? ['  channels:', ...channels] : []),
      'operate:',
      '  blindAfter: 3s',
      '  readyMaxDataAge: 20s',
      '  reloadDebounce: 200ms',
      'data:',
      `  dir: "${c.dataDir}"`,
      '',
    ].join('\n'),
  );
}

export async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

/** Value of one Prometheus sample, e.g. metric(text, 'flightwatch_source_polls_total', { source: 'rx', outcome: 'ok' }). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

/** Polls `fn` (sync or async) every 150 ms until it returns a truthy value; a throw counts as not yet. */
export async function until<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
