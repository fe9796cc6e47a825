/**
 * readFleetLegs (src/archive/fleet-legs.ts) on both engines: the legs that arrived within the window, with the
 * operator from the callsign (else the aircraft table), newest first; open legs and older ones left out.
 */
import { openArchive, type Archive } from '../../../src/archive';
import { readFleetLegs } from '../../../src/archive/fleet-legs';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);
const iso = (t: number) => new Date(t).toISOString();

let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

describe.each(ENGINES)('readFleetLegs on %s', (engine) => {
  let t: TestDatabase | undefined;
  let a: Archive | undefined;
  afterEach(async () => {
    await a?.close();
    await t?.drop();
    a = undefined;
    t = undefined;
  });

  it('returns the window of arrived legs with their operator', async () => {
    if (engine === 'postgres' && !pgUp) return;
    t = await tempDatabase(engine);
    a = await openArchive(t.target);
    await a.db
      .insertInto('aircraft')
      .values({ hex: 'a1b2c3', operator: 'GlobalX', watch_ids: '[]', first_seen: iso(NOW), last_seen: iso(NOW) })
      .execute();
    const leg = (
      id: string,
      hex: string,
      callsign: string | null,
      dep: string | null,
      arr: string | null,
      at?: number,
    ) => ({
      id,
      hex,
      callsign,
      departure_icao: dep,
      arrival_icao: arr,
      departed_at: at === undefined ? iso(NOW - DAY) : iso(at - 3 * 3600_000),
      arrived_at: at === undefined ? null : iso(at),
      watch_ids: '[]',
      departure_inferred: 0 as const,
      arrival_inferred: 0 as const,
      departure_estimated: 0 as const,
      arrival_estimated: 0 as const,
      updated_at: iso(NOW),
    });
    await a.db
      .insertInto('legs')
      .values([
        leg('leg:1', 'a1b2c3', 'GXA6123', 'KAEX', 'MGGT', NOW - 2 * DAY),
        leg('leg:2', 'a1b2c3', null, 'KIWA', 'MHLM', NOW - DAY), // operator from the aircraft table
        leg('leg:3', 'ffffff', null, null, 'MSLP', NOW - 3 * DAY), // unknown departure, no operator
        leg('leg:4', 'a1b2c3', 'GXA6123', 'KAEX', 'SKBO', NOW - 100 * DAY), // outside 90 days
        leg('leg:5', 'a1b2c3', 'GXA6124', 'KAEX', null), // still in the air
      ])
      .execute();
    const r = await readFleetLegs(a.db, { days: 90, now: NOW });
    expect(r.loadedAt).toBe(NOW);
    expect(r.legs).toEqual([
      ['GLOBALX', 'KIWA', 'MHLM', NOW - DAY],
      ['GXA', 'KAEX', 'MGGT', NOW - 2 * DAY],
      ['', '', 'MSLP', NOW - 3 * DAY],
    ]);
    expect((await readFleetLegs(a.db, { days: 90, now: NOW, limit: 1 })).legs).toHaveLength(1);
  });
});
