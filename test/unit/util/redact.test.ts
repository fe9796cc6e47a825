/** The Redactor: what it learns from an env and a config, the encodings it masks, bounds and deep copies. */
import { bound, outbound, Redactor, referencedEnvNames, REDACTED, ALERT_STRING_MAX } from '../../../src/util/redact';

describe('Redactor', () => {
  it('masks config-referenced env values whatever their names, and secret-looking env vars', () => {
    const env = {
      ADSBX_APIKEY_VALUE: 'k-123456789', // a name that does not look secret: known only through the config
      HOOK_SECRET: 'whsec_QUJDREVGR0hJSktMTU5PUA==',
      SMTP_URL: 'smtp://ops:p%40ss-w0rd@mail.example.org:587',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HOME: '/root',
    };
    const config = {
      sources: [{ auth: { keyEnv: 'ADSBX_APIKEY_VALUE' } }],
      alerts: { channels: [{ secretEnv: 'HOOK_SECRET' }] },
    };
    expect([...referencedEnvNames(config)].sort()).toEqual(['ADSBX_APIKEY_VALUE', 'HOOK_SECRET']);
    const r = new Redactor().addEnv(env, referencedEnvNames(config));
    const text = [
      'key k-123456789',
      'hook QUJDREVGR0hJSktMTU5PUA== whsec_QUJDREVGR0hJSktMTU5PUA==',
      'pw p@ss-w0rd and p%40ss-w0rd',
      'json "p@ss-w0rd"',
      'redis://127.0.0.1:6379 /root',
    ].join('\n');
    const out = r.mask(text);
    for (const s of ['k-123456789', 'QUJDREVGR0hJSktMTU5PUA==', 'p@ss-w0rd', 'p%40ss-w0rd'])
      expect(out).not.toContain(s);
    expect(out).toContain('redis://127.0.0.1:6379 /root'); // no credentials, not secret
    expect(out.split(REDACTED).length - 1).toBe(6);
  });

  it('ignores blank and very short values, splits space-separated keys', () => {
    const r = new Redactor().add('', '  ', 'abc', undefined, 'old-key-1 new-key-2');
    expect(r.mask('abc old-key-1 and new-key-2')).toBe(`abc ${REDACTED} and ${REDACTED}`);
  });

  it('masks an error in place, keeping its class, and bounds the message', () => {
    class DeliveryFailure extends Error {}
    const r = new Redactor().add('s3cr3t-value');
    const e = new DeliveryFailure(`535 bad password s3cr3t-value ${'x'.repeat(5000)}`);
    expect(r.maskError(e, 100)).toBe(e);
    expect(e).toBeInstanceOf(DeliveryFailure);
    expect(e.message).not.toContain('s3cr3t-value');
    expect(e.message.length).toBe(100);
    expect(e.stack).not.toContain('s3cr3t-value');
  });

  it('quotes upstream bodies masked, on one line, truncated', () => {
    const r = new Redactor().add('the-api-key-42');
    expect(r.quote(`{"message":\n"Invalid API key: the-api-key-42"}${' pad'.repeat(100)}`, 60)).toMatch(
      /^\{"message": "Invalid API key: \[redacted\]"\}.*… \(\d+ more chars\)$/,
    );
  });
});

it('bound() keeps short strings and says how much it cut', () => {
  expect(bound('short', 10)).toBe('short');
  const b = bound('y'.repeat(1000), 50);
  expect(b).toHaveLength(50);
  expect(b).toMatch(/… \(\d+ more chars\)$/);
});

it('outbound() deep-copies with every string bounded, leaving numbers, booleans and the original alone', () => {
  const alert = { id: 'a1', event: { aircraft: { callsign: 'C'.repeat(100_000), alt: 35000, ok: true }, tags: ['x'] } };
  const out = outbound(alert);
  expect(out.event.aircraft.callsign).toHaveLength(ALERT_STRING_MAX);
  expect(out.event.aircraft.alt).toBe(35000);
  expect(out.event.tags).toEqual(['x']);
  expect(alert.event.aircraft.callsign).toHaveLength(100_000);
});
