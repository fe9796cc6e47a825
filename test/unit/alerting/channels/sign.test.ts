import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { parseSecret, secretsFromEnv, signHeaders, signature } from '../../../../src/alerting/channels/sign';

// Known-answer vector from standard-webhooks libraries/javascript/src/webhook.test.ts ("sign function works").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  ts: 1614265330,
  body: '{"test": 2432232314}',
  expected: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signer', () => {
  it('reproduces the spec test vector', () => {
    const key = parseSecret(VECTOR.secret, 'test');
    expect(signHeaders(VECTOR.id, VECTOR.ts, VECTOR.body, [key])['webhook-signature']).toBe(VECTOR.expected);
    // and so does the independent reference library
    expect(new Webhook(VECTOR.secret).sign(VECTOR.id, new Date(VECTOR.ts * 1000), VECTOR.body)).toBe(VECTOR.expected);
  });

  it('produces headers the standardwebhooks library verifies, and rejects a changed body', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const ts = Math.floor(Date.now() / 1000);
    const body = '{"a":1,"b":"ünïcode ✈"}';
    const headers = signHeaders('alert_1:x', ts, body, [parseSecret(secret, 'test')]);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ a: 1, b: 'ünïcode ✈' });
    expect(() => new Webhook(secret).verify(body.replace('1', '2'), { ...headers })).toThrow();
  });

  it('agrees with the reference library for arbitrary ids, bodies and key sizes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_:~-]{1,60}$/),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 24, max: 64 }),
        (id, ts, body, n) => {
          const secret = `whsec_${randomBytes(n).toString('base64')}`;
          const ours = signHeaders(id, ts, body, [parseSecret(secret, 'x')])['webhook-signature'];
          expect(ours).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), body));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('signs with every configured secret (rotation) so either verifies', () => {
    const oldS = `whsec_${randomBytes(24).toString('base64')}`;
    const newS = `whsec_${randomBytes(32).toString('base64')}`;
    const keys = secretsFromEnv('S', { S: `${newS}  ${oldS}` });
    const ts = Math.floor(Date.now() / 1000);
    const h = signHeaders('id1', ts, '{}', keys);
    expect(h['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldS).verify('{}', { ...h })).not.toThrow();
    expect(() => new Webhook(newS).verify('{}', { ...h })).not.toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify('{}', { ...h })).toThrow();
  });

  it('signs the raw bytes of a Buffer body the same as the string', () => {
    const key = randomBytes(32);
    expect(signature('i', 1, Buffer.from('{"x":"é"}'), key)).toBe(signature('i', 1, '{"x":"é"}', key));
  });

  it('refuses bad secrets with a message naming the env var', () => {
    expect(() => secretsFromEnv('PARTNER_WEBHOOK_SECRET', {})).toThrow(/env PARTNER_WEBHOOK_SECRET is not set/);
    expect(() => secretsFromEnv('P', { P: 'whsec_not-base64!' })).toThrow(/env P: not a whsec_<base64> secret/);
    expect(() => secretsFromEnv('P', { P: `whsec_${randomBytes(8).toString('base64')}` })).toThrow(
      /env P: secret is 8 bytes, Standard Webhooks requires 24–64/,
    );
    expect(() => secretsFromEnv('P', { P: `whsec_${randomBytes(32).toString('base64')} bogus` })).toThrow(
      /env P \(secret 2\)/,
    );
  });

  it('refuses ids the signed string cannot carry', () => {
    const k = randomBytes(32);
    expect(() => signHeaders('a.b', 1, '{}', [k])).toThrow(/must not contain "\."/);
    expect(() => signHeaders('a b', 1, '{}', [k])).toThrow();
    expect(() => signHeaders('ab', 1.5, '{}', [k])).toThrow(/integer seconds/);
  });
});
