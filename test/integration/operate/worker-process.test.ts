/**
 * The real worker process (`flightwatch worker`, spawned like `npm start` but from the TypeScript sources):
 * a local HTTP server replays the real ADS-B Exchange capture as a receiver's aircraft.json; Redis is a
 * redis-server of our own (REDIS_URL) in the first run and the embedded one in the second. Probes /livez
 * /readyz /metrics, makes the watcher blind and lets it recover, reloads (file change, SIGHUP, invalid
 * file), stops with SIGTERM, and checks that no secret from the env reaches the output.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startFaultServer, reply, type FaultServer } from '../../helpers/fault-server';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { pingRedis } from '../../../src/runtime/redis/probe';
import type { OperationalEvent } from '../../../src/domain/event';
import { ADSBX as CAPTURE, describeShared } from '../../helpers/shared';
import { until, whenEvent } from '../../helpers/wait';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process';
import { get, metric, writeConfig } from './support';

jest.setTimeout(90_000);

const HOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const SMTP_PASSWORD = `pw-${randomBytes(9).toString('hex')}`;
// In the capture: 11 GLF5 and 13 GLF4 (counted by the real parser and watchlist).
const GLF5 = 11;
const GLF4 = 13;

function closedPort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
}

const operational = (w: WebhookReceiver, kind: string) =>
  w.requests.filter((r) => {
    const p = r.payload as { type?: string; event?: { details?: { operational?: { kind?: string } } } } | undefined;
    return r.verified && p?.type === 'flightwatch.operational' && p.event?.details?.operational?.kind === kind;
  });

function expectNoSecrets(output: string) {
  expect(output).not.toContain(SMTP_PASSWORD);
  expect(output).not.toContain(HOOK_SECRET);
  expect(output).not.toContain(HOOK_SECRET.slice('whsec_'.length));
}

/** Returns once the worker has logged `n` more poll cycles (the blind watcher checks after each one). */
async function morePollCycles(w: WorkerProcess, n: number, when: string): Promise<void> {
  const from = w.lines.length;
  await whenEvent(
    `${n} more poll cycles ${when}`,
    w.events,
    'line',
    () => w.lines.slice(from).filter((l) => l.msg === 'poll cycle').length >= n,
    { timeoutMs: 5000 + n * 2000 },
  );
}

async function sigterm(w: WorkerProcess): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  w.child.kill('SIGTERM');
  const r = await w.exited;
  return { code: r.code, ms: r.at - t0 };
}

describeShared('worker process', () => {
  let rx: FaultServer;
  let tmp: string;
  beforeAll(async () => {
    rx = await startFaultServer();
    rx.route('/data/aircraft.json', reply.file(CAPTURE));
  });
  afterAll(async () => {
    await rx.close();
  });
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fw-operate-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('on REDIS_URL: health, metrics, blind/recovered alerts once each, reload on file change, SIGTERM exits 0', async () => {
    const redis: TestRedis = await startRedis(['--maxmemory-policy', 'noeviction']);
    const hook = await startWebhookReceiver(HOOK_SECRET);
    const file = join(tmp, 'flightwatch.yaml');
    const base = {
      receiverUrl: `${rx.url}/data/aircraft.json`,
      dataDir: join(tmp, 'data'),
      outboxDir: join(tmp, 'outbox'),
      webhookUrl: hook.url,
      smtp: true,
    };
    writeConfig(file, { ...base, types: ['GLF5'] });
    const w = spawnWorker(file, {
      ...process.env,
      REDIS_URL: redis.url,
      FLIGHTWATCH_REDIS_PREFIX: `op${randomBytes(3).toString('hex')}`,
      PORT: '0',
      LOG_LEVEL: 'debug', // the per-cycle 'poll cycle' line is debug
      HOOK_SECRET,
      SMTP_URL: `smtp://fwuser:${SMTP_PASSWORD}@127.0.0.1:${await closedPort()}`,
    });
    try {
      const url = `http://127.0.0.1:${await w.port()}`;
      expect((await get(`${url}/livez`)).status).toBe(200);
      const ready = await until(
        '/readyz 200',
        async () => ((await get(`${url}/readyz`)).status === 200 ? get(`${url}/readyz`) : undefined),
        { timeoutMs: 30_000 },
      );
      const body = JSON.parse(ready.text) as { ready: boolean; checks: Record<string, { ok: boolean }> };
      expect(body).toMatchObject({
        ready: true,
        checks: { redis: { ok: true }, sources: { ok: true }, data: { ok: true } },
      });

      // Metrics after a few served cycles.
      const m = await until(
        'two served polls and events in /metrics',
        async () => {
          const t = (await get(`${url}/metrics`)).text;
          return (metric(t, 'flightwatch_source_polls_total', { source: 'rx', outcome: 'ok' }) ?? 0) >= 2 &&
            (metric(t, 'flightwatch_events_total', { type: 'seen' }) ?? 0) > 0
            ? t
            : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(metric(m, 'flightwatch_poll_cycles_total', { outcome: 'served' })).toBeGreaterThanOrEqual(2);
      expect(metric(m, 'flightwatch_source_requests_total', { source: 'rx' })).toBeGreaterThanOrEqual(2);
      expect(metric(m, 'flightwatch_matched_aircraft')).toBe(GLF5);
      expect(metric(m, 'flightwatch_source_data_age_seconds', { source: 'rx' })).toBeLessThan(10);
      expect(metric(m, 'flightwatch_source_available', { source: 'rx' })).toBe(1);
      expect(metric(m, 'flightwatch_queue_jobs', { queue: 'poll', state: 'completed' })).toBeGreaterThanOrEqual(1);
      expect(metric(m, 'flightwatch_dead_letters', { queue: 'notify' })).toBeDefined();
      await until(
        'webhook deliveries and failing e-mail retries in /metrics',
        async () => {
          const t = (await get(`${url}/metrics`)).text;
          return (
            (metric(t, 'flightwatch_deliveries_total', {
              channel: 'hook',
              outcome: 'delivered',
              operational: 'false',
            }) ?? 0) > 0 &&
            (metric(t, 'flightwatch_deliveries_total', { channel: 'mail', outcome: 'retry', operational: 'false' }) ??
              0) > 0
          );
        },
        { timeoutMs: 30_000 },
      );
      expect(hook.requests.filter((r) => r.verified).length).toBeGreaterThan(0);

      // Blind: the receiver answers 503. One operational alert, /readyz turns 503; then it recovers.
      rx.route('/data/aircraft.json', reply.text('down for maintenance', 503));
      await hook.waitFor('the blind alert', () => operational(hook, 'blind').length === 1, { timeoutMs: 20_000 });
      const notReady = await get(`${url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(JSON.parse(notReady.text).checks.sources.ok).toBe(false);
      // Every poll cycle while blind checks again: three more, and no request in hand, before "raised once".
      await morePollCycles(w, 3, 'while blind');
      await hook.idle();
      expect(operational(hook, 'blind')).toHaveLength(1);
      // The operational shape: its own event type, a summary and the sources' status; no aircraft, no map links.
      const blindBody = operational(hook, 'blind')[0].payload as { event: OperationalEvent };
      expect(blindBody.event).toMatchObject({
        type: 'operational',
        source: 'flightwatch',
        details: {
          operational: { kind: 'blind', summary: expect.stringContaining('No ADS-B source has returned data') },
        },
      });
      expect(blindBody.event.details.operational.sources).toMatch(/^rx: /);
      expect(blindBody.event).not.toHaveProperty('aircraft');
      expect(blindBody).not.toHaveProperty('links');
      rx.reset();
      rx.route('/data/aircraft.json', reply.file(CAPTURE));
      await hook.waitFor('the recovered alert', () => operational(hook, 'recovered').length === 1, {
        timeoutMs: 20_000,
      });
      await morePollCycles(w, 2, 'after recovery');
      await hook.idle();
      expect(operational(hook, 'recovered')).toHaveLength(1);
      expect(operational(hook, 'blind')).toHaveLength(1);
      const blindMetrics = (await get(`${url}/metrics`)).text;
      expect(metric(blindMetrics, 'flightwatch_operational_alerts_total', { kind: 'blind' })).toBe(1);
      expect(metric(blindMetrics, 'flightwatch_source_polls_total', { source: 'rx', outcome: 'http' })).toBeGreaterThan(
        0,
      );

      // Reload on a file change: GLF5 → GLF4 is applied without a restart.
      writeConfig(file, { ...base, types: ['GLF4'] });
      const reloaded = await w.waitForLog(
        'reload after file change',
        (l) => l.msg === 'config reloaded' && l.reason === 'file change',
        { timeoutMs: 10_000 },
      );
      expect(reloaded.changed).toEqual(['watch']);
      await until(
        'GLF4 matches after reload',
        async () => metric((await get(`${url}/metrics`)).text, 'flightwatch_matched_aircraft') === GLF4,
        { timeoutMs: 10_000 },
      );

      // An invalid file keeps the running config and names every problem with its line.
      const n = w.lines.length;
      writeConfig(file, { ...base, types: ['GLF5'], extraWatchYaml: '  - id: bad\n    match: { hex: [zz12] }' });
      await w.waitForLog('rejected reload', (l) => l.msg?.startsWith('config reload rejected') === true, {
        timeoutMs: 10_000,
      });
      const problem = w.lines.slice(n).find((l) => l.msg?.startsWith('config problem'));
      expect(problem).toMatchObject({ path: 'watch[1].match.hex[0]', line: 9 });
      expect(String(problem?.problem)).toContain('"zz12" is not a 6-digit ICAO hex');
      const polled = w.lines.length;
      await w.waitForLog(
        'a poll after the rejected reload',
        (l) => w.lines.indexOf(l) > polled && l.msg === 'poll cycle',
        { timeoutMs: 10_000 },
      );
      expect(metric((await get(`${url}/metrics`)).text, 'flightwatch_matched_aircraft')).toBe(GLF4);

      const stop = await sigterm(w);
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(10_000);
      expect(w.lines.at(-1)).toMatchObject({ msg: 'stopped', signal: 'SIGTERM' });
      expectNoSecrets(w.output());
    } finally {
      if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await hook.close();
      await redis.stop();
    }
  });

  it('on the embedded Redis: SIGHUP applies a valid change and rejects an invalid one; SIGTERM stops redis-server too', async () => {
    const file = join(tmp, 'flightwatch.yaml');
    const base = {
      receiverUrl: `${rx.url}/data/aircraft.json`,
      dataDir: join(tmp, 'data'),
      outboxDir: join(tmp, 'outbox'),
    };
    writeConfig(file, { ...base, types: ['GLF5'] });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLIGHTWATCH_REDIS: 'embedded',
      FLIGHTWATCH_CONFIG_WATCH: 'off',
      PORT: '0',
      LOG_LEVEL: 'debug', // the per-cycle 'poll cycle' line is debug
      HOOK_SECRET,
    };
    delete env.REDIS_URL;
    const w = spawnWorker(file, env);
    try {
      const embedded = await w.waitForLog(
        'embedded redis',
        (l) => l.msg === 'started embedded redis-server (AOF persistence)',
        { timeoutMs: 20_000 },
      );
      const redisPort = Number(embedded.port);
      expect(embedded.dir).toBe(join(tmp, 'data', 'redis'));
      const url = `http://127.0.0.1:${await w.port()}`;
      await until('/readyz 200', async () => (await get(`${url}/readyz`)).status === 200, { timeoutMs: 30_000 });
      await until(
        'GLF5 matches',
        async () => metric((await get(`${url}/metrics`)).text, 'flightwatch_matched_aircraft') === GLF5,
        { timeoutMs: 15_000 },
      );
      // No channels configured: alerts go to the outbox.
      await until(
        'outbox files',
        () => existsSync(base.outboxDir) && readdirSync(base.outboxDir).some((f) => f.endsWith('.eml')),
        { timeoutMs: 20_000 },
      );

      writeConfig(file, { ...base, types: ['GLF4'] });
      // File watching is off: nothing may happen without SIGHUP. A watcher would reload within reloadDebounce
      // (200 ms); two poll cycles (a second or more) on the old config show it did not.
      await morePollCycles(w, 2, 'after the file change');
      expect(w.lines.some((l) => l.msg?.startsWith('config reloaded'))).toBe(false);
      w.child.kill('SIGHUP');
      const applied = await w.waitForLog('SIGHUP reload', (l) => l.msg === 'config reloaded' && l.reason === 'SIGHUP', {
        timeoutMs: 10_000,
      });
      expect(applied).toMatchObject({ changed: ['watch'], ingest: true });
      await until(
        'GLF4 matches after SIGHUP',
        async () => metric((await get(`${url}/metrics`)).text, 'flightwatch_matched_aircraft') === GLF4,
        { timeoutMs: 10_000 },
      );

      writeConfig(file, { ...base, types: ['GLF5'], extraWatchYaml: '  - id: Bad Id\n    match: {}' });
      const n = w.lines.length;
      w.child.kill('SIGHUP');
      await w.waitForLog('rejected SIGHUP reload', (l) => l.msg?.startsWith('config reload rejected') === true, {
        timeoutMs: 10_000,
      });
      const problems = w.lines.slice(n).filter((l) => l.msg?.startsWith('config problem'));
      expect(problems.map((p) => p.path).sort()).toEqual(['watch[1].id', 'watch[1].match']);
      expect(problems.every((p) => typeof p.line === 'number')).toBe(true);
      const polled = w.lines.length;
      await w.waitForLog(
        'a poll after the rejected reload',
        (l) => w.lines.indexOf(l) > polled && l.msg === 'poll cycle',
        { timeoutMs: 10_000 },
      );
      expect(metric((await get(`${url}/metrics`)).text, 'flightwatch_matched_aircraft')).toBe(GLF4);

      const stop = await sigterm(w);
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(10_000);
      expect(await pingRedis('127.0.0.1', redisPort)).toBe(false);
      expect(existsSync(join(tmp, 'data', 'redis', 'appendonlydir'))).toBe(true);
      expectNoSecrets(w.output());
    } finally {
      if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
  });
  it('without any Redis: one message saying how to get it, exit 1', async () => {
    const file = join(tmp, 'flightwatch.yaml');
    writeConfig(file, {
      receiverUrl: `${rx.url}/data/aircraft.json`,
      types: ['GLF5'],
      dataDir: join(tmp, 'data'),
      outboxDir: join(tmp, 'outbox'),
    });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLIGHTWATCH_REDIS: 'embedded',
      PATH: join(tmp, 'empty-path'),
      PORT: '0',
    };
    delete env.REDIS_URL;
    const w = spawnWorker(file, env);
    const r = await w.exited;
    expect(r.code).toBe(1);
    const text = w.output();
    expect(text.match(/No Redis available/g)).toHaveLength(1);
    expect(text).toMatch(/apt-get install redis-server/);
    expect(text).toMatch(/REDIS_URL=redis:\/\/127\.0\.0\.1:6379/);
    expect(text).toMatch(/docker compose up -d/);
  });
});
