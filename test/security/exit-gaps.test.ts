/**
 * Security: the exit-path × secret pairs exit-paths.test.ts does not reach, each against a hostile stand-in
 * that quotes the credential it received. An OpenSky token endpoint answers 500 quoting the client secret
 * (→ /readyz, /metrics, the log, the blind alert's job and its dead letter in Redis, `poll --once`); a
 * webhook receiver rejects the alert quoting the Redis password and the client secret (→ the dead-letter
 * reason in Redis, `dlq list`); a Redis stand-in rejects the login quoting the password (→ `dlq list`, the
 * worker's log and /readyz). The API key (a readsb 403 quoting it) is looked for in everything in Redis.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import IORedis from 'ioredis';
import { startFaultServer, type FaultServer, type RecordedRequest } from '../helpers/fault-server';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { spawnWorker } from '../helpers/worker-process';
import { runCli } from '../helpers/cli';
import { until } from '../helpers/wait';
import { startHostileRedis } from './hostile-redis';

jest.setTimeout(90_000);

const API_KEY = `adsbx-key-${randomBytes(8).toString('hex')}`;
const CLIENT_SECRET = `osky-Secret/${randomBytes(8).toString('hex')}+=`;
const REDIS_PASSWORD = `redis-pw-${randomBytes(8).toString('hex')}`;
const HOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

function encodings(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}
function expectClean(where: string, text: string) {
  for (const s of [API_KEY, CLIENT_SECRET, REDIS_PASSWORD])
    for (const enc of encodings(s)) expect([where, text.includes(enc)]).toEqual([where, false]);
}

/** A token endpoint that fails with HTTP 500 and quotes back the client secret of the form it got. */
function tokenEndpointQuotingSecret(_q: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
  const secret = new URLSearchParams(rec.body).get('client_secret') ?? '';
  res.writeHead(500, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: 'server_error', error_description: `cannot check client_secret=${secret}` }));
}
const sentSecret = (api: FaultServer) =>
  api.requests.some((q) => new URLSearchParams(q.body).get('client_secret') === CLIENT_SECRET);

/** Every value in Redis under any key, as text (strings, hashes, lists, sets, sorted sets, streams). */
async function dumpRedis(r: IORedis): Promise<string> {
  const out: string[] = [];
  for (const k of await r.keys('*')) {
    const type = await r.type(k);
    if (type === 'string') out.push(k, (await r.get(k)) ?? '');
    else if (type === 'hash') out.push(k, JSON.stringify(await r.hgetall(k)));
    else if (type === 'list') out.push(k, ...(await r.lrange(k, 0, -1)));
    else if (type === 'set') out.push(k, ...(await r.smembers(k)));
    else if (type === 'zset') out.push(k, ...(await r.zrange(k, 0, -1)));
    else if (type === 'stream') out.push(k, JSON.stringify(await r.xrange(k, '-', '+')));
  }
  return out.join('\n');
}

let tmp: string;
beforeEach(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-gaps-'))));
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('the worker against an OpenSky token endpoint, a source and a webhook receiver that quote secrets', () => {
  let api: FaultServer;
  let redis: TestRedis;
  beforeAll(async () => {
    api = await startFaultServer();
    api.route('/token', tokenEndpointQuotingSecret);
    api.route('/adsbx', (q, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `Invalid API key: ${String(q.headers['x-rapidapi-key'])}` }));
    });
    // The receiver of the operational alert rejects it for good, quoting the Redis password and the secret.
    api.route('/hook', (_q, res) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(`rejected: redis password ${REDIS_PASSWORD} and client secret ${CLIENT_SECRET} are on file`);
    });
    redis = await startRedis(['--requirepass', REDIS_PASSWORD, '--maxmemory-policy', 'noeviction']);
  });
  afterAll(async () => {
    await api.close();
    await redis.stop();
  });

  it('keeps the client secret, the Redis password and the API key out of /readyz, /metrics, the log, Redis and `dlq list`', async () => {
    const file = join(tmp, 'flightwatch.yaml');
    writeFileSync(
      file,
      [
        'sources:',
        // OSKY_CLIENT_CREDENTIAL is not a secret-looking name: only the config's clientSecretEnv says it is one.
        `  - { id: osky, kind: opensky, baseUrl: "${api.url}/opensky", tokenUrl: "${api.url}/token", clientIdEnv: OSKY_ID, clientSecretEnv: OSKY_CLIENT_CREDENTIAL }`,
        `  - { id: adsbx, kind: readsb-v2, provider: adsbx-rapidapi, baseUrl: "${api.url}/adsbx", auth: { scheme: rapidapi, keyEnv: ADSBX_API_KEY } }`,
        'poll:',
        '  schedule: "* * * * * *"',
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        'alerts:',
        `  outboxDir: "${join(tmp, 'outbox')}"`,
        '  retry: { backoffBase: 200ms, backoffMax: 1s, horizon: 1h }',
        '  channels:',
        `    - { id: hook, kind: webhook, url: "${api.url}/hook", secretEnv: HOOK_SECRET, timeoutMs: 2000, allowPrivate: true }`,
        'operate:',
        '  blindAfter: 2s',
        'data:',
        `  dir: "${join(tmp, 'data')}"`,
        '',
      ].join('\n'),
    );
    const prefix = `gp${randomBytes(3).toString('hex')}`;
    const redisUrl = `redis://:${REDIS_PASSWORD}@127.0.0.1:${redis.port}`;
    const w = spawnWorker(file, {
      ...process.env,
      REDIS_URL: redisUrl,
      FLIGHTWATCH_REDIS_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'debug',
      OSKY_ID: 'fw-client',
      OSKY_CLIENT_CREDENTIAL: CLIENT_SECRET,
      ADSBX_API_KEY: API_KEY,
      HOOK_SECRET,
    });
    const r = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const url = `http://127.0.0.1:${await w.port()}`;
      await until(
        'the token endpoint got the secret and the source the key',
        () => sentSecret(api) && api.requests.some((q) => q.headers['x-rapidapi-key'] === API_KEY),
      );
      const ready = await until(
        '/readyz names both failures',
        async () => {
          const text = await (await fetch(`${url}/readyz`)).text();
          return /token endpoint/.test(text) && /403/.test(text) ? text : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(ready).toMatch(/HTTP 500/);
      expectClean('/readyz', ready);
      expectClean('/metrics', await (await fetch(`${url}/metrics`)).text());

      // The blind alert was rejected by the receiver (400: permanent) and dead-lettered.
      await until(
        'the rejected blind alert is a dead letter',
        async () => /rejected: redis password/.test(await dumpRedis(r)),
        {
          timeoutMs: 30_000,
        },
      );
      const stored = await dumpRedis(r);
      expect(stored).toMatch(/token endpoint/); // the sources' reasons are stored with the operational alert
      expectClean('Redis', stored);
    } finally {
      r.disconnect();
      w.child.kill('SIGTERM');
      await w.exited;
    }
    expect(w.output()).toMatch(/cannot check client_secret=/);
    expectClean('worker output', w.output());

    // The CLI knows the password only from --redis-url: no REDIS_URL, no config.
    const dlq = await runCli(['dlq', 'list', '--redis-url', redisUrl], {
      env: { FLIGHTWATCH_REDIS_PREFIX: prefix, REDIS_URL: '' },
    });
    expect(dlq.stdout).toMatch(/rejected: redis password/);
    expectClean('dlq list', dlq.stdout + dlq.stderr);
  });
});

it('`flightwatch poll --once` names the token endpoint failure without the client secret', async () => {
  const api = await startFaultServer();
  api.route('/token', tokenEndpointQuotingSecret);
  try {
    const file = join(tmp, 'flightwatch.yaml');
    writeFileSync(
      file,
      [
        'sources:',
        `  - { id: osky, kind: opensky, baseUrl: "${api.url}/opensky", tokenUrl: "${api.url}/token", clientIdEnv: OSKY_ID, clientSecretEnv: OSKY_CLIENT_CREDENTIAL }`,
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['poll', '--once', '--config', file], {
      env: { OSKY_ID: 'fw-client', OSKY_CLIENT_CREDENTIAL: CLIENT_SECRET },
    });
    expect(sentSecret(api)).toBe(true);
    expect(r.stderr).toMatch(/HTTP 500 \(token endpoint\)/);
    expectClean('poll --once output', r.stdout + r.stderr);
  } finally {
    await api.close();
  }
});

describe('a Redis that quotes the password it was given in its errors', () => {
  it('`flightwatch dlq list --redis-url` names the refusal without the password', async () => {
    const hostile = await startHostileRedis();
    try {
      const r = await runCli(['dlq', 'list', '--redis-url', `redis://:${REDIS_PASSWORD}@127.0.0.1:${hostile.port}`], {
        env: { REDIS_URL: '' },
      });
      expect(hostile.received).toContain(REDIS_PASSWORD);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/WRONGPASS|NOAUTH/);
      expectClean('dlq list output', r.stdout + r.stderr);
    } finally {
      await hostile.close();
    }
  });

  it('the worker logs and answers /readyz without it', async () => {
    const hostile = await startHostileRedis();
    const file = join(tmp, 'flightwatch.yaml');
    writeFileSync(
      file,
      [
        'sources:',
        '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/aircraft.json" }',
        'watch:',
        '  - { id: tails, match: { hex: [acb2ba] } }',
        'data:',
        `  dir: "${join(tmp, 'data')}"`,
        '',
      ].join('\n'),
    );
    const w = spawnWorker(file, {
      ...process.env,
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:${hostile.port}`,
      PORT: '0',
      LOG_LEVEL: 'debug',
    });
    try {
      await until('the worker sent the password', () => hostile.received.includes(REDIS_PASSWORD));
      await until('the worker logged the refusal', () => /WRONGPASS|NOAUTH/.test(w.output()), { timeoutMs: 20_000 });
      const port = await Promise.race([w.port(), w.exited.then(() => undefined)]);
      if (port !== undefined) {
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        expect(ready.status).toBe(503);
        expectClean('/readyz', await ready.text());
      }
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
      await hostile.close();
    }
    expectClean('worker output', w.output());
  });
});
