/**
 * The report from the day counts (migration 009, kept by triggers on leg_classes) equals the report counted
 * from leg_classes alone, on a generated quarter of history with reviews (rejections, corrections,
 * confirmations) and a change of the classification rules applied after the first classification: every
 * insert and update of leg_classes must have reached the day counts.
 */
import { sql, type Kysely } from 'kysely';
import { openArchive, type Archive } from '../../../src/archive';
import { writeEvents } from '../../../src/archive/write-events';
import { classifyStaleLegs } from '../../../src/archive/classify/store';
import { recordDb, type RecordDatabase } from '../../../src/archive/record-schema';
import { reviewLeg } from '../../../src/archive/review/store';
import { buildReport } from '../../../src/archive/report/report';
import { monthPeriod, weekPeriod } from '../../../src/archive/report/period';
import { classifySchema } from '../../../src/config/classify-schema';
import { generateHistory } from '../../../scripts/bench/flight-history';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';

let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

describe.each(ENGINES)('report day counts on %s', (engine) => {
  let t: TestDatabase | undefined;
  let archive: Archive | undefined;
  afterAll(async () => {
    await archive?.close();
    await t?.drop();
  });

  it('give the same report as counting the legs, after reviews and a rules change', async () => {
    if (engine === 'postgres' && !pgUp) return console.warn('PostgreSQL unreachable: skipped');
    t = await tempDatabase(engine);
    archive = await openArchive(t.target);
    const db: Kysely<RecordDatabase> = recordDb(archive.db);
    const events = [...generateHistory({ airframes: 8, days: 100, start: Date.UTC(2026, 7, 1), seed: 9 })];
    for (let i = 0; i < events.length; i += 2000)
      await writeEvents(
        archive.db,
        events.slice(i, i + 2000).map((event) => ({ event })),
      );
    const rules = classifySchema.parse(undefined);
    await classifyStaleLegs(db, rules);

    const legs = await db.selectFrom('leg_classes').select(['leg_id', 'category']).orderBy('leg_id').execute();
    expect(legs.length).toBeGreaterThan(300);
    const reviewer = 'tester';
    for (const [i, leg] of legs.entries()) {
      if (i % 7 === 0) await reviewLeg(db, { legId: leg.leg_id, reviewer }, { action: 'reject', note: 'not ours' });
      else if (i % 11 === 0)
        await reviewLeg(
          db,
          { legId: leg.leg_id, reviewer },
          { action: 'correct', category: leg.category === 'removal' ? 'return' : 'removal', note: 'seen' },
        );
      else if (i % 13 === 0) await reviewLeg(db, { legId: leg.leg_id, reviewer }, { action: 'confirm' });
    }
    // Other rules (one hub fewer): every leg is classified again, in place.
    await classifyStaleLegs(db, { ...rules, hubs: rules.hubs.filter((h) => h !== 'KIWA') });
    // A hand edit reaches the day counts too.
    await sql`update leg_classes set destination_country = null where leg_id = ${legs[1]?.leg_id ?? ''}`.execute(db);

    const byHand = await sql<{ n: number | string }>`select count(*) as n from leg_classes`.execute(db);
    const counted = await sql<{ n: number | string }>`select sum(n) as n from leg_class_days`.execute(db);
    expect(Number(counted.rows[0]?.n)).toBe(Number(byHand.rows[0]?.n));

    for (const period of [monthPeriod('2026-10'), monthPeriod('2026-11'), weekPeriod('2026-W45')]) {
      const fast = await buildReport(db, period);
      const slow = await buildReport(db, period, { source: 'legs' });
      expect(fast).toEqual(slow);
      expect(fast.rejected).toBeGreaterThan(0);
      expect(fast.removalsByCountry.length).toBeGreaterThan(0);
      expect(fast.removalsPerWeek.some((w) => w.legs > 0)).toBe(true);
    }
  }, 300_000);
});
