/**
 * Security: no secret from the environment ever appears in the logs or in an alert. One poll + deliver run
 * with every kind of secret set (SMTP_URL password, webhook secret, ADS-B Exchange key, OpenSky client
 * secret, Redis password), where the failure paths that tend to leak are forced: the ADSBx gateway answers
 * 403 quoting the key it got, the OpenSky token endpoint answers 401 quoting the client secret, the webhook
 * receiver first answers 500. The full pino output (debug level, from the real createLogger) and every
 * delivered alert (raw email, webhook body and headers) are searched for each secret in every encoding a
 * leak could take (raw, percent-encoded, JSON-escaped, base64 of a whsec key).
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { startFaultServer, reply, type FaultServer } from '../helpers/fault-server';
import { createLogger } from '../../src/util/log';
import { createRedis } from '../../src/pipeline/connection';
import { createSources, closeSources } from '../../src/sources/registry';
import { sourceSchema, watchEntrySchema } from '../../src/config/schema';
import { runPollCycle } from '../../src/ingest/poll-cycle';
import { Watchlist } from '../../src/domain/watchlist';
import { alertsSchema } from '../../src/config/alerts-schema';
import { buildChannels, closeChannels } from '../../src/alerting/build-channels';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { EVENT_SCHEMA, type FlightEvent } from '../../src/domain/event';

const SECRETS = {
  smtpPass: 'smtp-Pa55/w0rd+x',
  webhook: 'whsec_' + Buffer.from('webhook-secret-bytes-0123456789ab').toString('base64'),
  adsbxKey: 'adsbx-key-7f3a9c1e5b2d4f6a8c0e',
  openskySecret: 'os-client-secret-Zq8wX2vN',
  redisPass: 'redis-Pa55-Kz9',
};

let redisSrv: TestRedis;
let redis: Redis;
let rx: WebhookReceiver;
let api: FaultServer;
let smtp: SMTPServer;
let smtpPort = 0;
const rawMails: string[] = [];

beforeAll(async () => {
  redisSrv = await startRedis();
  // The helper's readiness probe is an unauthenticated PING: set the password once it is up.
  const admin = createRedis(redisSrv.url, 'producer');
  await admin.config('SET', 'requirepass', SECRETS.redisPass);
  admin.disconnect();
  rx = await startWebhookReceiver(SECRETS.webhook);
  api = await startFaultServer();
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _s, cb) =>
      auth.password === SECRETS.smtpPass ? cb(null, { user: auth.username }) : cb(new Error('bad password')),
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (rawMails.push(Buffer.concat(chunks).toString('utf8')), cb(null)));
    },
  });
  await new Promise<void>((res) => smtp.listen(0, '127.0.0.1', () => res()));
  smtpPort = (smtp as unknown as { server: { address(): AddressInfo } }).server.address().port;
});
afterAll(async () => {
  redis?.disconnect();
  if (smtp) await new Promise<void>((res) => smtp.close(() => res()));
  await api?.close();
  await rx?.close();
  await redisSrv?.stop();
});

/** Every way a secret could show up in a text. */
function encodings(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  if (secret.startsWith('whsec_')) out.add(secret.slice(6));
  return [...out];
}

it('a full poll + deliver run with every secret set logs none of them and puts none in an alert', async () => {
  const env: NodeJS.ProcessEnv = {
    SMTP_URL: `smtp://flightwatch:${encodeURIComponent(SECRETS.smtpPass)}@127.0.0.1:${smtpPort}`,
    PARTNER_WEBHOOK_SECRET: SECRETS.webhook,
    ADSBX_API_KEY: SECRETS.adsbxKey,
    OPENSKY_CLIENT_ID: 'flightwatch-client',
    OPENSKY_CLIENT_SECRET: SECRETS.openskySecret,
    REDIS_URL: `redis://:${SECRETS.redisPass}@127.0.0.1:${redisSrv.port}`,
  };
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', env, destination: { write: (s: string) => void lines.push(s) } });

  // Upstreams that quote the credentials back in their error bodies.
  api.route('/adsbx', (q, res) => {
    const key = q.headers['x-rapidapi-key'];
    const body = JSON.stringify({ message: `Invalid API key: ${typeof key === 'string' ? key : ''}` });
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  api.route('/token', (_q, res, rec) => {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        error: 'invalid_client',
        error_description: `unknown client secret ${new URLSearchParams(rec.body).get('client_secret')}`,
      }),
    );
  });
  api.route(
    '/good',
    reply.json({
      ac: [
        {
          hex: 'acb2ba',
          r: 'N917XA',
          t: 'B738',
          flight: 'GXA917  ',
          lat: 31.33,
          lon: -92.55,
          alt_baro: 'ground',
          seen: 1,
        },
      ],
      now: Date.now(),
    }),
  );

  const sources = createSources(
    [
      sourceSchema.parse({
        id: 'adsbx',
        kind: 'readsb-v2',
        provider: 'adsbx-rapidapi',
        baseUrl: `${api.url}/adsbx`,
        auth: { scheme: 'rapidapi', keyEnv: 'ADSBX_API_KEY' },
      }),
      sourceSchema.parse({
        id: 'opensky',
        kind: 'opensky',
        baseUrl: `${api.url}/opensky`,
        tokenUrl: `${api.url}/token`,
        clientIdEnv: 'OPENSKY_CLIENT_ID',
        clientSecretEnv: 'OPENSKY_CLIENT_SECRET',
      }),
      sourceSchema.parse({ id: 'good', kind: 'readsb-v2', baseUrl: `${api.url}/good` }),
    ],
    { env },
  );
  const watchlist = new Watchlist([
    watchEntrySchema.parse({ id: 'known-tails', match: { hex: ['acb2ba'] }, tags: ['removal-charter'] }),
  ]);
  const r = await runPollCycle({
    sources,
    plan: { hex: ['acb2ba'], registrations: [], types: [], areas: [], needsLocalScan: false },
    watchlist,
    log,
  });
  closeSources(sources);
  expect(r.servedBy).toBe('good');
  expect(r.attempts.map((a) => [a.sourceId, a.error?.kind])).toEqual([
    ['adsbx', 'auth'],
    ['opensky', 'auth'],
    ['good', undefined],
  ]);
  // The upstreams really received (and echoed) the secrets: the test would see a leak.
  expect(api.requests.some((q) => q.headers['x-rapidapi-key'] === SECRETS.adsbxKey)).toBe(true);
  expect(
    api.requests.some(
      (q) => q.body.includes(encodeURIComponent(SECRETS.openskySecret)) || q.body.includes(SECRETS.openskySecret),
    ),
  ).toBe(true);

  // Detection stand-in: one event for the matched aircraft, delivered through email + signed webhook.
  const m = r.matched[0];
  const event: FlightEvent = {
    schema: EVENT_SCHEMA,
    id: 'secrets-run-1',
    type: 'landing',
    time: new Date(m.observedAt).toISOString(),
    aircraft: { hex: m.hex, registration: m.registration, type: m.type, callsign: m.callsign },
    position: { lat: m.lat!, lon: m.lon!, altFt: null },
    watch: { ids: m.watch.ids, tags: m.watch.tags },
    source: m.sourceId,
    evidence: [],
  };
  const alerts = alertsSchema.parse({
    channels: [
      { id: 'ops', kind: 'email', to: ['alerts@example.org'], map: false },
      { id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'PARTNER_WEBHOOK_SECRET' },
    ],
    retry: { horizon: '1m', backoffBase: '100ms', backoffMax: '200ms' },
  });
  rx.reply(500); // one failed attempt first: its error is logged too
  redis = createRedis(env.REDIS_URL!, 'producer');
  const channels = buildChannels(alerts, { env, log });
  const summary = await deliverEvents([event], {
    config: { alerts },
    redis,
    channels,
    prefix: `fws-sec-${process.pid}`,
    log,
    waitUntilSettled: true,
    timeoutMs: 30_000,
  });
  await closeChannels(channels);
  expect(summary.counts.delivered).toBe(2);
  expect(rx.requests.length).toBe(2);
  expect(rawMails).toHaveLength(1);
  log.info({ env }, 'deliberately logging the whole env object'); // even this must come out masked
  await new Promise((res) => log.flush(() => res(undefined)));

  const logText = lines.join('');
  // The leaky paths were exercised: their lines exist (with the secret masked).
  expect(logText).toMatch(/source adsbx failed \(auth\)/);
  expect(logText).toMatch(/Invalid API key/);
  expect(logText).toMatch(/source opensky failed \(auth\)/);
  expect(logText).toMatch(/transient delivery failure/);
  expect(logText).toContain('[redacted]');
  const alertsText = [...rawMails, ...rx.requests.map((q) => q.rawBody + JSON.stringify(q.headers))].join('\n');
  for (const [name, secret] of Object.entries(SECRETS))
    for (const enc of encodings(secret)) {
      expect([name, logText.includes(enc)]).toEqual([name, false]);
      expect([name, alertsText.includes(enc)]).toEqual([name, false]);
    }
});
