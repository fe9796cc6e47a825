/**
 * `flightwatch export legs` and `export report` as a process, against SQLite (the data dir's file) and
 * PostgreSQL (DATABASE_URL to a database of its own): the same legs, columns and reviewed values in CSV,
 * JSON and GeoJSON; bad arguments named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { reviewLeg } from '../../../src/archive/review/store';
import { EXPORT_COLUMNS } from '../../../src/archive/export/columns';
import { readCsv } from '../../../src/util/csv';
import { runCli } from '../../helpers/cli';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';
import { HEX, legId, writeFixture } from './record-fixture';

const CONFIG = (dataDir: string) =>
  [
    'sources:',
    '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/data/aircraft.json" }',
    'watch:',
    '  - id: ice-air',
    '    match: { callsignPrefixes: [GXA] }',
    'data:',
    `  dir: ${JSON.stringify(dataDir)}`,
    '',
  ].join('\n');

let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

describe.each(ENGINES)('export on %s', (engine) => {
  let tmp: string;
  let t: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    if (engine === 'postgres' && !pgUp) return;
    tmp = mkdtempSync(join(tmpdir(), 'fw-export-'));
    const config = join(tmp, 'flightwatch.yaml');
    writeFileSync(config, CONFIG(join(tmp, 'data')));
    t = engine === 'postgres' ? await tempDatabase('postgres') : undefined;
    env = { FLIGHTWATCH_CONFIG: config, DATABASE_URL: t?.target.databaseUrl ?? '' };
    const archive = await openArchive(t?.target ?? { file: join(tmp, 'data', 'archive.sqlite') });
    await writeFixture(archive.db);
    // A review before any classification ran: the export classifies first and applies the correction.
    await reviewLeg(
      recordDb(archive.db),
      { legId: legId('trip-3', 0), reviewer: 'ana' },
      { action: 'correct', category: 'removal', note: 'per observer' },
    );
    await reviewLeg(
      recordDb(archive.db),
      { legId: legId('trip-2', 0), reviewer: 'ben' },
      { action: 'reject', note: 'not ICE' },
    );
    await archive.close();
  });
  afterAll(async () => {
    await t?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  const skip = () => engine === 'postgres' && !pgUp;

  it('CSV: the documented columns, one row per leg in time order, reviewed values applied', async () => {
    if (skip()) return;
    const r = await runCli(['export', 'legs', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv'], {
      env,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [head, ...rows] = [...readCsv(r.stdout)].map((x) => x.fields);
    expect(head).toEqual([...EXPORT_COLUMNS]);
    const col = (row: string[], name: string) => row[EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number])];
    expect(
      rows.map((x) => [col(x, 'departure_icao'), col(x, 'arrival_icao'), col(x, 'category'), col(x, 'counted')]),
    ).toEqual([
      ['KAEX', 'KHRL', 'connection', 'true'],
      ['KHRL', 'MGGT', 'removal', 'true'],
      ['MGGT', 'KHRL', 'return', 'true'],
      ['KAEX', 'KSAN', 'lateral', 'false'],
      ['KIWA', 'KAEX', 'removal', 'true'],
    ]);
    const corrected = rows[4];
    expect(col(corrected, 'classified_category')).toBe('shuffle');
    expect(col(corrected, 'review_state')).toBe('corrected');
    expect(col(corrected, 'reviewer')).toBe('ana');
    expect(col(corrected, 'confidence')).toBe('estimated');
    expect(col(corrected, 'count_method')).toBe('estimated: inferred from ADS-B; corrected by a reviewer');
    expect(col(rows[1], 'permalink')).toBe(`https://globe.adsbexchange.com/?icao=${HEX}&showTrace=2026-11-10`);
    expect(col(rows[1], 'evidence_id')).toBe(legId('trip-1', 1));
    expect(col(rows[1], 'arrival_lat')).toBe('14.5833');
  });

  it('JSON and GeoJSON carry the same legs; GeoJSON draws each between its airports', async () => {
    if (skip()) return;
    const args = ['export', 'legs', '--from', '2026-11-10', '--to', '2026-11-11'];
    const j = await runCli([...args, '--format', 'json'], { env });
    expect(j.code).toBe(0);
    const legs = JSON.parse(j.stdout) as { leg_id: string; reasons: string[] }[];
    expect(legs.map((l) => l.leg_id)).toEqual([0, 1, 2].map((k) => legId('trip-1', k)));
    expect(legs[1].reasons[0]).toMatch(/a country of return/);
    const g = await runCli([...args, '--format', 'geojson'], { env });
    const fc = JSON.parse(g.stdout);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features[1].geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [-97.6544, 26.2285],
        [-90.5275, 14.5833],
      ],
    });
    expect(fc.features[1].properties.leg_id).toBe(legId('trip-1', 1));
  });

  it('the monthly report prints counts with the reviewed values', async () => {
    if (skip()) return;
    const r = await runCli(['export', 'report', '--month', '2026-11', '--json'], { env });
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.categories.find((c: { key: string }) => c.key === 'removal').legs).toBe(2);
    expect(rep.rejected).toBe(1);
  });

  it('names a bad argument', async () => {
    if (skip()) return;
    const f = await runCli(['export', 'legs', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'xlsx'], {
      env,
    });
    expect(f.code).toBe(1);
    expect(f.stderr).toBe('flightwatch export: --format "xlsx" is not one of csv, json, geojson\n');
    const d = await runCli(['export', 'legs', '--from', 'last week', '--to', '2026-11-30'], { env });
    expect(d.stderr).toBe('flightwatch export: --from "last week" is not a date (YYYY-MM-DD) or ISO-8601 time\n');
    const m = await runCli(['export', 'report', '--month', '2026-13'], { env });
    expect(m.stderr).toBe('flightwatch export: --month "2026-13" is not a month (YYYY-MM)\n');
  });
});
