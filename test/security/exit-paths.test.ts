/**
 * Security: every exit path of the real worker and CLI against hostile local stand-ins that echo the
 * credentials they receive. A readsb gateway answers 403 quoting the API key (→ /readyz, the "blind"
 * operational alert by webhook and e-mail, the log); an SMTP server rejects the login quoting the password
 * (→ `flightwatch alert test`, the dead-letter reason stored in Redis, `flightwatch dlq list`). Also: the
 * health server's bind address. Each secret is searched in every encoding a leak could take.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startFaultServer, type FaultServer } from '../helpers/fault-server';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { spawnWorker } from '../helpers/worker-process';
import { runCli } from '../helpers/cli';
import { until } from '../helpers/wait';
import { createLogger } from '../../src/util/log';
import { createRedis } from '../../src/pipeline/connection';
import { alertsSchema } from '../../src/config/alerts-schema';
import { buildChannels, closeChannels } from '../../src/alerting/build-channels';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { hostileEvent } from './support';

jest.setTimeout(90_000);

const API_KEY = `adsbx-key-${randomBytes(8).toString('hex')}`;
const SMTP_PASSWORD = `smtp-Pw/${randomBytes(6).toString('hex')}+x`;
const HOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

function encodings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  if (secret.startsWith('whsec_')) out.add(secret.slice(6));
  return [...out];
}
function expectClean(where: string, text: string) {
  for (const s of [API_KEY, SMTP_PASSWORD, HOOK_SECRET])
    for (const enc of encodings(s)) expect([where, text.includes(enc)]).toEqual([where, false]);
}

/** An SMTP server that accepts `accept` as the password and otherwise quotes the one it got in its error. */
async function startSmtp(accept: string | undefined, mails: string[]): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _s, cb) =>
      auth.password === accept
        ? cb(null, { user: auth.username })
        : cb(Object.assign(new Error(`Authentication failed for password "${auth.password}"`), { responseCode: 535 })),
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (mails.push(Buffer.concat(chunks).toString('utf8')), cb(null)));
    },
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return { server, port };
}
const closeSmtp = (s: SMTPServer) => new Promise<void>((res) => s.close(() => res()));

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host, port, timeout: 2000 });
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.once('timeout', () => (s.destroy(), done(false)));
  });
}

let tmp: string;
beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-exit-'))));
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('a source whose 403 reply quotes the API key', () => {
  let api: FaultServer;
  let hook: WebhookReceiver;
  let redis: TestRedis;
  let smtp: { server: SMTPServer; port: number };
  const mails: string[] = [];
  beforeAll(async () => {
    api = await startFaultServer();
    api.route('/adsbx', (q, res) => {
      const key = q.headers['x-rapidapi-key'];
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `Invalid API key: ${typeof key === 'string' ? key : ''}` }));
    });
    hook = await startWebhookReceiver(HOOK_SECRET);
    redis = await startRedis(['--maxmemory-policy', 'noeviction']);
    smtp = await startSmtp(SMTP_PASSWORD, mails);
  });
  afterAll(async () => {
    await api.close();
    await hook.close();
    await redis.stop();
    await closeSmtp(smtp.server);
  });

  it('appears in no /readyz answer, no blind alert (webhook, e-mail) and no log line; the server binds 127.0.0.1', async () => {
    const file = join(tmp, 'flightwatch.yaml');
    writeFileSync(
      file,
      [
        'sources:',
        `  - { id: adsbx, kind: readsb-v2, provider: adsbx-rapidapi, baseUrl: "${api.url}/adsbx", auth: { scheme: rapidapi, keyEnv: ADSBX_API_KEY } }`,
        'poll:',
        '  schedule: "* * * * * *"',
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        'alerts:',
        `  outboxDir: "${join(tmp, 'outbox')}"`,
        '  retry: { backoffBase: 200ms, backoffMax: 1s, horizon: 1h }',
        '  channels:',
        `    - { id: hook, kind: webhook, url: "${hook.url}", secretEnv: HOOK_SECRET, timeoutMs: 2000 }`,
        '    - { id: mail, kind: email, to: [ops@example.org], from: "fw <fw@example.org>", map: false }',
        'operate:',
        '  blindAfter: 2s',
        'data:',
        `  dir: "${join(tmp, 'data')}"`,
        '',
      ].join('\n'),
    );
    const w = spawnWorker(file, {
      ...process.env,
      REDIS_URL: redis.url,
      FLIGHTWATCH_REDIS_PREFIX: `ex${randomBytes(3).toString('hex')}`,
      PORT: '0',
      LOG_LEVEL: 'debug',
      ADSBX_API_KEY: API_KEY,
      HOOK_SECRET,
      SMTP_URL: `smtp://fwuser:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtp.port}`,
    });
    try {
      const port = await w.port();
      const url = `http://127.0.0.1:${port}`;
      // The upstream really got (and echoed) the key: a leak would be seen.
      await until('the hostile source was asked', () =>
        api.requests.some((q) => q.headers['x-rapidapi-key'] === API_KEY),
      );
      const ready = await until(
        '/readyz names the 403',
        async () => {
          const r = await fetch(`${url}/readyz`);
          const text = await r.text();
          return /403/.test(text) ? { status: r.status, text } : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(ready.status).toBe(503);
      expectClean('/readyz', ready.text);
      expectClean('/metrics', await (await fetch(`${url}/metrics`)).text());

      await until('the blind alert by webhook and e-mail', () => hook.requests.length > 0 && mails.length > 0, {
        timeoutMs: 30_000,
      });
      const blind = hook.requests.map((r) => r.rawBody).join('\n');
      expect(blind).toMatch(/403/);
      expectClean('webhook alert', blind + JSON.stringify(hook.requests.map((r) => r.headers)));
      expectClean('e-mail alert', mails.join('\n'));

      const ext = externalAddress();
      if (ext) expect(await canConnect(ext, port)).toBe(false);
      expect(await canConnect('127.0.0.1', port)).toBe(true);
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
    }
    expect(w.output()).toMatch(/Invalid API key/);
    expectClean('worker output', w.output());
  });
});

it('`flightwatch poll --once` names the 403 without the key, even under an env name that looks harmless', async () => {
  const api = await startFaultServer();
  api.route('/adsbx', (q, res) => {
    const key = q.headers['x-rapidapi-key'];
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: `Invalid API key: ${typeof key === 'string' ? key : ''}` }));
  });
  try {
    const file = join(tmp, 'flightwatch.yaml');
    writeFileSync(
      file,
      [
        'sources:',
        // ADSBX_CREDENTIAL_VALUE is not a secret-looking name: only the config's keyEnv says it is one.
        `  - { id: adsbx, kind: readsb-v2, provider: adsbx-rapidapi, baseUrl: "${api.url}/adsbx", auth: { scheme: rapidapi, keyEnv: ADSBX_CREDENTIAL_VALUE } }`,
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['poll', '--once', '--config', file], { env: { ADSBX_CREDENTIAL_VALUE: API_KEY } });
    expect(api.requests.some((q) => q.headers['x-rapidapi-key'] === API_KEY)).toBe(true);
    expect(r.stderr).toMatch(/403/);
    expectClean('poll --once output', r.stdout + r.stderr);
  } finally {
    await api.close();
  }
});

describe('an SMTP server whose error quotes the password', () => {
  let smtp: { server: SMTPServer; port: number };
  let redis: TestRedis;
  beforeAll(async () => {
    smtp = await startSmtp(undefined, []);
    redis = await startRedis();
  });
  afterAll(async () => {
    await closeSmtp(smtp.server);
    await redis.stop();
  });
  const smtpUrl = () => `smtp://fwuser:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtp.port}`;

  it('`flightwatch alert test` names the failure without the password', async () => {
    const file = join(tmp, 'flightwatch.yaml');
    writeFileSync(
      file,
      [
        'sources:',
        '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/aircraft.json" }',
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        'alerts:',
        '  channels:',
        '    - { id: mail, kind: email, to: [ops@example.org], map: false }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['alert', 'test', '--channel', 'mail', '--config', file], {
      env: { SMTP_URL: smtpUrl() },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not delivered: permanent: .*Authentication failed/);
    expectClean('alert test output', r.stdout + r.stderr);
  });

  it('the dead-letter reason stored in Redis and `flightwatch dlq list` do not keep it', async () => {
    const env = { SMTP_URL: smtpUrl() };
    const log = createLogger({ env, level: 'silent' });
    const alerts = alertsSchema.parse({
      channels: [{ id: 'mail', kind: 'email', to: ['ops@example.org'], map: false }],
      retry: { horizon: '2s', backoffBase: '100ms', backoffMax: '200ms' },
    });
    const conn = createRedis(redis.url, 'producer');
    const prefix = `dl${randomBytes(3).toString('hex')}`;
    const channels = buildChannels(alerts, { env, log });
    try {
      const summary = await deliverEvents([hostileEvent('dl-1')], {
        config: { alerts },
        redis: conn,
        channels,
        prefix,
        log,
        waitUntilSettled: true,
        timeoutMs: 30_000,
      });
      expect(summary.counts['dead-lettered']).toBe(1);
      // Everything BullMQ stored about the job (failedReason, stacktrace).
      const keys = await conn.keys(`${prefix}:*`);
      const stored: string[] = [];
      for (const k of keys) if ((await conn.type(k)) === 'hash') stored.push(JSON.stringify(await conn.hgetall(k)));
      const text = stored.join('\n');
      expect(text).toMatch(/Authentication failed/);
      expectClean('Redis', text);
    } finally {
      await closeChannels(channels);
      conn.disconnect();
    }
    // The CLI does not know the password (no SMTP_URL in its env): what Redis holds must already be clean.
    const r = await runCli(['dlq', 'list', '--redis-url', redis.url], {
      env: { FLIGHTWATCH_REDIS_PREFIX: prefix, SMTP_URL: '' },
    });
    expect(r.stdout).toMatch(/Authentication failed/);
    expectClean('dlq list', r.stdout + r.stderr);
  });
});
