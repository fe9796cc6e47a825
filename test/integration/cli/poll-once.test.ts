import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reply, startFaultServer, type FaultServer } from '../../helpers/fault-server';
import { runCli } from '../../helpers/cli';
import { ADSBX as SNAPSHOT, describeShared } from '../../helpers/shared';

describeShared('flightwatch poll --once (real CLI process, local HTTP server replaying the ADSBx capture)', () => {
  let server: FaultServer;
  let dir: string;
  const snapshot = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as { aircraft: { t?: string; flight?: string }[] };
  const expectedGlf5 = snapshot.aircraft.filter((a) => a.t === 'GLF5').length;
  const expectedVxp = snapshot.aircraft.filter((a) => /^VXP\d/.test(a.flight?.trim() ?? '')).length;

  beforeAll(async () => {
    server = await startFaultServer();
    dir = mkdtempSync(join(tmpdir(), 'fw-poll-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  const writeConfig = (text: string) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const config = () => `
sources:
  - id: broken
    kind: readsb-v2
    provider: generic
    baseUrl: ${server.url}/broken
  - id: station
    kind: receiver
    url: ${server.url}/data/aircraft.json
watch:
  - id: gulfstream-v
    match: { types: [GLF5] }
    tags: [removal-charter]
  - id: avelo
    match: { callsignPrefixes: [VXP] }
    tags: [ice-air]
`;

  it('fails over to the next source in the same cycle and prints every matched aircraft as NDJSON', async () => {
    server.route(/^\/broken\//, reply.text('upstream exploded', 503));
    server.route('/data/aircraft.json', reply.file(SNAPSHOT));
    const r = await runCli(['poll', '--once', '--json', '--config', writeConfig(config())]);
    expect(r.stderr).toMatch(/served by station/);
    expect(r.stderr).toMatch(/broken:failed \(http: /);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const glf5 = lines.filter((l) => l.watch.ids.includes('gulfstream-v'));
    const vxp = lines.filter((l) => l.watch.ids.includes('avelo'));
    expect(expectedGlf5).toBeGreaterThan(0);
    expect(glf5).toHaveLength(expectedGlf5);
    expect(vxp).toHaveLength(expectedVxp);
    expect(lines).toHaveLength(expectedGlf5 + expectedVxp);
    for (const l of glf5) {
      expect(l).toMatchObject({ type: 'GLF5', sourceId: 'station', watch: { tags: ['removal-charter'] } });
      expect(l.hex).toMatch(/^[0-9a-f]{6}$/);
    }
    // The broken source was asked first, then the receiver served the whole cycle.
    expect(server.requests[0].path).toMatch(/^\/broken\/v2\//);
    expect(server.requests.at(-1)?.path).toBe('/data/aircraft.json');
  });

  it('prints readable lines without --json and exits 1 when no source can serve the cycle', async () => {
    server.route(/.*/, reply.htmlErrorPage(200));
    const r = await runCli(['poll', '--once', '--config', writeConfig(config())]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no source could serve the cycle/);
    expect(r.stderr).toMatch(/station:failed \(malformed: /);
  });

  it('refuses an invalid config with every problem and exit 2, before making any request', async () => {
    const bad = config().replace('types: [GLF5]', 'types: [GLF5], hex: [zz12]');
    const r = await runCli(['poll', '--once', '--config', writeConfig(bad)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/watch\[0\]\.match\.hex\[0\] \(line \d+\): "zz12" is not a 6-digit ICAO hex/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('flightwatch check-config (real CLI process)', () => {
  it('exits 0 with a one-line summary for the shipped config', async () => {
    const r = await runCli(['check-config']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/ok: \d+ watch entries, 3 sources \(adsblol → adsbfi → airplaneslive\)/);
  });

  it('honours FLIGHTWATCH_CONFIG and exits 2 listing problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-cc-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'sources: []\nwatch:\n  - id: x\n    match: { squawks: ["9999"] }\n');
    try {
      const r = await runCli(['check-config'], { env: { FLIGHTWATCH_CONFIG: file } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('sources (line 1): at least one source is needed');
      expect(r.stderr).toContain('watch[0].match.squawks[0] (line 4): "9999" is not a squawk');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
