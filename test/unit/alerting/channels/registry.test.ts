import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ChannelConfigError,
  createChannel,
  createChannels,
  defaultOutbox,
  syntheticAlert,
  syntheticEvent,
} from '../../../../src/alerting/channels';
import { registerChannelKind } from '../../../../src/alerting/channels/index';
import type { ChannelConfig } from '../../../../src/config/channels-schema';

const env = { S: `whsec_${randomBytes(32).toString('base64')}`, SMTP_URL: 'smtp://127.0.0.1:1' };
const webhook: ChannelConfig = {
  id: 'partner',
  kind: 'webhook',
  url: 'http://127.0.0.1:1/',
  secretEnv: 'S',
  timeoutMs: 1000,
};
const email: ChannelConfig = {
  id: 'ops',
  kind: 'email',
  to: ['a@example.org'],
  subjectPrefix: '[fw]',
  smtpUrlEnv: 'SMTP_URL',
  map: true,
};

describe('channel registry', () => {
  it('builds each kind with the id from its config', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fw-reg-'));
    try {
      const chans = createChannels([webhook, email, { id: 'box', kind: 'outbox', dir }], { env });
      expect([...chans.values()].map((c) => [c.id, c.kind])).toEqual([
        ['partner', 'webhook'],
        ['ops', 'email'],
        ['box', 'outbox'],
      ]);
      await Promise.all([...chans.values()].map((c) => c.close?.() ?? Promise.resolve()));
      expect(defaultOutbox({ env }, dir).kind).toBe('outbox');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses duplicate ids, unknown kinds, and re-registration of a kind', () => {
    expect(() => createChannels([webhook, { ...webhook }], { env })).toThrow(
      new ChannelConfigError('partner', 'duplicate channel id'),
    );
    expect(() => createChannel({ id: 'x', kind: 'pager' } as unknown as ChannelConfig, { env })).toThrow(
      /channel x: unknown channel kind "pager" \(known: webhook, email, outbox, telegram, mastodon, bluesky, signal, matrix, slack, discord, ntfy, mqtt, apprise\)/,
    );
    expect(() =>
      registerChannelKind('webhook', () => {
        throw new Error('unused');
      }),
    ).toThrow(/already registered/);
  });

  it('fails at construction, naming the env var, when a secret or SMTP URL is missing or bad', () => {
    expect(() => createChannel(webhook, { env: {} })).toThrow(
      'channel partner: env S is not set (expected whsec_<base64>)',
    );
    expect(() => createChannel(webhook, { env: { S: 'whsec_c2hvcnQ=' } })).toThrow(
      /channel partner: env S: secret is 5 bytes/,
    );
    expect(() => createChannel(email, { env: {} })).toThrow(/channel ops: env SMTP_URL is not set/);
    expect(() => createChannel(email, { env: { SMTP_URL: 'http://mail' } })).toThrow(
      /not an smtp:\/\/ or smtps:\/\/ URL/,
    );
  });

  it('provides a synthetic, clearly marked test alert with a stable id per instant', () => {
    const now = new Date('2026-11-27T19:02:00.123Z');
    const a = syntheticAlert('ops', now);
    expect(a).toEqual(syntheticAlert('ops', now));
    expect(a.channelId).toBe('ops');
    expect(a.id).toBe('test-1795806120000:ops');
    expect(a.event.details).toMatchObject({ synthetic: true });
    expect(a.event.evidence).toHaveLength(12);
    expect(syntheticEvent(now).time).toBe('2026-11-27T19:02:00Z');
  });
});
