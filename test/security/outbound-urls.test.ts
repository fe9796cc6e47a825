/**
 * Security: `flightwatch check-config` names alert receivers on loopback, link-local (cloud metadata),
 * private or shared address space — a warning, an error under --strict — unless the channel says
 * `allowPrivate: true`. Runs the real CLI. With --resolve (or --strict) also names that resolve there.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { hostRange } from '../../src/util/address-range';
import { parseConfigText } from '../../src/config/load';
import { resolvedUrlProblems, type LookupAll } from '../../src/cli/commands/check-config-resolve';

jest.setTimeout(60_000);

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'fw-outbound-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function config(channels: string[]): string {
  const file = join(tmp, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    [
      'sources:',
      '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/aircraft.json" }',
      'watch:',
      '  - { id: tails, match: { hex: [acb2ba] }, source: test fixture }',
      'alerts:',
      '  channels:',
      ...channels.map((c) => `    - ${c}`),
      '',
    ].join('\n'),
  );
  return file;
}
const hook = (id: string, url: string, extra = '') =>
  `{ id: ${id}, kind: webhook, url: "${url}", secretEnv: HOOK_SECRET${extra} }`;
const env = { HOOK_SECRET: 'whsec_dGVzdC1zZWNyZXQtYnl0ZXMtMDEyMzQ1Njc4OWFi' };

it('warns on metadata, loopback and private receivers, errors under --strict, accepts allowPrivate', async () => {
  const file = config([
    hook('meta', 'http://169.254.169.254/latest/meta-data/'),
    hook('loop', 'http://127.0.0.1:6379/'),
    hook('lan', 'https://10.1.2.3/hooks'),
    hook('next-door', 'http://192.168.1.20:9000/hooks', ', allowPrivate: true'),
    hook('public', 'https://hooks.example.org/flightwatch'),
  ]);
  const r = await runCli(['check-config', '--config', file], { env });
  expect(r.code).toBe(0);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: alerts.channels'));
  expect(warnings).toHaveLength(3);
  expect(r.stderr).toMatch(/alerts\.channels\[0\]\.url \(meta\): 169\.254\.169\.254 is a metadata address/);
  expect(r.stderr).toMatch(/alerts\.channels\[1\]\.url \(loop\): 127\.0\.0\.1:6379 is a loopback address/);
  expect(r.stderr).toMatch(/alerts\.channels\[2\]\.url \(lan\): 10\.1\.2\.3 is a private address/);
  expect(r.stderr).not.toMatch(/next-door|public/);

  const strict = await runCli(['check-config', '--strict', '--config', file], { env });
  expect(strict.code).toBe(2);
  expect(strict.stderr).toMatch(/error: alerts\.channels\[0\]\.url \(meta\)/);
  expect(strict.stdout).not.toMatch(/ok:/);

  const clean = await runCli(
    ['check-config', '--strict', '--config', config([hook('public', 'https://hooks.example.org/x')])],
    {
      env,
    },
  );
  expect([clean.code, clean.stderr]).toEqual([0, '']);
});

it('classifies the special ranges, including IPv6 and IPv4-mapped forms, and leaves public hosts alone', () => {
  const cases: [string, string | undefined][] = [
    ['169.254.169.254', 'metadata'],
    ['metadata.google.internal', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['[fe80::1]', 'link-local'],
    ['localhost', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['[::1]', 'loopback'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', undefined],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['[fd12::1]', 'private'],
    ['[::ffff:a00:1]', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['8.8.8.8', undefined],
    ['hooks.example.org', undefined],
  ];
  expect(cases.map(([h]) => [h, hostRange(h)])).toEqual(cases);
});

describe('--resolve: host names are resolved', () => {
  /** A name (not `localhost` itself, which the literal check knows) that this machine resolves to loopback. */
  async function loopbackName(): Promise<string | undefined> {
    for (const name of [hostname(), 'localhost.localdomain', 'ip6-localhost'])
      try {
        const addresses = (await lookup(name, { all: true })).map((a) => a.address);
        if (!hostRange(name) && addresses.some((a) => hostRange(a) === 'loopback')) return name;
      } catch {
        // not in /etc/hosts here: try the next
      }
    return undefined;
  }

  it('reports a name resolving to 127.0.0.1, errors under --strict, leaves a public literal alone', async () => {
    const name = await loopbackName();
    if (!name) {
      console.warn('no name other than localhost resolves to loopback on this machine: --resolve CLI test skipped');
      return;
    }
    const file = config([hook('inside', `http://${name}:8080/hooks`), hook('public', 'https://93.184.215.14/hooks')]);
    const plain = await runCli(['check-config', '--config', file], { env });
    expect([plain.code, plain.stderr]).toEqual([0, '']); // without --resolve the name passes

    const r = await runCli(['check-config', '--resolve', '--config', file], { env });
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: alerts.channels'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`alerts\\.channels\\[0\\]\\.url \\(inside\\): ${name} resolves to 127\\.`));
    expect(warnings[0]).toMatch(/\(loopback\)/);
    expect(r.stderr).not.toMatch(/public|93\.184/);

    const strict = await runCli(['check-config', '--strict', '--config', file], { env });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/error: alerts\.channels\[0\]\.url \(inside\)/);
  });

  it('flags every special address a name has, notes names that do not resolve, skips allowPrivate', async () => {
    const answers: Record<string, string[] | Error> = {
      'hooks.example.net': ['93.184.215.14'],
      'split.example.net': ['93.184.215.14', '10.0.0.5'],
      'meta.example.net': ['169.254.169.254'],
      'typo.example.net': Object.assign(new Error('not found'), { code: 'ENOTFOUND' }),
    };
    const asked: string[] = [];
    const fake: LookupAll = (host) => {
      asked.push(host);
      const a = answers[host];
      return a instanceof Error || !a ? Promise.reject(a ?? new Error(host)) : Promise.resolve(a);
    };
    const parsed = parseConfigText(
      readFileSync(
        config([
          hook('pub', 'https://hooks.example.net/a'),
          hook('split', 'https://split.example.net/a'),
          hook('meta', 'http://meta.example.net/latest'),
          hook('typo', 'https://typo.example.net/a'),
          hook('lan', 'https://split.example.net/b', ', allowPrivate: true'),
          hook('lit', 'https://93.184.215.14/a'),
        ]),
        'utf8',
      ),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const r = await resolvedUrlProblems(parsed.config, fake);
    expect(r.problems).toEqual([
      expect.stringMatching(
        /^alerts\.channels\[1\]\.url \(split\): split\.example\.net resolves to 10\.0\.0\.5 \(private\);/,
      ),
      expect.stringMatching(
        /^alerts\.channels\[2\]\.url \(meta\): meta\.example\.net resolves to 169\.254\.169\.254 \(metadata\);/,
      ),
    ]);
    expect(r.unresolved).toEqual(['alerts.channels[3].url (typo): typo.example.net could not be resolved (ENOTFOUND)']);
    expect(asked.sort()).toEqual(['hooks.example.net', 'meta.example.net', 'split.example.net', 'typo.example.net']);
  });
});
