/**
 * The worker keeps leg classes fresh in the database itself (no CLI read needed), on both real engines: a leg
 * archived alone is classified, and when later legs of its trip arrive it is reclassified (a domestic hop
 * becomes the connection of a removal).
 */
import type { Kysely } from 'kysely';
import { openArchive, type Archive } from '../../../src/archive';
import { startClassifyRefresh, type ClassifyRefresh } from '../../../src/archive/classify/refresh';
import { recordDb, type RecordDatabase } from '../../../src/archive/record-schema';
import { writeEvents } from '../../../src/archive/write-events';
import { classifySchema } from '../../../src/config/classify-schema';
import { silentLogger } from '../../../src/util/log';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';
import { until } from '../../helpers/wait';
import { fixtureEvents, legId } from './record-fixture';

const rules = classifySchema.parse(undefined);
let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

describe.each(ENGINES)('leg classes kept fresh by the worker on %s', (engine) => {
  let t: TestDatabase | undefined;
  let archive: Archive | undefined;
  let refresh: ClassifyRefresh | undefined;
  afterEach(async () => {
    await refresh?.stop();
    await archive?.close();
    await t?.drop();
    refresh = archive = t = undefined;
  });

  it('classifies what the archiver wrote, and reclassifies a leg when its trip grows', async () => {
    if (engine === 'postgres' && !pgUp) {
      console.warn('PostgreSQL not reachable at 127.0.0.1:5432: skipped');
      return;
    }
    t = await tempDatabase(engine);
    archive = await openArchive(t.target);
    const db: Kysely<RecordDatabase> = recordDb(archive.db);
    const events = fixtureEvents();
    let written = 0;
    const write = async (n: number, from: number) => {
      await writeEvents(
        archive!.db,
        events.slice(from, from + n).map((event) => ({ event })),
      );
      written += n;
    };
    const classOf = async (id: string) =>
      (await db.selectFrom('leg_classes').select('category').where('leg_id', '=', id).executeTakeFirst())?.category;

    // The first hop of trip-1 (KAEX → KHRL, two detention hubs) archived alone.
    await write(2, 0);
    refresh = startClassifyRefresh({ db, rules, written: () => written, log: silentLogger, intervalMs: 20 });
    await until('the first leg classified', async () => (await classOf(legId('trip-1', 0))) === 'shuffle');

    // The rest arrives: the hop now feeds the removal to GT, and nobody ran a CLI command.
    await write(events.length - 2, 2);
    await until('the first leg reclassified', async () => (await classOf(legId('trip-1', 0))) === 'connection');
    expect(await classOf(legId('trip-1', 1))).toBe('removal');
    const legs = await db.selectFrom('legs').select('id').execute();
    const classes = await db.selectFrom('leg_classes').select('leg_id').execute();
    expect(classes.map((c) => c.leg_id).sort()).toEqual(legs.map((l) => l.id).sort());
  });
});
