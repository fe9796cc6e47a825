/**
 * The console's Candidates page over a real SQLite archive: each candidate with its reasons and sightings,
 * the state filter, data escaped, and the fields public mode hides shown as hidden.
 */
import { openArchive, type Archive } from '../../../src/archive';
import { recordDb, type RecordDatabase } from '../../../src/archive/record-schema';
import { buildFinder } from '../../../src/runtime/discovery-setup';
import { discoveryDb, getCandidate, markRejected, saveSightings, writeCandidate } from '../../../src/discovery';
import { candidatesPage } from '../../../src/web/pages/candidates';
import type { PageContext } from '../../../src/web/page';
import { tempSqlite, type TestDatabase } from '../../helpers/archive-db';
import { DAY, T0, airframe, airports, fly, testConfig } from './support';
import type { Kysely } from 'kysely';

let t: TestDatabase;
let archive: Archive;
let db: Kysely<RecordDatabase>;

beforeAll(async () => {
  t = tempSqlite();
  archive = await openArchive(t.target);
  db = recordDb(archive.db);
  const finder = buildFinder(testConfig(), airports, db);
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
  await fly(finder, fleet, T0, T0 + DAY);
  const d = discoveryDb(db);
  await markRejected(d, await getCandidate(d, 'a5e3d2'), { by: 'ana', note: 'team charter <b>' });
  // Hostile text from a source reply must arrive as text.
  const c = await getCandidate(d, 'a4f2c1');
  await writeCandidate(d, { ...c, type: '<script>alert(1)</script>' }, false);
  await saveSightings(d, [
    {
      hex: 'a4f2c1',
      at: T0 + 3_600_000,
      source: 'adsb<fi>',
      place: 'KAEX',
      country: 'US',
      hub: true,
      onGround: true,
      altFt: null,
      lat: 31.3,
      lon: -92.5,
      callsign: '"><img src=x onerror=alert(1)>',
      registration: null,
      type: 'B738',
      operator: null,
    },
  ]);
});
afterAll(async () => {
  await archive.close();
  await t.drop();
});

const ctx = (o: Partial<PageContext> = {}): PageContext => ({
  db,
  query: new URLSearchParams(),
  params: {},
  role: 'viewer',
  user: 'ana',
  csrfToken: 'x',
  hiddenFields: new Set(),
  now: new Date(T0 + DAY),
  ...o,
});

it('shows proposed candidates with reasons and sightings, data escaped', async () => {
  const page = await candidatesPage(ctx());
  expect(page.title).toBe('Candidates');
  expect(page.body).toContain('cand-a4f2c1');
  expect(page.body).not.toContain('cand-a5e3d2');
  expect(page.body).toContain('<li>flew from a hub to a country of return: MGGT (GT) 2026-03-02</li>');
  expect(page.body).toMatch(/<summary>\s*\d+ sightings\s*<\/summary>/);
  expect(page.body).not.toMatch(/<script>|<img/);
  expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(page.body).toContain('adsb&lt;fi&gt;');
});

it('filters by state and shows the decision', async () => {
  const page = await candidatesPage(ctx({ query: new URLSearchParams('state=rejected') }));
  expect(page.body).toContain('cand-a5e3d2');
  expect(page.body).not.toContain('cand-a4f2c1');
  expect(page.body).toMatch(/Rejected by\s+ana,\s+2026-\d\d-\d\d \d\d:\d\dZ: team charter &lt;b&gt;/);
  expect((await candidatesPage(ctx({ query: new URLSearchParams('state=accepted') }))).body).toContain(
    'No accepted candidates.',
  );
  // an unknown state falls back to proposed
  expect((await candidatesPage(ctx({ query: new URLSearchParams('state=<x>') }))).body).toContain('cand-a4f2c1');
});

it('hides the identifying fields public mode hides', async () => {
  const page = await candidatesPage(
    ctx({ role: 'public', user: null, hiddenFields: new Set(['registration', 'hex', 'callsign']) }),
  );
  expect(page.body).not.toContain('NA4FX');
  expect(page.body).not.toContain('SWQ');
  expect(page.body).toContain('<span class="hidden-field">hidden</span>');
  expect(page.body).not.toMatch(/<dd class="mono">a4f2c1/);
});
