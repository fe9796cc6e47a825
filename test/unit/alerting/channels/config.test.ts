import { channelSchema } from '../../../../src/config/channels-schema';

const issues = (input: unknown) => {
  const r = channelSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('channel config schema', () => {
  it('accepts the issue example and fills defaults', () => {
    expect(
      channelSchema.parse({
        id: 'partner',
        kind: 'webhook',
        url: 'https://example.org/hooks/flightwatch',
        secretEnv: 'PARTNER_WEBHOOK_SECRET',
      }),
    ).toEqual({
      id: 'partner',
      kind: 'webhook',
      url: 'https://example.org/hooks/flightwatch',
      secretEnv: 'PARTNER_WEBHOOK_SECRET',
      timeoutMs: 10000,
    });
    expect(channelSchema.parse({ id: 'ops', kind: 'email', to: ['alerts@example.org'] })).toEqual({
      id: 'ops',
      kind: 'email',
      to: ['alerts@example.org'],
      subjectPrefix: '[flightwatch]',
      smtpUrlEnv: 'SMTP_URL',
      map: true,
    });
    expect(channelSchema.parse({ id: 'local', kind: 'outbox' })).toEqual({
      id: 'local',
      kind: 'outbox',
      dir: './outbox',
    });
    expect(issues({ id: 'ops', kind: 'email', to: ['Ops Desk <ops@example.org>'], from: 'fw@example.org' })).toEqual(
      [],
    );
  });

  it('names the offending field and value', () => {
    expect(issues({ id: 'p', kind: 'webhook', url: 'ftp://x', secretEnv: 'S' })).toEqual([
      'url: "ftp://x" is not an http(s) URL',
    ]);
    expect(issues({ id: 'p', kind: 'webhook', url: 'https://u:pw@x.org/', secretEnv: 'S' })[0]).toMatch(
      /^url: .*credentials/,
    );
    expect(issues({ id: 'p', kind: 'webhook', url: 'https://x.org/', secretEnv: 'whsec_abc' })).toEqual([
      'secretEnv: "whsec_abc" is not an environment variable name (e.g. PARTNER_WEBHOOK_SECRET)',
    ]);
    expect(issues({ id: 'p', kind: 'webhook', url: 'https://x.org/', secretEnv: 'S', timeoutMs: 60000 })[0]).toMatch(
      /^timeoutMs:/,
    );
    expect(
      issues({
        id: 'p',
        kind: 'webhook',
        url: 'https://x.org/',
        secretEnv: 'S',
        headers: { 'Webhook-Signature': 'x' },
      }),
    ).toEqual(['headers.Webhook-Signature: header "Webhook-Signature" is set by flightwatch and cannot be overridden']);
    expect(
      issues({ id: 'p', kind: 'webhook', url: 'https://x.org/', secretEnv: 'S', headers: { 'X-A': 'a\r\nb' } })[0],
    ).toMatch(/^headers\.X-A: header values must be one line/);
    expect(issues({ id: 'Ops', kind: 'email', to: ['a@b.org'] })).toEqual([
      'id: "Ops" is not a channel id (lowercase letters, digits, "-" or "_", at most 64)',
    ]);
    expect(issues({ id: 'ops', kind: 'email', to: [] })).toEqual(['to: at least one recipient is required']);
    expect(issues({ id: 'ops', kind: 'email', to: ['not-an-address'] })).toEqual([
      'to.0: "not-an-address" is not an e-mail address',
    ]);
    expect(issues({ id: 'ops', kind: 'email', to: ['a@b.org'], subjectPrefix: 'x\ny' })[0]).toMatch(/^subjectPrefix:/);
    expect(issues({ id: 'ops', kind: 'email', to: ['a@b.org'], tp: 1 })[0]).toMatch(/tp/);
    expect(issues({ id: 'ops', kind: 'pager' }).join()).toMatch(/kind/);
    expect(issues({ id: 'ops', kind: 'slack' }).join()).toMatch(/^webhookUrlEnv:/);
  });
});
