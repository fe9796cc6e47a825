import { readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, serializeWebhookBody, webhookBody, webhookBodyJsonSchema, webhookBodySchema, WEBHOOK_SCHEMA } from '../../../../src/deliver/payload';
import { fileStem, messageId, webhookId } from '../../../../src/deliver/channels/ids';
import { landingAlert } from './fixture';

/** Rebuilds every object with its keys in reverse order: same value, different construction. */
const reversed = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;

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

  it('marks operational alerts and carries the thread', () => {
    const alert = { ...landingAlert(), operational: true, threadIds: ['t1', 't2'] };
    const body = webhookBody(alert);
    expect(body.type).toBe('flightwatch.operational');
    expect(body.operational).toBe(true);
    expect(body.threadIds).toEqual(['t1', 't2']);
  });

  it('rejects a body that breaks the schema (the schema is not vacuous)', () => {
    const body = webhookBody(landingAlert()) as unknown as Record<string, unknown>;
    expect(webhookBodySchema.safeParse({ ...body, schema: 'flightwatch.webhook/v2' }).success).toBe(false);
    expect(webhookBodySchema.safeParse({ ...body, sentAt: 'x' }).success).toBe(false);
    expect(webhookBodySchema.safeParse({ ...body, event: { ...(body.event as object), type: 'boarding' } }).success).toBe(false);
  });

  it('docs/webhooks.md embeds exactly the JSON Schema generated from the zod schema', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../../docs/webhooks.md'), 'utf8');
    const m = doc.match(/<!-- schema:begin -->\s*```json\n([\s\S]*?)```\s*<!-- schema:end -->/);
    expect(m).not.toBeNull();
    expect(JSON.parse(m![1]!)).toEqual(webhookBodyJsonSchema());
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
