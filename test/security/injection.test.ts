/**
 * Security: API-sourced strings (callsign, registration, operator, type, airport name) carrying HTML, CR/LF
 * header injections and 100 kB of text go through the REAL email channel (nodemailer → smtp-server sink,
 * raw message parsed) and the REAL webhook channel (→ receiver verifying with standardwebhooks). Nothing may
 * become a header, markup or a second JSON field; the data itself must survive as data.
 */
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { createChannels } from '../../src/alerting/channels';
import { channelSchema } from '../../src/config/channels-schema';
import { alertId } from '../../src/alerting/alert-id';
import type { Channel } from '../../src/alerting/channel';
import { HOSTILE, hostileEvent } from './support';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let sink: SmtpSink;
let rx: WebhookReceiver;
let channels: Map<string, Channel>;

beforeAll(async () => {
  sink = await startSmtpSink();
  rx = await startWebhookReceiver(SECRET);
  channels = createChannels(
    [
      channelSchema.parse({ id: 'ops', kind: 'email', to: ['alerts@example.org'] }),
      channelSchema.parse({ id: 'partner', kind: 'webhook', url: rx.url, secretEnv: 'SEC_WEBHOOK_SECRET' }),
    ],
    { env: { SMTP_URL: sink.url, SEC_WEBHOOK_SECRET: SECRET } },
  );
});
afterAll(async () => {
  for (const c of channels.values()) await c.close?.();
  await rx.close();
  await sink.close();
});

/** Header block of a raw RFC 5322 message, unfolded: one entry per header field. */
function headerFields(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  return head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

it('email: no injected header, no live markup, subject one bounded line, data kept as escaped text', async () => {
  const event = hostileEvent();
  await channels.get('ops')!.send({ id: alertId(event.id, 'ops'), channelId: 'ops', event });
  await sink.waitFor('the hostile alert e-mail', (m) => m.length >= 1, { timeoutMs: 20_000 });
  const [mail] = sink.messages;
  const fields = headerFields(sink.raw[0]);
  const names = fields.map((f) => f.slice(0, f.indexOf(':')).toLowerCase());
  expect(names).not.toContain('bcc');
  expect(names).not.toContain('x-injected');
  expect(names.filter((n) => n === 'subject')).toHaveLength(1);
  expect(names.filter((n) => n === 'to')).toHaveLength(1);
  expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual(['alerts@example.org']);
  expect(mail.bcc).toBeUndefined();
  expect(mail.headers.has('x-injected')).toBe(false);
  // Every header is short: no 100 kB operator name in a header, no folding tricks.
  for (const f of fields) expect(f.length).toBeLessThan(1000);
  expect(mail.subject).not.toMatch(/[\r\n\u2028]/);
  expect(mail.subject!.length).toBeLessThanOrEqual(200);
  expect(mail.subject).not.toMatch(/^Subject: forged/);

  const html = String(mail.html);
  for (const live of ['<script', '<img src=x', '<iframe', '<h1>forged', '<svg onload'])
    expect(html.toLowerCase()).not.toContain(live);
  expect(html).toContain('&lt;script&gt;');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  // Text part: the strings are there as text, but cannot start a new MIME header or part.
  const text = String(mail.text);
  expect(text).not.toMatch(/^X-Injected:/m);
  expect(text).not.toMatch(/^Bcc:/m);
  expect(mail.attachments.every((a) => a.contentType === 'image/png')).toBe(true);
});

it('webhook: the hostile strings are JSON data (exactly as received), no extra fields or headers, signature valid', async () => {
  const event = hostileEvent('sec-hostile-2');
  const id = alertId(event.id, 'partner');
  await channels.get('partner')!.send({ id, channelId: 'partner', event });
  expect(rx.requests).toHaveLength(1);
  const r = rx.requests[0];
  expect(r.verifyError).toBeUndefined();
  expect(r.verified).toBe(true);
  expect(Object.keys(r.headers)).not.toContain('x-injected');
  expect(r.headers['webhook-id']).toBe(id);
  const body = JSON.parse(r.rawBody);
  expect(body.event.aircraft).toEqual({
    hex: 'acb2ba',
    registration: HOSTILE.registration,
    type: HOSTILE.type,
    callsign: HOSTILE.callsign,
    operator: HOSTILE.operator,
  });
  expect(body.event.airport.name).toBe(HOSTILE.airportName);
  // CR/LF travel as JSON escapes, never as raw control characters in the body.
  expect(r.rawBody).not.toMatch(/[\r\n]/);
  expect(r.rawBody).not.toMatch(/"X-Injected"\s*:/);
  expect(Object.keys(body.event.aircraft).sort()).toEqual(['callsign', 'hex', 'operator', 'registration', 'type']);
});
