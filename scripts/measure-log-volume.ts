/**
 * Log volume of the real `flightwatch worker` process under two incidents, in lines per minute:
 *   source-outage  the only source answers HTTP 500 for OUTAGE_S seconds (poll every 2 s)
 *   redis-kill     redis-server is SIGKILLed, stays down REDIS_DOWN_S seconds, and is restarted
 *   redis-stop     redis-server is SIGSTOPped for STOP_S seconds (socket open, no answer), then SIGCONTed
 *   steady         STEADY_S seconds of healthy polling before the incidents (what a quiet worker logs)
 * Lines are counted from the start of the incident to REDIS_DOWN_S + 10 s after (redis-kill) or to the end
 * of the outage plus one cycle (source-outage), by level, with non-JSON lines (stdout or stderr) apart.
 *
 *   npx ts-node --transpile-only scripts/measure-log-volume.ts [--repo DIR] [--outage-s 60] [--redis-down-s 20] [--stop-s 30] [--steady-s 120]
 *
 * --repo runs another checkout's CLI (e.g. a worktree of the commit before) for the "before" figures. The
 * last line of output is one JSON object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as netServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return (i > 0 ? process.argv[i + 1] : undefined) ?? dflt;
};
const REPO = resolve(arg('repo', resolve(__dirname, '..')));
const OUTAGE_S = Number(arg('outage-s', '60'));
const REDIS_DOWN_S = Number(arg('redis-down-s', '20'));
const STOP_S = Number(arg('stop-s', '30'));
const STEADY_S = Number(arg('steady-s', '120'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise<number>((done) => {
    const s = netServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });

interface Line {
  at: number;
  json: boolean;
  level?: string;
  msg?: string;
}

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) done(child);
    });
    child.once('exit', () => fail(new Error(`redis-server exited: ${out.slice(-300)}`)));
  });
}

function startWorker(config: string, env: NodeJS.ProcessEnv, lines: Line[]): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', join(REPO, 'src/cli/index.ts'), 'worker', '--config', config],
    {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (d: Buffer) => {
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        if (!p.trim()) continue;
        try {
          const j = JSON.parse(p) as { level?: string; msg?: string };
          lines.push({ at: Date.now(), json: true, level: j.level, msg: j.msg });
        } catch {
          lines.push({ at: Date.now(), json: false, msg: p.slice(0, 120) });
        }
      }
    });
  }
  return child;
}

function count(lines: Line[], from: number, to: number) {
  const sel = lines.filter((l) => l.at >= from && l.at <= to);
  const byLevel: Record<string, number> = {};
  for (const l of sel) {
    const k = l.json ? (l.level ?? '?') : 'non-json';
    byLevel[k] = (byLevel[k] ?? 0) + 1;
  }
  const minutes = (to - from) / 60_000;
  const topMsgs: Record<string, number> = {};
  for (const l of sel)
    if (l.level !== 'info' && l.level !== 'debug') topMsgs[l.msg ?? ''] = (topMsgs[l.msg ?? ''] ?? 0) + 1;
  return {
    seconds: Math.round((to - from) / 1000),
    lines: sel.length,
    linesPerMinute: Math.round((sel.length / minutes) * 10) / 10,
    warnErrorPerMinute:
      Math.round((sel.filter((l) => !l.json || l.level === 'warn' || l.level === 'error').length / minutes) * 10) / 10,
    byLevel,
    top: Object.entries(topMsgs)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([m, n]) => `${n}× ${m.slice(0, 80)}`),
  };
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'fw-logvol-'));
  let failing = false;
  let served = 0;
  const rx: Server = createServer((_q, res) => {
    if (failing) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('upstream exploded');
      return;
    }
    served++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ now: Date.now() / 1000, aircraft: [] }));
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', () => r()));
  const rxUrl = `http://127.0.0.1:${(rx.address() as { port: number }).port}/aircraft.json`;
  const redisPort = await freePort();
  let redis = await startRedis(redisPort, tmp);
  const config = join(tmp, 'flightwatch.yaml');
  writeFileSync(
    config,
    [
      'sources:',
      `  - { id: rx, kind: receiver, url: "${rxUrl}", timeoutMs: 1000 }`,
      'poll:',
      '  schedule: "*/2 * * * * *"',
      'watch:',
      '  - { id: tails, match: { hex: [acb2ba] } }',
      'alerts:',
      `  outboxDir: "${join(tmp, 'outbox')}"`,
      'operate:',
      '  blindAfter: 1h',
      'data:',
      `  dir: "${join(tmp, 'data')}"`,
      '',
    ].join('\n'),
  );
  const lines: Line[] = [];
  const worker = startWorker(
    config,
    {
      ...process.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      PORT: '0',
      LOG_LEVEL: 'info',
      FLIGHTWATCH_REDIS_PREFIX: 'logvol',
    },
    lines,
  );
  try {
    // Warm up: a few served cycles (counted at the receiver: the per-cycle line may be debug only).
    for (let i = 0; i < 200 && served < 3; i++) await sleep(100);

    const steadyFrom = Date.now();
    await sleep(STEADY_S * 1000);
    const steady = count(lines, steadyFrom, Date.now());

    const outageFrom = Date.now();
    failing = true;
    await sleep(OUTAGE_S * 1000);
    failing = false;
    await sleep(2500);
    const sourceOutage = count(lines, outageFrom, Date.now());

    await sleep(3000);
    const killFrom = Date.now();
    redis.kill('SIGKILL');
    await sleep(REDIS_DOWN_S * 1000);
    redis = await startRedis(redisPort, tmp);
    await sleep(10_000);
    const redisKill = count(lines, killFrom, Date.now());

    await sleep(3000);
    const stopFrom = Date.now();
    redis.kill('SIGSTOP');
    await sleep(STOP_S * 1000);
    redis.kill('SIGCONT');
    await sleep(10_000);
    const redisStop = count(lines, stopFrom, Date.now());

    console.log(
      JSON.stringify({
        repo: REPO,
        outageS: OUTAGE_S,
        redisDownS: REDIS_DOWN_S,
        stopS: STOP_S,
        steadyS: STEADY_S,
        steady,
        sourceOutage,
        redisKill,
        redisStop,
        date: new Date().toISOString(),
      }),
    );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    redis.kill('SIGCONT');
    redis.kill('SIGKILL');
    rx.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
