/**
 * `flightwatch replay --deliver` as a real CLI process: the OpenSky CONUS capture through the detector, then the
 * real delivery path (history, routing, notify queue, signed webhook channel) on a redis-server of our own.
 * Replaying the same data twice must deliver nothing new. Events that matched only digest entries arrive as the
 * digests of their periods, not one by one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { runCli } from '../../helpers/cli';
import { OPENSKY_CONUS as CAPTURE, describeShared } from '../../helpers/shared';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describeShared('flightwatch replay --deliver (real CLI, Redis, webhook receiver)', () => {
  let redis: TestRedis;
  let rx: WebhookReceiver;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    redis = await startRedis();
    rx = await startWebhookReceiver(SECRET);
    dir = mkdtempSync(join(tmpdir(), 'fw-replay-deliver-'));
    config = join(dir, 'flightwatch.yaml');
    writeFileSync(
      config,
      `
sources:
  - id: receiver
    kind: receiver
    url: http://127.0.0.1:9/aircraft.json
watch:
  - id: eastern
    match: { callsignPrefixes: [BBQ, HWA] }
    tags: [ice-air]
alerts:
  channels:
    - id: partner
      kind: webhook
      url: ${rx.url}
      secretEnv: PARTNER_WEBHOOK_SECRET
data:
  dir: ${join(dir, 'data')}
`,
    );
  });
  afterAll(async () => {
    await rx?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const replay = () =>
    runCli(['replay', '--deliver', '--json', '--tail', '0', '--config', config, CAPTURE], {
      env: { REDIS_URL: redis.url, PARTNER_WEBHOOK_SECRET: SECRET, FLIGHTWATCH_REDIS_PREFIX: 'fwtest' },
      timeoutMs: 120_000,
    });

  it('delivers every replayed event once, signed, and nothing new on a second replay', async () => {
    const first = await replay();
    expect(first.stderr).toMatch(/replay: delivered \d+ alerts? for \d+ events/);
    expect(first.code).toBe(0);
    const events = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; aircraft: { callsign?: string } });
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.aircraft.callsign === 'BBQ8368')).toBe(true);
    const ids = rx.requests.map((r) => r.headers['webhook-id']);
    expect(rx.requests).toHaveLength(events.length);
    expect(new Set(ids).size).toBe(events.length);
    expect(rx.requests.every((r) => r.verified)).toBe(true);
    const delivered = new Set(rx.requests.map((r) => (r.payload as { event: { id: string } }).event.id));
    expect([...delivered].sort()).toEqual(events.map((e) => e.id).sort());

    const second = await replay();
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/replay: delivered 0 alerts/);
    expect(rx.requests).toHaveLength(events.length);
  });

  it('sums up digest-only events in one digest per channel and period, not one alert each', async () => {
    const digestConfig = join(dir, 'digest.yaml');
    writeFileSync(
      digestConfig,
      readFileSync(config, 'utf8').replace(
        /watch:\n[\s\S]*?\nalerts:/,
        `watch:
  - id: eastern-bbq
    match: { callsignPrefixes: [BBQ] }
    tags: [operator-wide]
  - id: eastern-hwa
    match: { callsignPrefixes: [HWA] }
alerts:`,
      ),
    );
    rx.requests.length = 0;
    const run = () =>
      runCli(['replay', '--deliver', '--json', '--tail', '0', '--config', digestConfig, CAPTURE], {
        env: { REDIS_URL: redis.url, PARTNER_WEBHOOK_SECRET: SECRET, FLIGHTWATCH_REDIS_PREFIX: 'fwtest-digest' },
        timeoutMs: 120_000,
      });
    const first = await run();
    expect(first.code).toBe(0);
    const events = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; time: string; watch: { ids: string[] } });
    const digestOnly = events.filter((e) => e.watch.ids.every((id) => id === 'eastern-bbq'));
    const periods = new Set(digestOnly.map((e) => e.time.slice(0, 10))); // alerts.digest.period: 1 day, UTC
    expect(digestOnly.length).toBeGreaterThan(1);

    type Payload = { type: string; event: { id: string; details: { operational?: Record<string, unknown> } } };
    const payloads = rx.requests.map((r) => r.payload as Payload);
    const digests = payloads.filter((p) => p.type === 'flightwatch.operational');
    const alerted = payloads.filter((p) => p.type !== 'flightwatch.operational').map((p) => p.event.id);
    expect(alerted.sort()).toEqual(
      events
        .filter((e) => !digestOnly.includes(e))
        .map((e) => e.id)
        .sort(),
    );
    expect(digests).toHaveLength(periods.size);
    expect(digests.every((d) => d.event.details.operational?.kind === 'digest')).toBe(true);
    expect(digests.reduce((n, d) => n + Number(d.event.details.operational?.events), 0)).toBe(digestOnly.length);
    expect(first.stderr).toContain(
      `replay: ${digestOnly.length} events matched only digest entries: not alerted one by one but summed up in ${periods.size} digest alert`,
    );

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/replay: delivered 0 alerts/);
    expect(rx.requests).toHaveLength(payloads.length);
  }, 240_000); // two CLI runs: each starts tsx and loads the airport table

  it('exits 1 with the reason when Redis cannot be reached', async () => {
    const r = await runCli(
      ['replay', '--deliver', '--tail', '0', '--config', config, '--redis-url', 'redis://127.0.0.1:9', CAPTURE],
      {
        env: { PARTNER_WEBHOOK_SECRET: SECRET },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--deliver failed: cannot reach Redis at redis:\/\/127\.0\.0\.1:9/);
  });
});
