/**
 * Security: chat channel tokens as exit-path secrets. Two hostile platform stand-ins quote back the token
 * they were sent, one per way a token travels: a Telegram Bot API (token in the URL path) answering 401,
 * a Mastodon instance (bearer header) answering 403. Both mean "gone": the channel is disabled, an
 * operational "channel disabled" alert goes to the other channels, the alert becomes a dead letter. The
 * tokens sit under env names that do not look secret (only the config's tokenEnv says they are) and must
 * not reach the log, Redis (dead letters, disabled-channel state, job data), the operational alert,
 * `flightwatch dlq list` or `flightwatch alert test`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import IORedis from 'ioredis';
import { startFaultServer, type FaultServer } from '../helpers/fault-server';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { runCli } from '../helpers/cli';
import { until } from '../helpers/wait';
import { createLogger } from '../../src/util/log';
import { parseConfigText } from '../../src/config/load';
import { buildChannels, closeChannels } from '../../src/alerting/build-channels';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { hostileEvent } from './support';

jest.setTimeout(90_000);

const TG_TOKEN = `${100000000 + (randomBytes(3).readUIntBE(0, 3) % 99999)}:AA${randomBytes(16).toString('base64url')}`;
const MASTO_TOKEN = `masto-${randomBytes(16).toString('hex')}`;
const ENV = {
  TG_BOT_CREDENTIAL: TG_TOKEN,
  MASTO_CREDENTIAL: MASTO_TOKEN,
  HOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
};

function expectClean(where: string, text: string) {
  for (const s of [TG_TOKEN, MASTO_TOKEN])
    for (const enc of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)]))
      expect([where, text.includes(enc)]).toEqual([where, false]);
}

/** A Telegram Bot API that refuses the bot, quoting the token from the path; a Mastodon quoting the bearer. */
function hostilePlatforms(api: FaultServer) {
  api.route(/^\/tg\/bot/, (q, res) => {
    const token = /^\/tg\/bot([^/]+)\//.exec(q.url ?? '')?.[1] ?? '';
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({ ok: false, error_code: 401, description: `Unauthorized: bot${decodeURIComponent(token)}` }),
    );
  });
  api.route('/masto/api', (q, res) => {
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({ error: `This action is outside the authorized scopes of ${String(q.headers.authorization)}` }),
    );
  });
  api.route('/hook', (_q, res) => {
    res.writeHead(200);
    res.end('ok');
  });
}

const configYaml = (api: FaultServer) =>
  [
    'sources:',
    '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/aircraft.json" }',
    'watch:',
    '  - { id: tails, match: { hex: [acb2ba] } }',
    'alerts:',
    '  retry: { horizon: 1h, backoffBase: 100ms, backoffMax: 200ms }',
    '  channels:',
    `    - { id: tg, kind: telegram, apiUrl: "${api.url}/tg", tokenEnv: TG_BOT_CREDENTIAL, chatId: -1001234567890, map: false, allowPrivate: true }`,
    `    - { id: masto, kind: mastodon, apiUrl: "${api.url}/masto", tokenEnv: MASTO_CREDENTIAL, map: false, allowPrivate: true }`,
    `    - { id: hook, kind: webhook, url: "${api.url}/hook", secretEnv: HOOK_SECRET, allowPrivate: true }`,
    '',
  ].join('\n');

let api: FaultServer;
let redis: TestRedis;
let tmp: string;
beforeAll(async () => {
  api = await startFaultServer();
  hostilePlatforms(api);
  redis = await startRedis();
  tmp = mkdtempSync(join(tmpdir(), 'fw-chat-sec-'));
});
afterAll(async () => {
  await api.close();
  await redis.stop();
  rmSync(tmp, { recursive: true, force: true });
});

it('a token quoted back in a 401/403 reaches no log line, Redis, operational alert or `dlq list`', async () => {
  const parsed = parseConfigText(configYaml(api)); // registers the tokenEnv values, as the worker does
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const { alerts } = parsed.config;
  const logged: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, cb) {
      logged.push(chunk.toString('utf8'));
      cb();
    },
  });
  const log = createLogger({ env: ENV, level: 'debug', destination });
  const conn = new IORedis(redis.url, { maxRetriesPerRequest: 3 });
  const prefix = `ch${randomBytes(3).toString('hex')}`;
  const channels = buildChannels(alerts, { env: ENV, log });
  try {
    const summary = await deliverEvents([hostileEvent('chat-1')], {
      config: { alerts },
      redis: conn,
      channels,
      prefix,
      log,
      waitUntilSettled: true,
      timeoutMs: 30_000,
    });
    expect(summary.counts['dead-lettered']).toBe(2);
    // The platforms really got (and quoted) the tokens: a leak would be seen.
    expect(api.requests.some((q) => q.path.includes(`/bot${TG_TOKEN}/`))).toBe(true);
    expect(api.requests.some((q) => q.headers.authorization === `Bearer ${MASTO_TOKEN}`)).toBe(true);
    await until(
      'the operational "channel disabled" alerts reached the webhook',
      () => api.requests.filter((q) => q.path === '/hook' && /disabled/.test(q.body)).length >= 2,
    );
    const operational = api.requests.filter((q) => q.path === '/hook').map((q) => q.body);
    expect(operational.join('\n')).toMatch(/the token or rights were refused/);
    expectClean('operational alert', operational.join('\n'));

    const stored: string[] = [];
    for (const k of await conn.keys(`${prefix}:*`)) {
      const type = await conn.type(k);
      if (type === 'hash') stored.push(JSON.stringify(await conn.hgetall(k)));
      else if (type === 'string') stored.push((await conn.get(k)) ?? '');
      else if (type === 'stream') stored.push(JSON.stringify(await conn.xrange(k, '-', '+')));
    }
    expect(stored.join('\n')).toMatch(/Unauthorized: bot/);
    expectClean('Redis', stored.join('\n'));
  } finally {
    await closeChannels(channels);
    conn.disconnect();
  }
  await new Promise((r) => log.flush(() => r(undefined)));
  expect(logged.join('')).toMatch(/channel disabled/);
  expectClean('log', logged.join(''));

  // The CLI knows neither token (no config, no env): what Redis holds must already be clean.
  const r = await runCli(['dlq', 'list', '--redis-url', redis.url], { env: { FLIGHTWATCH_REDIS_PREFIX: prefix } });
  expect(r.stdout).toMatch(/HTTP 401/);
  expect(r.stdout).toMatch(/HTTP 403/);
  expectClean('dlq list', r.stdout + r.stderr);
});

it.each([
  ['tg', /HTTP 401/],
  ['masto', /HTTP 403/],
])('`flightwatch alert test --channel %s` names the refusal without the token', async (channel, said) => {
  const file = join(tmp, 'flightwatch.yaml');
  writeFileSync(file, configYaml(api));
  const r = await runCli(['alert', 'test', '--channel', channel, '--config', file], { env: ENV });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(said);
  expectClean('alert test output', r.stdout + r.stderr);
});
