/**
 * `flightwatch evidence export|verify|key` as a process against an archive written through the real write
 * path (SQLite), and the same bundle loaded from PostgreSQL: contents from the archive, a signature that
 * verifies, and verify naming exactly what was changed.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { classifyStaleLegs } from '../../../src/archive/classify/store';
import { loadEvidence } from '../../../src/archive/evidence/load';
import { classifySchema } from '../../../src/config/classify-schema';
import { runCli } from '../../helpers/cli';
import { postgresAvailable, tempDatabase } from '../../helpers/archive-db';
import { HEX, legId, writeFixture } from './record-fixture';

const CONFIG = (dataDir: string) =>
  [
    'sources:',
    '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/data/aircraft.json" }',
    'watch:',
    '  - id: ice-air',
    '    match: { callsignPrefixes: [GXA] }',
    '    note: GlobalX ICE Air charters',
    '    source: https://en.wikipedia.org/wiki/Global_Crossing_Airlines',
    '    added: "2026-01-05"',
    'data:',
    `  dir: ${JSON.stringify(dataDir)}`,
    '',
  ].join('\n');

describe('evidence commands (SQLite archive in the data dir)', () => {
  let tmp: string;
  let config: string;
  const env = () => ({ FLIGHTWATCH_CONFIG: config, DATABASE_URL: '', FLIGHTWATCH_EVIDENCE_KEY: '' });
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fw-evidence-cli-'));
    config = join(tmp, 'flightwatch.yaml');
    writeFileSync(config, CONFIG(join(tmp, 'data')));
    const archive = await openArchive({ file: join(tmp, 'data', 'archive.sqlite') });
    await writeFixture(archive.db);
    await archive.close();
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exports a trip, prints the key that signed it, and the bundle verifies with that key', async () => {
    const out = join(tmp, 'trip-1');
    const r = await runCli(['evidence', 'export', 'trip-1', '--out', out], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /wrote 12 files to .*trip trip-1, 3 leg\(s\), 7 event\(s\), 121 source replies; signed by key [0-9a-f]{16}/,
    );
    const key = await runCli(['evidence', 'key'], { env: env() });
    expect(key.code).toBe(0);
    const keyId = /key id ([0-9a-f]{16})/.exec(key.stdout)?.[1];
    expect(r.stdout).toContain(keyId);
    const pem = join(tmp, 'pub.pem');
    writeFileSync(pem, key.stdout.slice(0, key.stdout.indexOf('key id')));
    const v = await runCli(['evidence', 'verify', out, '--key', pem], { env: env() });
    expect(v.stdout).toMatch(/^OK: .*10 files match the manifest; signature valid/);
    expect(v.code).toBe(0);

    const record = JSON.parse(readFileSync(join(out, 'record.json'), 'utf8'));
    expect(record.legs.map((l: { classification: { category: string } }) => l.classification.category)).toEqual([
      'connection',
      'removal',
      'return',
    ]);
    expect(record.legs[1].positions).toBe(121);
    const watch = JSON.parse(readFileSync(join(out, 'watch.json'), 'utf8'));
    expect(watch.entries[0]).toMatchObject({
      id: 'ice-air',
      source: 'https://en.wikipedia.org/wiki/Global_Crossing_Airlines',
    });
    const links = JSON.parse(readFileSync(join(out, 'links.json'), 'utf8'));
    expect(links[1].permalinks[0].href).toBe(`https://globe.adsb.lol/?icao=${HEX}&showTrace=2026-11-10`);
  });

  it('verify exits 1 naming the altered and the added file', async () => {
    const out = join(tmp, 'leg.zip');
    expect((await runCli(['evidence', 'export', legId('trip-1', 1), '--out', out], { env: env() })).code).toBe(0);
    expect((await runCli(['evidence', 'verify', out], { env: env() })).code).toBe(0);
    const dir = join(tmp, 'leg-dir');
    expect((await runCli(['evidence', 'export', legId('trip-1', 1), '--out', dir], { env: env() })).code).toBe(0);
    appendFileSync(join(dir, 'track.geojson'), '\n');
    writeFileSync(join(dir, 'notes.txt'), 'added later');
    const v = await runCli(['evidence', 'verify', dir], { env: env() });
    expect(v.code).toBe(1);
    expect(v.stdout).toBe(
      'FAIL: track.geojson was altered (SHA-256 differs from the manifest)\nFAIL: notes.txt was added (not in the manifest)\n',
    );
  });

  it('an unknown id or a missing archive is one clear line and exit 1', async () => {
    const r = await runCli(['evidence', 'export', 'nope', '--out', join(tmp, 'x')], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('flightwatch evidence: no leg, trip or event with id "nope" in the archive\n');
    const other = join(tmp, 'other.yaml');
    writeFileSync(other, CONFIG(join(tmp, 'empty')));
    const m = await runCli(['evidence', 'export', 'trip-1', '--out', join(tmp, 'y')], {
      env: { ...env(), FLIGHTWATCH_CONFIG: other },
    });
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/^flightwatch evidence: no archive at .*empty\/archive\.sqlite/);
  });
});

describe('evidence from PostgreSQL', () => {
  it('loads the same record from a PostgreSQL archive', async () => {
    if (!(await postgresAvailable())) return;
    const t = await tempDatabase('postgres');
    const archive = await openArchive(t.target);
    try {
      await writeFixture(archive.db);
      const db = recordDb(archive.db);
      await classifyStaleLegs(db, classifySchema.parse(undefined));
      const input = await loadEvidence(db, `trip-1-landing-1`, () => []);
      expect(input.subject).toEqual({ kind: 'event', id: 'trip-1-landing-1' });
      expect(input.legs).toHaveLength(1);
      expect(input.legs[0]).toMatchObject({ id: legId('trip-1', 1), classification: { category: 'removal' } });
      expect(input.legs[0].positions).toHaveLength(121);
      expect(input.rawReplies).toHaveLength(121);
      expect(input.rawReplies[0].body).toContain(HEX);
    } finally {
      await archive.close();
      await t.drop();
    }
  });
});
