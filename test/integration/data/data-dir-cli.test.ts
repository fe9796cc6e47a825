/**
 * `flightwatch data update|status --config F` (real CLI child) puts and reads the tables where the worker
 * looks: F's data.dir. Tables come from a real HTTP server on 127.0.0.1 serving ../shared/data.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli';
import { DATA as SHARED_DATA, describeShared } from '../../helpers/shared';

jest.setTimeout(120_000);

const configYaml = (dataDir: string, extra = '') =>
  ['sources:', '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/data/aircraft.json" }', 'watch:', '  - id: jets', '    match: { types: [GLF5] }', 'data:', `  dir: "${dataDir}"`, extra, ''].join('\n');

describeShared('data update --config (real CLI child)', () => {
  let server: http.Server;
  let base: string;
  let tmp: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const file = path.join(SHARED_DATA, path.basename(decodeURIComponent((req.url ?? '/').split('?')[0])));
      if (!existsSync(file)) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': 'text/csv' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'fw-data-cli-'))));
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("installs into the config's data.dir, ignoring $FLIGHTWATCH_DATA_DIR; status reads it there; --dir still wins", async () => {
    const dataDir = path.join(tmp, 'worker-data');
    const config = path.join(tmp, 'flightwatch.yaml');
    writeFileSync(config, configYaml(dataDir));
    const elsewhere = path.join(tmp, 'env-dir');
    const env = { FLIGHTWATCH_DATA_DIR: elsewhere, FLIGHTWATCH_CONFIG: '' };

    const up = await runCli(['data', 'update', '--config', config, '--from', base, '--retries', '0'], { env });
    expect(up.code).toBe(0);
    expect(up.stderr).toContain(`data dir ${dataDir} (data.dir in ${config})`);
    expect(up.stdout).toMatch(new RegExp(`^${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d/6 tables updated, \\d+ airports`));
    expect(readdirSync(dataDir)).toContain('airports.json');
    expect(existsSync(elsewhere)).toBe(false);

    const st = await runCli(['data', 'status', '--config', config], { env });
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/airports\.json.*: \d+ airports/);
    expect(st.stdout).not.toMatch(/^npm:/);

    // --dir wins over --config: the tables go where it says (status shows the npm fallback for an empty dir).
    const other = path.join(tmp, 'explicit');
    const st2 = await runCli(['data', 'status', '--config', config, '--dir', other], { env });
    expect(st2.code).toBe(0);
    expect(st2.stderr).not.toContain('data dir');
    expect(st2.stdout).toMatch(/^npm:/);
  });

  it('an invalid --config stops before downloading anything (exit 2, the problem named)', async () => {
    const dataDir = path.join(tmp, 'worker-data');
    const config = path.join(tmp, 'flightwatch.yaml');
    writeFileSync(config, configYaml(dataDir, 'poll: { schedule: "every minute" }'));
    const r = await runCli(['data', 'update', '--config', config, '--from', base, '--retries', '0'], { env: { FLIGHTWATCH_DATA_DIR: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/poll\.schedule \(line \d+\): "every minute" is not a cron expression; fix it or pass --dir/);
    expect(existsSync(dataDir)).toBe(false);
    expect(readdirSync(tmp)).toEqual(['flightwatch.yaml']);
  });
});
