/**
 * identity_links (migration 007) on SQLite and PostgreSQL: the events of a simulated flight whose hex changes
 * mid-air, archived by the archiver's transaction, leave one row with the link's evidence; archiving them
 * again adds nothing, and the two hexes stay two airframes.
 */
import { openArchive, type Archive } from '../../../src/archive';
import { writeEvents } from '../../../src/archive/write-events';
import { createDetector } from '../../../src/detect';
import { MIN, airports, polls, run, simAirport, trace } from '../../unit/detect/harness';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';

let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

async function linkedFlight() {
  const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
  const cut = t.legs[0].topOfClimbAt + 10 * MIN;
  const ps = polls(t)
    .filter((p) => p.now < cut - 3 * MIN || p.now >= cut)
    .map((p) => (p.now < cut ? p : { ...p, batch: p.batch.map((a) => ({ ...a, hex: 'a9f00d' })) }));
  return run(createDetector({ airports, maxPositionAgeS: 60 }), ps);
}

describe.each(ENGINES)('identity_links on %s', (engine) => {
  let t: TestDatabase | undefined;
  let archive: Archive | undefined;
  afterEach(async () => {
    await archive?.close();
    await t?.drop();
    archive = t = undefined;
  });

  it('records the link once, with its evidence and the first event that carried it', async () => {
    if (engine === 'postgres' && !pgUp) return;
    t = await tempDatabase(engine);
    archive = await openArchive(t.target);
    const events = await linkedFlight();
    const linked = events.filter((e) => e.details?.linked);
    expect(linked.length).toBeGreaterThanOrEqual(2);

    await writeEvents(
      archive.db,
      events.map((event) => ({ event })),
    );
    await writeEvents(
      archive.db,
      events.map((event) => ({ event })),
    );
    const rows = await archive.db.selectFrom('identity_links').selectAll().execute();
    const link = linked[0].details!.linked!;
    expect(rows).toEqual([
      expect.objectContaining({
        hex: 'a9f00d',
        previous_hex: 'a1b2c3',
        reason: 'same-registration',
        matched: 'N123XX',
        gap_seconds: link.gapSeconds,
        distance_nm: link.distanceNm,
        linked_at: link.at,
        event_id: linked[0].id,
      }),
    ]);
    const hexes = await archive.db.selectFrom('aircraft').select('hex').orderBy('hex').execute();
    expect(hexes.map((h) => h.hex)).toEqual(['a1b2c3', 'a9f00d']);
  });
});
