/**
 * The candidate finder end to end on both archive engines: polled states of an unlisted charter, a listed
 * airframe and a scheduled 737 go through the worker's own sampler and scoring into the archive; only the
 * charter is proposed, once, with its evidence; after a rejection it comes back only when it does more.
 */
import type { Kysely } from 'kysely';
import { openArchive, type Archive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { buildFinder } from '../../../src/runtime/discovery-setup';
import {
  discoveryDb,
  getCandidate,
  listCandidates,
  markRejected,
  sightingsOf,
  type DiscoveryDatabase,
} from '../../../src/discovery';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';
import { DAY, T0, airframe, airports, fly, testConfig } from './support';

let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

const charter = airframe('a4f2c1', 'B738', [
  ['KAEX', 'KHRL', 2, null],
  ['KHRL', 'MGGT', 7, null],
  ['MGGT', 'KHRL', 11, null],
]);
const listed = airframe('c0ffee', 'A320', [
  ['KAEX', 'KHRL', 2, 'GXA6001'],
  ['KHRL', 'MGGT', 7, 'GXA6002'],
]);
const scheduled = airframe('a11111', 'B737', [
  ['KSAT', 'KELP', 1, 'SWA1201'],
  ['KELP', 'KSAT', 4, 'SWA1202'],
  ['KSAT', 'KHRL', 8, 'SWA1203'],
]);

describe.each(ENGINES)('candidates on %s', (engine) => {
  let t: TestDatabase | undefined;
  let archive: Archive | undefined;
  let db: Kysely<DiscoveryDatabase>;
  const skip = () => engine === 'postgres' && !pgUp;
  beforeEach(async () => {
    if (skip()) return;
    t = await tempDatabase(engine);
    archive = await openArchive(t.target);
    db = discoveryDb(recordDb(archive.db));
  });
  afterEach(async () => {
    await archive?.close();
    await t?.drop();
    archive = undefined;
    t = undefined;
  });

  it('proposes the unlisted charter once, with its sightings as evidence, and nothing else', async () => {
    if (skip()) return;
    const finder = buildFinder(testConfig(), airports, recordDb(archive!.db));
    const proposed = await fly(finder, [charter, listed, scheduled], T0, T0 + DAY);
    expect(proposed.map((c) => c.id)).toEqual(['cand-a4f2c1']);
    const c = await getCandidate(db, 'a4f2c1');
    expect(c).toMatchObject({ state: 'proposed', type: 'B738', registration: 'NA4FX', proposals: 1 });
    expect(JSON.parse(c.reasons)).toEqual([
      expect.stringMatching(/^at 2 hubs within 7 days \(KAEX 2026-03-02, KHRL 2026-03-02\)$/),
      'flew from a hub to a country of return: MGGT (GT) 2026-03-02',
      'charter-capable type B738',
    ]);
    const evidence = await sightingsOf(db, 'a4f2c1', 0);
    expect(new Set(evidence.map((s) => s.place))).toEqual(new Set(['KAEX', 'KHRL', 'MGGT']));
    expect(evidence.every((s) => s.source === 'sim' && s.at >= T0)).toBe(true);
    expect(await sightingsOf(db, 'c0ffee', 0)).toEqual([]);
    expect((await listCandidates(db, { state: 'all' })).map((r) => r.hex)).toEqual(['a4f2c1']);
  });

  it('keeps a rejected candidate down on the same rotation, and proposes it again at a new hub', async () => {
    if (skip()) return;
    const finder = buildFinder(testConfig(), airports, recordDb(archive!.db));
    await fly(finder, [charter], T0, T0 + DAY);
    await markRejected(db, await getCandidate(db, 'cand-a4f2c1'), { by: 'ana', note: 'air ambulance' });

    const again = airframe('a4f2c1', 'B738', [
      ['KAEX', 'KHRL', 26, null],
      ['KHRL', 'MGGT', 30, null],
    ]);
    expect(await fly(finder, [again], T0 + DAY, T0 + 2 * DAY)).toEqual([]);
    expect((await getCandidate(db, 'a4f2c1')).state).toBe('rejected');

    const newHub = airframe('a4f2c1', 'B738', [['KHRL', 'KELP', 50, null]]);
    const back = await fly(finder, [newHub], T0 + 2 * DAY, T0 + 3 * DAY);
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ state: 'proposed', proposals: 2, decided_by: 'ana' });
    expect(JSON.parse(back[0].reasons)).toContain('new since it was rejected: hub KELP');
  });
});
