import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  canonicalJson,
  serializeWebhookBody,
  webhookBody,
  webhookBodyJsonSchema,
  webhookBodySchema,
  WEBHOOK_SCHEMA,
} from '../../../../src/alerting/payload';
import { fileStem, messageId, webhookId } from '../../../../src/alerting/channels/ids';
import { channelDisabledAlert, landingAlert } from './fixture';

/** Rebuilds every object with its keys in reverse order: same value, different construction. */
const reversed = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(reversed)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, reversed(x)]),
        )
      : v;

describe('webhook body flightwatch.webhook/v1', () => {
  it('carries schema, type, alert id, channel, the event and map links, and validates against its schema', () => {
    const alert = landingAlert();
    const body = JSON.parse(serializeWebhookBody(alert));
    expect(body.schema).toBe(WEBHOOK_SCHEMA);
    expect(body.type).toBe('flightwatch.landing');
    expect(body.timestamp).toBe(alert.event.time);
    expect(body.alertId).toBe(alert.id);
    expect(body.channel).toBe('partner');
    expect(body.event).toEqual(alert.event);
    expect(body.links).toEqual({
      adsblol: 'https://globe.adsb.lol/?icao=ab12cd',
      adsbexchange: 'https://globe.adsbexchange.com/?icao=ab12cd',
      airplaneslive: 'https://globe.airplanes.live/?icao=ab12cd',
    });
    expect(webhookBodySchema.safeParse(body).success).toBe(true);
    expect(body).not.toHaveProperty('sentAt');
  });

  it('is byte-identical whatever order the alert was built in, and canonical (sorted keys, no whitespace)', () => {
    const alert = landingAlert();
    const a = serializeWebhookBody(alert);
    const b = serializeWebhookBody(reversed(alert) as typeof alert);
    expect(b).toBe(a);
    expect(a).not.toMatch(/\n| {2}/);
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, undefined] } })).toBe('{"a":{"c":[2,null]},"b":1}');
  });

  it('carries the thread', () => {
    const body = webhookBody({ ...landingAlert(), threadIds: ['t1', 't2'] });
    expect(body.threadIds).toEqual(['t1', 't2']);
    expect(body.operational).toBeUndefined();
  });

  it('sends operational alerts as event type operational: kind and summary, no aircraft, no links; valid', () => {
    const alert = channelDisabledAlert('ops');
    const body = JSON.parse(serializeWebhookBody(alert));
    expect(body.type).toBe('flightwatch.operational');
    expect(body.operational).toBe(true);
    expect(body.timestamp).toBe('2026-11-27T19:05:00.000Z');
    expect(body.event).toEqual({
      schema: 'flightwatch.event/v1',
      id: expect.stringMatching(/^op_[0-9a-f]{32}$/),
      type: 'operational',
      time: '2026-11-27T19:05:00.000Z',
      source: 'flightwatch',
      details: {
        operational: {
          kind: 'channel-disabled',
          summary: expect.stringContaining('partner is disabled'),
          channelId: 'partner',
          reason: 'HTTP 410 Gone <b>bye</b>',
          disabledAt: '2026-11-27T19:05:00.000Z',
          eventId: 'ab12cd:landing:20261127T1900',
        },
      },
    });
    expect(body).not.toHaveProperty('links');
    expect(body.event).not.toHaveProperty('aircraft');
    expect(webhookBodySchema.safeParse(body).success).toBe(true);
    // Same incident, same event id (the dedup key); another incident, another id.
    expect(channelDisabledAlert('backup').event.id).toBe(alert.event.id);
  });

  it('keeps flight and operational shapes apart in the schema', () => {
    const op = webhookBody(channelDisabledAlert()) as unknown as Record<string, unknown>;
    const flight = webhookBody(landingAlert()) as unknown as Record<string, unknown>;
    const opEvent = op.event as Record<string, unknown>;
    // an operational event without kind, with an unknown kind, or posing as a flight: rejected
    expect(
      webhookBodySchema.safeParse({ ...op, event: { ...opEvent, details: { operational: { summary: 'x' } } } }).success,
    ).toBe(false);
    expect(
      webhookBodySchema.safeParse({
        ...op,
        event: { ...opEvent, details: { operational: { kind: 'watcher-blind', summary: 'x' } } },
      }).success,
    ).toBe(false);
    expect(webhookBodySchema.safeParse({ ...op, event: { ...opEvent, type: 'seen' } }).success).toBe(false);
    // the body flag and links must agree with the event
    expect(webhookBodySchema.safeParse({ ...flight, operational: true }).success).toBe(false);
    expect(webhookBodySchema.safeParse({ ...op, links: flight.links }).success).toBe(false);
    expect(webhookBodySchema.safeParse({ ...flight, links: undefined }).success).toBe(false);
    // a flight event must not claim type operational, and must keep its aircraft
    expect(
      webhookBodySchema.safeParse({ ...flight, event: { ...(flight.event as object), aircraft: undefined } }).success,
    ).toBe(false);
  });

  it('rejects a body that breaks the schema (the schema is not vacuous)', () => {
    const body = webhookBody(landingAlert()) as unknown as Record<string, unknown>;
    expect(webhookBodySchema.safeParse({ ...body, schema: 'flightwatch.webhook/v2' }).success).toBe(false);
    expect(webhookBodySchema.safeParse({ ...body, sentAt: 'x' }).success).toBe(false);
    expect(
      webhookBodySchema.safeParse({ ...body, event: { ...(body.event as object), type: 'boarding' } }).success,
    ).toBe(false);
  });

  it('keeps docs/webhook-event.schema.json in step with the zod schema (run `npm run schema`)', () => {
    const file = path.resolve(__dirname, '../../../../docs/webhook-event.schema.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(webhookBodyJsonSchema());
    const doc = readFileSync(path.resolve(__dirname, '../../../../docs/webhooks.md'), 'utf8');
    expect(doc).toContain('(webhook-event.schema.json)');
  });
});

describe('identifiers derived from the alert id', () => {
  it('passes router-style ids unchanged and encodes the rest injectively', () => {
    expect(webhookId('ab12cd:landing:20261127T1900:partner')).toBe('ab12cd:landing:20261127T1900:partner');
    expect(webhookId('a.b')).toBe('a=2Eb');
    expect(webhookId('a=2Eb')).not.toBe(webhookId('a.b'));
    expect(webhookId('a b\r\n')).toMatch(/^[A-Za-z0-9_:~+/=-]+$/);
    expect(messageId('ab12cd:landing:x')).toBe('<ab12cd=3Alanding=3Ax@flightwatch>');
    expect(messageId('x<y>@z')).toMatch(/^<[A-Za-z0-9_~+/=-]+@flightwatch>$/);
    expect(fileStem('a:b/c')).toBe('a=3Ab=2Fc');
  });
});
