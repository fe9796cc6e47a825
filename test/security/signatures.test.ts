/**
 * Security: webhook signatures from the real channel verified by two implementations that share no code
 * with ours: the `standardwebhooks` library (in the receiver) and a few lines of node:crypto written here
 * from the Standard Webhooks spec (HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>", key = the
 * base64 after "whsec_", header "v1,<base64>" entries separated by spaces). Tampering must fail both.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createChannels } from '../../src/alerting/channels';
import { channelSchema } from '../../src/config/channels-schema';
import { alertId } from '../../src/alerting/alert-id';
import { hostileEvent } from './support';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ROTATED = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

/** The spec, independently: true when one v1 signature in the header matches. */
function specVerify(secret: string, id: string, ts: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`, 'utf8').digest();
  return header.split(' ').some((entry) => {
    const [version, sig] = entry.split(',', 2);
    if (version !== 'v1' || !sig) return false;
    const got = Buffer.from(sig, 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

let rx: WebhookReceiver;
beforeAll(async () => {
  rx = await startWebhookReceiver(SECRET);
});
afterAll(() => rx.close());

it('signatures verify with standardwebhooks and with the spec re-implemented; tampering fails both', async () => {
  const [ch] = createChannels([channelSchema.parse({ id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'S' })], {
    env: { S: `${SECRET} ${ROTATED}` },
  }).values();
  const event = hostileEvent('sig-1');
  await ch.send({ id: alertId(event.id, 'partner'), channelId: 'partner', event });
  await ch.close?.();
  const r = rx.requests[0];
  const id = r.headers['webhook-id'] as string;
  const ts = r.headers['webhook-timestamp'] as string;
  const sig = r.headers['webhook-signature'] as string;
  expect(r.verified).toBe(true);
  expect(sig.split(' ')).toHaveLength(2); // one per secret (key rotation)
  expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);

  for (const secret of [SECRET, ROTATED]) {
    expect(specVerify(secret, id, ts, r.rawBody, sig)).toBe(true);
    expect(() => new Webhook(secret).verify(r.rawBody, r.headers as Record<string, string>)).not.toThrow();
  }
  const tampered = r.rawBody.replace('"landing"', '"takeoff"');
  expect(tampered).not.toBe(r.rawBody);
  expect(specVerify(SECRET, id, ts, tampered, sig)).toBe(false);
  expect(() => new Webhook(SECRET).verify(tampered, r.headers as Record<string, string>)).toThrow();
  expect(specVerify(SECRET, `${id}x`, ts, r.rawBody, sig)).toBe(false);
  expect(specVerify(SECRET, id, String(Number(ts) + 1), r.rawBody, sig)).toBe(false);
  const other = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
  expect(specVerify(other, id, ts, r.rawBody, sig)).toBe(false);
  expect(() => new Webhook(other).verify(r.rawBody, r.headers as Record<string, string>)).toThrow();
});
