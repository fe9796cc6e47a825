/**
 * Security: inputs are bounded. A source reply with a 1,000,000-character callsign (and over-long
 * registration, type, operator) has those fields rejected and counted, and an alert whose event carries
 * 100,000-character strings still becomes a bounded webhook body and e-mail (one generic cap in the notify
 * step, whatever the channel kind).
 */
import { randomBytes } from 'node:crypto';
import { parseReadsbReply } from '../../src/sources/readsb/parse';
import { parseOpenSkyReply } from '../../src/sources/opensky/parse';
import { STRING_MAX } from '../../src/sources/parse-util';
import { alertsSchema } from '../../src/config/alerts-schema';
import { buildChannels, closeChannels } from '../../src/alerting/build-channels';
import { deliverEvents } from '../../src/pipeline/deliver-events';
import { createRedis } from '../../src/pipeline/connection';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { hostileEvent, LONG } from './support';

const ctx = { sourceId: 'hostile', fetchedAt: 1_700_000_000_000 };
const MILLION = 'X'.repeat(1_000_000);

describe('source strings longer than the standards allow', () => {
  it('readsb: the over-long fields are rejected and counted, the record and its good fields kept', () => {
    const r = parseReadsbReply(
      {
        now: 1_700_000_000,
        ac: [
          { hex: 'acb2ba', flight: MILLION, r: 'N12345678901', t: 'GLF5X', ownOp: 'O'.repeat(101), lat: 1, lon: 2 },
          { hex: 'acb2bb', flight: 'GXA917  ', r: 'N917XA', t: 'B738', ownOp: 'Global Crossing', lat: 1, lon: 2 },
        ],
      },
      ctx,
    );
    expect(r.states).toHaveLength(2);
    const [bad, good] = r.states;
    expect(bad).toMatchObject({ hex: 'acb2ba', lat: 1, lon: 2 });
    expect([bad.callsign, bad.registration, bad.type, bad.operator]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(good).toMatchObject({
      callsign: 'GXA917',
      registration: 'N917XA',
      type: 'B738',
      operator: 'Global Crossing',
    });
    const reasons = (r.rejectReasons ?? []).join('\n');
    expect(reasons).toContain(`ac[0].flight: 1000000 characters, at most ${STRING_MAX.callsign} allowed`);
    expect(reasons).toContain(`ac[0].r: 12 characters, at most ${STRING_MAX.registration} allowed`);
    expect(reasons).toMatch(/ac\[0\]\.t: 5 characters/);
    expect(reasons).toMatch(/ac\[0\]\.ownOp: 101 characters/);
    expect(reasons.length).toBeLessThan(2000); // the reason quotes a preview, not the value
  });

  it('OpenSky: a 1,000,000-character callsign is rejected and counted', () => {
    const row = ['acb2ba', MILLION, 'US', 1, 1, -92.5, 31.3, 100, false, 100, 90, 0, null, 120, '1200', false, 0];
    const r = parseOpenSkyReply({ time: 1_700_000_000, states: [row] }, ctx);
    expect(r.states).toHaveLength(1);
    expect(r.states[0].callsign).toBeUndefined();
    expect((r.rejectReasons ?? []).join('\n')).toMatch(/callsign\): 1000000 characters, at most 8 allowed/);
  });
});

describe('alert bodies', () => {
  let redis: TestRedis;
  let rx: WebhookReceiver;
  let smtp: SmtpSink;
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  beforeAll(async () => {
    redis = await startRedis();
    rx = await startWebhookReceiver(secret);
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await smtp.close();
    await rx.close();
    await redis.stop();
  });

  it('an event with 100,000-character strings becomes a bounded webhook body and e-mail', async () => {
    const env = { HOOK_SECRET: secret, SMTP_URL: smtp.url };
    const alerts = alertsSchema.parse({
      channels: [
        { id: 'hook', kind: 'webhook', url: rx.url, secretEnv: 'HOOK_SECRET' },
        { id: 'mail', kind: 'email', to: ['ops@example.org'], map: false },
      ],
    });
    const event = hostileEvent('bounded-1');
    event.aircraft.callsign = LONG; // as an unbounded source would have passed it on
    const conn = createRedis(redis.url, 'producer');
    const channels = buildChannels(alerts, { env });
    try {
      const summary = await deliverEvents([event], {
        config: { alerts },
        redis: conn,
        channels,
        prefix: `bd${randomBytes(3).toString('hex')}`,
        waitUntilSettled: true,
        timeoutMs: 30_000,
      });
      expect(summary.counts.delivered).toBe(2);
    } finally {
      await closeChannels(channels);
      conn.disconnect();
    }
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0].verified).toBe(true);
    const body = rx.requests[0].rawBody;
    expect(body).toContain('AAAAAAAA'); // the long text is there, cut
    expect(body.length).toBeLessThan(32_000);
    expect(smtp.raw).toHaveLength(1);
    expect(smtp.raw[0].length).toBeLessThan(64_000);
  });
});
