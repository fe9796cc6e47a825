/**
 * `flightwatch report` as a process and the console's Report page, over the hand-made flight record with one
 * reviewer correction and one rejection: every format carries the same counts as buildReport, the page links
 * each count to its legs and offers the downloads, and bad input is named.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { reviewLeg } from '../../../src/archive/review/store';
import { classifyStaleLegs } from '../../../src/archive/classify/store';
import { buildReport, type Report } from '../../../src/archive/report/report';
import { monthPeriod } from '../../../src/archive/report/period';
import { classifySchema } from '../../../src/config/classify-schema';
import { reportDownload, reportPage } from '../../../src/web/pages/report';
import type { PageContext } from '../../../src/web/page';
import type { ConsoleDeps } from '../../../src/web/deps';
import { loadAirportNamer } from '../../../src/reports';
import { readCsv } from '../../../src/util/csv';
import { runCli } from '../../helpers/cli';
import { legId, writeFixture } from '../archive/record-fixture';

let tmp: string;
let env: NodeJS.ProcessEnv;
let file: string;
let expected: Report;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'fw-report-'));
  const config = join(tmp, 'flightwatch.yaml');
  const dataDir = join(tmp, 'data');
  writeFileSync(
    config,
    [
      'sources:',
      '  - { id: rx, kind: receiver, url: "http://127.0.0.1:9/data/aircraft.json" }',
      'watch:',
      '  - id: ice-air',
      '    match: { callsignPrefixes: [GXA] }',
      'data:',
      `  dir: ${JSON.stringify(dataDir)}`,
      '',
    ].join('\n'),
  );
  env = { FLIGHTWATCH_CONFIG: config, DATABASE_URL: '' };
  file = join(dataDir, 'archive.sqlite');
  const archive = await openArchive({ file });
  await writeFixture(archive.db);
  const db = recordDb(archive.db);
  await reviewLeg(
    db,
    { legId: legId('trip-3', 0), reviewer: 'ana' },
    { action: 'correct', category: 'removal', note: 'seen' },
  );
  await reviewLeg(db, { legId: legId('trip-2', 0), reviewer: 'ben' }, { action: 'reject', note: 'not ICE' });
  await classifyStaleLegs(db, classifySchema.parse(undefined));
  expected = await buildReport(db, monthPeriod('2026-11'));
  await archive.close();
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const removals = () => expected.categories.find((c) => c.key === 'removal')!;

it('prints the month in Markdown, JSON and CSV with the archive numbers; writes --out', async () => {
  expect(removals().legs).toBe(2);
  const md = await runCli(['report', '--period', '2026-11'], { env });
  expect(md.code).toBe(0);
  expect(md.stdout).toContain('# Flight report 2026-11');
  expect(md.stdout).toContain(`| Removals (to a country of return) | ${removals().legs} | ${removals().confirmed} |`);
  expect(md.stdout).toContain(`Rejected by a reviewer (not counted): ${expected.rejected}.`);

  const json = await runCli(['report', '--period', '2026-11', '--format', 'json'], { env });
  const rep = JSON.parse(json.stdout) as Report & { schema: string };
  expect(rep.schema).toBe('flightwatch.report/v1');
  expect(rep.categories).toEqual(expected.categories);
  expect(rep.removalsByCountry).toEqual(expected.removalsByCountry);
  expect(rep.hubs).toEqual(expected.hubs);

  const out = join(tmp, 'r.csv');
  const csv = await runCli(['report', '--period', '2026-11', '--format', 'csv', '--out', out], { env });
  expect(csv.code).toBe(0);
  expect(csv.stdout).toBe('');
  const rows = [...readCsv(readFileSync(out, 'utf8'))].map((r) => r.fields);
  expect(rows.find((r) => r[1] === 'categories' && r[2] === 'removal')?.[4]).toBe(String(removals().legs));

  // export report shares the renderer.
  const exp = await runCli(['export', 'report', '--month', '2026-11', '--json'], { env });
  expect(JSON.parse(exp.stdout).categories).toEqual(expected.categories);
}, 90_000);

it('names a bad period or format', async () => {
  const p = await runCli(['report', '--period', '2026-13'], { env });
  expect(p.code).toBe(1);
  expect(p.stderr).toBe('flightwatch report: --period "2026-13" is not a month (YYYY-MM)\n');
  const f = await runCli(['report', '--period', '2026-W47', '--format', 'pdf'], { env });
  expect(f.stderr).toBe('flightwatch report: --format "pdf" is not one of md, csv, json, html\n');
}, 60_000);

describe('the Report page', () => {
  // The page reads airport names through the console's deps (the config's data dir); none here: the packaged table.
  const deps: ConsoleDeps = {
    watch: () => [],
    evidenceKey: () => {
      throw new Error('no evidence in these tests');
    },
    airports: () => loadAirportNamer(),
  };
  const ctx = async (query: string, hidden: string[] = []): Promise<PageContext & { close(): Promise<void> }> => {
    const archive = await openArchive({ file });
    return {
      db: recordDb(archive.db),
      query: new URLSearchParams(query),
      params: {},
      role: 'public',
      user: null,
      csrfToken: 'x',
      hiddenFields: new Set(hidden),
      now: new Date('2026-11-20T10:00:00Z'),
      close: () => archive.close(),
    };
  };

  it('renders the period with the picker, links every count to its legs and offers the downloads', async () => {
    const c = await ctx('period=2026-11');
    try {
      const page = await reportPage(deps)(c);
      expect(page.title).toBe('Report 2026-11');
      expect(page.body).toContain('<form method="get" action="/report"');
      expect(page.body).toContain(`<a style="color:#1f4e79" href="/legs?period=2026-11&amp;category=removal"`);
      expect(page.body).toContain(`>${removals().legs}</a>`);
      expect(page.body).toContain('href="/report/download?period=2026-11&amp;format=csv"');
      expect(page.body).toContain('<svg');
      const dl = await reportDownload({ ...c, query: new URLSearchParams('period=2026-11&format=json') }, deps);
      expect(dl).toMatchObject({ status: 200, filename: 'flightwatch-report-2026-11.json' });
      expect(JSON.parse(dl.body).categories).toEqual(expected.categories);
      const bad = await reportDownload({ ...c, query: new URLSearchParams('period=2026-11&format=exe') }, deps);
      expect(bad).toMatchObject({ status: 400, body: 'format must be one of md, csv, json\n' });
    } finally {
      await c.close();
    }
  });

  it('falls back to the current month on a bad period, saying so; hides carriers when operators are hidden', async () => {
    const c = await ctx('period=<b>x</b>', ['operator']);
    try {
      const page = await reportPage(deps)(c);
      expect(page.title).toBe('Report 2026-11');
      expect(page.body).toContain('period &quot;&lt;b&gt;x&lt;/b&gt;&quot; is not a month');
      expect(page.body).not.toContain('Carriers');
    } finally {
      await c.close();
    }
  });
});
