/** Webhook channel against a real HTTP receiver that verifies signatures with the standardwebhooks library. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DeliveryError } from '../../../../src/alerting/channel';
import { createWebhookChannel } from '../../../../src/alerting/channels/webhook';
import type { WebhookChannelConfig } from '../../../../src/config/channels-schema';
import { serializeWebhookBody } from '../../../../src/alerting/payload';
import { startWebhookReceiver, type WebhookReceiver } from '../../../helpers/webhook-receiver';
import { landingAlert } from '../../../unit/alerting/channels/fixture';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const env = { PARTNER_WEBHOOK_SECRET: SECRET };

async function sendError(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeliveryError) return e;
    throw e;
  }
  throw new Error('expected a DeliveryError');
}

describe('webhook channel (real HTTP receiver)', () => {
  let rx: WebhookReceiver;
  let config: WebhookChannelConfig;
  beforeEach(async () => {
    rx = await startWebhookReceiver(SECRET);
    config = { id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'PARTNER_WEBHOOK_SECRET', timeoutMs: 2000 };
  });
  afterEach(() => rx.close());

  it('delivers a signed body that the standardwebhooks library verifies', async () => {
    const ch = createWebhookChannel({ ...config, headers: { 'X-Tenant': 'acme' } }, { env });
    const alert = landingAlert();
    const receipt = await ch.send(alert);
    expect(receipt.detail).toBe(`HTTP 204; webhook-id ${alert.id}`);
    expect(rx.requests).toHaveLength(1);
    const r = rx.requests[0];
    expect(r.verifyError).toBeUndefined();
    expect(r.verified).toBe(true);
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/hooks/flightwatch');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-tenant']).toBe('acme');
    expect(r.headers['webhook-id']).toBe(alert.id);
    expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(r.rawBody).toBe(serializeWebhookBody(alert));
    expect(r.payload).toMatchObject({
      schema: 'flightwatch.webhook/v1',
      alertId: alert.id,
      event: { id: alert.event.id },
    });
  });

  it('keeps webhook-id and body byte-identical across retries and replicas; only timestamp and signature change', async () => {
    let clock = Date.now() - 60_000;
    const ch = createWebhookChannel(config, { env, now: () => (clock += 7_000) });
    rx.reply(503, 502);
    const alert = landingAlert();
    expect((await sendError(ch.send(alert))).kind).toBe('transient');
    expect((await sendError(ch.send(alert))).kind).toBe('transient');
    // the third attempt from another worker replica (a fresh channel instance) still matches
    await createWebhookChannel(config, { env, now: () => (clock += 7_000) }).send(structuredClone(alert));
    expect(rx.requests).toHaveLength(3);
    expect(rx.requests.every((r) => r.verified)).toBe(true);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([alert.id]));
    expect(new Set(rx.requests.map((r) => r.rawBody)).size).toBe(1);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-signature'])).size).toBe(3);
  });

  it('a receiver holding another secret rejects the signature', async () => {
    const other = await startWebhookReceiver(`whsec_${randomBytes(32).toString('base64')}`);
    try {
      await createWebhookChannel({ ...config, url: other.url }, { env }).send(landingAlert());
      expect(other.requests[0].verified).toBe(false);
      expect(other.requests[0].verifyError).toMatch(/signature/i);
    } finally {
      await other.close();
    }
  });

  it('maps statuses: 410 gone, 429 rate-limited with Retry-After, 408/5xx transient, other 4xx permanent', async () => {
    const ch = createWebhookChannel(config, { env });
    const cases: [number | Parameters<WebhookReceiver['reply']>[0], string, number | undefined][] = [
      [410, 'gone', undefined],
      [{ status: 429, headers: { 'retry-after': '120' } }, 'rate-limited', 120_000],
      [429, 'rate-limited', undefined],
      [{ status: 503, headers: { 'retry-after': '30' } }, 'transient', 30_000],
      [500, 'transient', undefined],
      [408, 'transient', undefined],
      [400, 'permanent', undefined],
      [401, 'permanent', undefined],
      [404, 'permanent', undefined],
    ];
    for (const [reply, kind, retryAfterMs] of cases) {
      rx.reply(reply);
      const err = await sendError(ch.send(landingAlert()));
      expect({ reply, kind: err.kind, retryAfterMs: err.retryAfterMs }).toEqual({ reply, kind, retryAfterMs });
      expect(err.channelId).toBe('partner');
    }
  });

  it('honours an HTTP-date Retry-After', async () => {
    const ch = createWebhookChannel(config, { env });
    rx.reply({ status: 429, headers: { 'retry-after': new Date(Date.now() + 90_000).toUTCString() } });
    const err = await sendError(ch.send(landingAlert()));
    expect(err.kind).toBe('rate-limited');
    expect(err.retryAfterMs).toBeGreaterThan(85_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it('does not follow redirects', async () => {
    const ch = createWebhookChannel(config, { env });
    rx.reply({ status: 301, headers: { location: rx.url.replace('/hooks/flightwatch', '/elsewhere') } });
    const err = await sendError(ch.send(landingAlert()));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/HTTP 301 redirect to .*\/elsewhere not followed/);
    expect(rx.requests.map((r) => r.path)).toEqual(['/hooks/flightwatch']);
  });

  it('puts a small cap on the reply it reads: a huge 200 body is still a delivery', async () => {
    const ch = createWebhookChannel(config, { env });
    rx.reply({ status: 200, body: 'x'.repeat(8 * 1024 * 1024) });
    await expect(ch.send(landingAlert())).resolves.toEqual({ detail: expect.stringMatching(/^HTTP 200/) });
    rx.reply({ status: 400, body: `bad request ${'y'.repeat(100_000)}` });
    const err = await sendError(ch.send(landingAlert()));
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toContain('bad request');
  });

  it('times out a slow receiver as transient, within the configured budget', async () => {
    const ch = createWebhookChannel({ ...config, timeoutMs: 300 }, { env });
    rx.reply({ status: 204, delayMs: 3000 });
    const t0 = Date.now();
    const err = await sendError(ch.send(landingAlert()));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/timeout/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('treats a refused connection as transient', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await sendError(
      createWebhookChannel({ ...config, url: `http://127.0.0.1:${port}/x` }, { env }).send(landingAlert()),
    );
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/ECONNREFUSED/);
  });
});
