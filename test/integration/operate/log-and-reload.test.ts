/** Secret masking in whole log lines, the reload plan, and the config reloader's accept/reject paths. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, secretValues } from '../../../src/util/log';
import { parseConfigText } from '../../../src/config/load';
import type { Config } from '../../../src/config/schema';
import { planReload } from '../../../src/runtime/reload-plan';
import { createConfigReloader } from '../../../src/runtime/config-reload';

function capture(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const log = createLogger({ env, level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
  return { log, lines };
}

describe('log redaction', () => {
  it('masks env secrets in messages and in fields, including JSON-escaped forms and URL passwords', () => {
    const env = {
      SMTP_URL: 'smtp://ops:p%40ss-w0rd@mail.example.org:587',
      HOOK_SECRET: 'whsec_AAA"BBB\\CCC',
      OLD_AND_NEW_SECRET: 'whsec_one whsec_two',
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    const { log, lines } = capture(env);
    log.warn(
      {
        err: 'auth failed for smtp://ops:p%40ss-w0rd@mail.example.org:587 (p@ss-w0rd)',
        nested: { x: 'whsec_AAA"BBB\\CCC', y: 'whsec_two' },
      },
      'send failed: whsec_one',
    );
    log.info({ redis: 'redis://127.0.0.1:6379' }, 'using Redis');
    const text = lines.join('');
    for (const s of ['p%40ss-w0rd', 'p@ss-w0rd', 'whsec_AAA', 'whsec_one', 'whsec_two']) expect(text).not.toContain(s);
    expect(JSON.parse(lines[0]).err).toBe('auth failed for [redacted] ([redacted])');
    // A URL without credentials is not a secret.
    expect(JSON.parse(lines[1]).redis).toBe('redis://127.0.0.1:6379');
    expect(secretValues({ PATH: '/usr/bin', HOME: '/root' })).toEqual([]);
  });

  it('redacts secret-named fields by path', () => {
    const { log, lines } = capture({});
    log.info({ req: { headers: { authorization: 'Bearer abc' }, password: 'x' } }, 'request');
    const rec = JSON.parse(lines[0]);
    expect(rec.req.headers.authorization).toBe('[redacted]');
    expect(rec.req.password).toBe('[redacted]');
  });
});

const yaml = (type: string, extra = '') => `
sources:
  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/aircraft.json" }
watch:
  - { id: jets, match: { types: [${type}] } }
${extra}`;

const cfg = (text: string): Config => {
  const r = parseConfigText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
};

describe('reload plan', () => {
  it('applies ingest, detector and operate changes; keeps alerts, schedule and data for a restart', () => {
    const a = cfg(yaml('GLF5'));
    expect(planReload(a, cfg(yaml('GLF4')))).toEqual({
      changed: ['watch'],
      ingest: true,
      detector: false,
      restartNeeded: [],
    });
    expect(planReload(a, cfg(yaml('GLF5', 'destinations:\n  - { id: cn, countries: [CN] }')))).toMatchObject({
      changed: ['destinations'],
      ingest: false,
      detector: true,
    });
    expect(planReload(a, cfg(yaml('GLF5', 'poll: { schedule: "*/5 * * * * *", maxPositionAgeS: 30 }')))).toMatchObject({
      changed: ['poll.schedule', 'poll.maxPositionAgeS'],
      detector: true,
      restartNeeded: ['poll.schedule'],
    });
    expect(planReload(a, cfg(yaml('GLF5', 'alerts: { concurrency: 2 }\noperate: { blindAfter: 5m }')))).toMatchObject({
      changed: ['alerts', 'operate'],
      restartNeeded: ['alerts'],
    });
    expect(planReload(a, cfg(yaml('GLF5')))).toMatchObject({ changed: [], ingest: false, detector: false });
    // Digests are read on every check: alerts.digest and reports apply at once, the rest of alerts does not.
    expect(
      planReload(
        a,
        cfg(
          yaml(
            'GLF5',
            'alerts: { digest: { period: 1h }, channels: [{ id: box, kind: outbox }] }\n' +
              'reports: { digests: [{ every: weekly, channels: [box] }] }',
          ),
        ),
      ),
    ).toMatchObject({ changed: ['alerts.digest', 'alerts', 'reports'], restartNeeded: ['alerts'] });
    expect(planReload(a, cfg(yaml('GLF5', 'alerts: { digest: { period: 1h, checkEvery: 10s } }')))).toMatchObject({
      changed: ['alerts.digest'],
      restartNeeded: [],
    });
  });
});

describe('config reloader', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-reload-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies a valid file and rejects an invalid one with every problem, path and line', () => {
    const file = join(dir, 'fw.yaml');
    writeFileSync(file, yaml('GLF5'));
    const applied: Config[] = [];
    const { log, lines } = capture({});
    const r = createConfigReloader({
      file,
      log,
      watchFile: false,
      debounceMs: () => 0,
      apply: (c) => (applied.push(c), planReload(cfg(yaml('GLF5')), c)),
    });
    writeFileSync(file, yaml('GLF4'));
    expect(r.reload('SIGHUP')).toMatchObject({ ok: true, plan: { changed: ['watch'] } });
    expect(applied.map((c) => c.watch[0].match.types)).toEqual([['GLF4']]);

    writeFileSync(file, yaml('glf_5', 'poll: { schedule: "99 * * * *" }'));
    const bad = r.reload('SIGHUP');
    expect(bad.ok).toBe(false);
    expect(applied).toHaveLength(1);
    const problems = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('config problem'));
    expect(problems.map((p) => [p.path, p.line])).toEqual([['watch[0].match.types[0]', 5]]);
    expect(lines.map((l) => JSON.parse(l).msg)).toContain(
      'config reload rejected (1 problem); keeping the running config',
    );

    rmSync(file);
    expect(r.reload('SIGHUP')).toMatchObject({ ok: false, problems: [expect.stringContaining('cannot read config')] });
    r.stop();
  });
});
