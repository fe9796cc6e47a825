/** What the startup lines print: Redis URLs without passwords, channels by id and kind only, the archive target. */
import path from 'node:path';
import { parseConfigText } from '../../../src/config/load';
import type { Config } from '../../../src/config/schema';
import { buildChannels } from '../../../src/alerting/build-channels';
import { alertDestinations, archiveForLog, redisUrlForLog } from '../../../src/runtime/startup-lines';

function config(yaml: string): Config {
  const r = parseConfigText(
    `sources:\n  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/a.json" }\nwatch:\n  - { id: jets, match: { types: [GLF5] } }\n${yaml}`,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('redisUrlForLog', () => {
  it('drops the password and query, keeps user, host, port and db', () => {
    expect(redisUrlForLog('redis://:s3cret@10.0.0.5:6380/2')).toBe('redis://10.0.0.5:6380/2');
    expect(redisUrlForLog('rediss://app:s3cret@redis.example.org:6379?password=s3cret')).toBe(
      'rediss://app@redis.example.org:6379',
    );
    expect(redisUrlForLog('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redisUrlForLog('not a url s3cret')).toBe('(REDIS_URL is not a valid URL)');
  });
});

describe('alertDestinations', () => {
  it('lists the implicit outbox with its absolute folder', () => {
    const c = config('alerts:\n  outboxDir: ./out\n');
    expect(alertDestinations(c.alerts, buildChannels(c.alerts))).toEqual([
      { id: 'outbox', kind: 'outbox', dir: path.resolve('./out') },
    ]);
  });

  it('names configured channels by id and kind, never by URL', () => {
    const c = config(
      [
        'alerts:',
        '  channels:',
        '    - { id: hook, kind: webhook, url: "https://hooks.example.org/T0KEN-in-path", secretEnv: HOOK_SECRET }',
        '    - { id: files, kind: outbox, dir: /var/flightwatch/outbox }',
        '',
      ].join('\n'),
    );
    const d = alertDestinations(
      c.alerts,
      buildChannels(c.alerts, { env: { HOOK_SECRET: 'whsec_BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=' } }),
    );
    expect(d).toEqual([
      { id: 'hook', kind: 'webhook' },
      { id: 'files', kind: 'outbox', dir: '/var/flightwatch/outbox' },
    ]);
    expect(JSON.stringify(d)).not.toContain('T0KEN');
  });
});

describe('archiveForLog', () => {
  it('names the SQLite file, PostgreSQL without credentials, or off', () => {
    const c = config('data:\n  dir: /srv/fw\n');
    expect(archiveForLog(c, {})).toBe('SQLite /srv/fw/archive.sqlite');
    expect(archiveForLog(c, { DATABASE_URL: 'postgres://fw:pa55@db.example.org:5432/flights' })).toBe(
      'PostgreSQL postgres://db.example.org:5432/flights (DATABASE_URL)',
    );
    expect(archiveForLog(config('archive:\n  enabled: false\n'), {})).toBe('off (archive.enabled: false)');
  });
});
