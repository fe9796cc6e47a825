/**
 * `flightwatch candidates list|show|accept|reject` as child processes on a real SQLite archive filled by the
 * worker's finder: accept adds the watch entry to a copy of the shipped config (every line of it kept) and
 * the config still loads; mistakes are one line and exit 1.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openArchive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { loadConfig } from '../../../src/config/load';
import { buildFinder } from '../../../src/runtime/discovery-setup';
import { runCli } from '../../helpers/cli';
import { DAY, T0, airframe, airports, fly, testConfig } from '../discovery/support';

let dir: string;
let configFile: string;
let shipped: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fw-candidates-cli-'));
  mkdirSync(join(dir, 'data'));
  shipped = readFileSync(resolve(__dirname, '../../../config/flightwatch.yaml'), 'utf8');
  configFile = join(dir, 'flightwatch.yaml');
  writeFileSync(configFile, `${shipped}\ndata:\n  dir: ${JSON.stringify(join(dir, 'data'))}\n`);
  const archive = await openArchive({ file: join(dir, 'data', 'archive.sqlite') });
  try {
    const finder = buildFinder(testConfig(), airports, recordDb(archive.db));
    const fleet = [
      airframe('a4f2c1', 'B738', [
        ['KAEX', 'KHRL', 2, null],
        ['KHRL', 'MGGT', 7, null],
      ]),
      airframe('a5e3d2', 'A320', [
        ['KELP', 'KSAT', 3, 'SWQ310'],
        ['KSAT', 'KIWA', 9, 'SWQ311'],
      ]),
    ];
    expect(await fly(finder, fleet, T0, T0 + DAY)).toHaveLength(2);
  } finally {
    await archive.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each command is a child process (a few seconds each on a busy host).

const cli = (...args: string[]) => runCli(['candidates', ...args, '--config', configFile]);

it('lists and shows candidates with their reasons and sightings', async () => {
  const list = await cli('list');
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/cand-a4f2c1 {2}a4f2c1 {2}B738 NA4FX {2}score 0\.90 {2}proposed/);
  expect(list.stdout).toContain('flew from a hub to a country of return: MGGT (GT) 2026-03-02');
  expect(list.stdout).toContain('charter callsign SWQ310, SWQ311 (iaero)');

  const show = await cli('show', 'a4f2c1', '--json');
  expect(show.code).toBe(0);
  const c = JSON.parse(show.stdout) as { id: string; sightings: { place: string; source: string }[] };
  expect(c.id).toBe('cand-a4f2c1');
  expect(c.sightings.map((s) => s.place)).toEqual(expect.arrayContaining(['KAEX', 'KHRL', 'MGGT']));
  expect((await cli('show', 'cand-a4f2c1')).stdout).toMatch(
    /sightings \(\d+\):\n {4}2026-03-02T0\d:\d\dZ {2}KAEX \(hub\) {2}ground/,
  );
}, 60_000);

it('accept writes the entry into the config keeping every line; reject keeps it from the list', async () => {
  const accepted = await cli('accept', 'cand-a4f2c1', '--reviewer', 'ana');
  expect(accepted.stderr).toBe('');
  expect(accepted.stdout).toContain(
    `cand-a4f2c1: accepted by ana; watch entry candidate-a4f2c1 added to ${configFile}`,
  );
  const text = readFileSync(configFile, 'utf8');
  expect(text.startsWith(shipped.slice(0, shipped.indexOf('\ndestinations:')))).toBe(true);
  expect(text).toContain(shipped.slice(shipped.indexOf('\ndestinations:')));
  const entry = loadConfig(configFile).watch.find((w) => w.id === 'candidate-a4f2c1');
  expect(entry).toMatchObject({ match: { hex: ['a4f2c1'] }, tags: ['candidate'] });
  expect(entry?.source).toMatch(
    /^candidate cand-a4f2c1: \d+ sightings, KAEX 2026-03-02, KHRL 2026-03-02, MGGT \(GT\) 2026-03-02$/,
  );

  const twice = await cli('accept', 'cand-a4f2c1', '--reviewer', 'ana');
  expect(twice.code).toBe(1);
  expect(twice.stderr).toBe('flightwatch candidates: cand-a4f2c1 is already accepted (watch entry candidate-a4f2c1)\n');

  const rejected = await cli('reject', 'a5e3d2', '--reviewer', 'ben', '--note', 'sports team charter');
  expect(rejected.stdout).toBe('cand-a5e3d2: rejected by ben\n');
  expect((await cli('list')).stdout).toBe('no proposed candidates\n');
  expect((await cli('list', '--state', 'rejected')).stdout).toContain('cand-a5e3d2');

  const missing = await cli('show', 'ffffff');
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe('flightwatch candidates: no candidate "ffffff" (see `flightwatch candidates list`)\n');
}, 120_000);

it('with watchlistOverlay, accept writes the overlay and leaves the (read-only mounted) config alone', async () => {
  mkdirSync(join(dir, 'overlay'));
  const withOverlay = join(dir, 'with-overlay.yaml');
  const configText = `${shipped}\nwatchlistOverlay: overlay/accepted.yaml\ndata:\n  dir: ${JSON.stringify(join(dir, 'data'))}\n`;
  writeFileSync(withOverlay, configText);
  const overlayFile = join(dir, 'overlay', 'accepted.yaml');

  const accepted = await runCli(['candidates', 'accept', 'a5e3d2', '--reviewer', 'ana', '--config', withOverlay]);
  expect(accepted.stderr).toBe('');
  expect(accepted.stdout).toContain(`watch entry candidate-a5e3d2 added to ${overlayFile}`);
  expect(readFileSync(withOverlay, 'utf8')).toBe(configText);
  const overlay = readFileSync(overlayFile, 'utf8');
  expect(overlay).toMatch(/^# Watch entries added by `flightwatch candidates accept`[^]*\nwatch:\n {2}# accepted/);
  const entry = loadConfig(withOverlay).watch.find((w) => w.id === 'candidate-a5e3d2');
  expect(entry).toMatchObject({ match: { hex: ['a5e3d2'] }, tags: ['candidate'] });

  // check-config reads the overlay too, and names an entry without provenance (a warning: it still loads)
  writeFileSync(overlayFile, overlay.replace(/\n {4}source: .*/, ''));
  const check = await runCli(['check-config', '--config', withOverlay]);
  expect(check.code).toBe(0);
  expect(check.stderr).toContain(
    `warning: watch[0] (${overlayFile} line 5): entry "candidate-a5e3d2" has no \`source\`: say where the fact comes from`,
  );
  expect(check.stdout).toContain(': ok: 20 watch entries');
}, 120_000);
