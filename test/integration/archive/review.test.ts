/**
 * Classification stored per leg, review with its audit trail, and the monthly report, on both real engines
 * (SQLite temp file; a database of its own on PostgreSQL, dropped after).
 */
import { openArchive, type Archive } from '../../../src/archive';
import { classifyStaleLegs } from '../../../src/archive/classify/store';
import { recordDb, type RecordDatabase } from '../../../src/archive/record-schema';
import { listUnreviewed, reviewHistory, reviewLeg, ReviewError } from '../../../src/archive/review/store';
import { buildReport } from '../../../src/archive/report/report';
import { monthPeriod } from '../../../src/archive/report/period';
import { classifySchema } from '../../../src/config/classify-schema';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';
import { legId, writeFixture } from './record-fixture';
import type { Kysely } from 'kysely';

const rules = classifySchema.parse(undefined);
let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

describe.each(ENGINES)('the flight record on %s', (engine) => {
  let t: TestDatabase | undefined;
  let archive: Archive | undefined;
  let db: Kysely<RecordDatabase>;
  beforeEach(async () => {
    if (engine === 'postgres' && !pgUp) return;
    t = await tempDatabase(engine);
    archive = await openArchive(t.target);
    db = recordDb(archive.db);
    await writeFixture(archive.db);
  });
  afterEach(async () => {
    await archive?.close();
    await t?.drop();
    archive = undefined;
    t = undefined;
  });
  const skip = () => engine === 'postgres' && !pgUp;

  it('classifies every leg with its trip, once, and again only when the rules change', async () => {
    if (skip()) return;
    expect(await classifyStaleLegs(db, rules)).toBe(5);
    expect(await classifyStaleLegs(db, rules)).toBe(0);
    const rows = await db.selectFrom('leg_classes').selectAll().orderBy('leg_id').execute();
    const by = new Map(rows.map((r) => [r.leg_id, r]));
    expect(by.get(legId('trip-1', 0))).toMatchObject({ category: 'connection', confidence: 'confirmed' });
    expect(by.get(legId('trip-1', 1))).toMatchObject({ category: 'removal', destination_country: 'GT' });
    expect(by.get(legId('trip-1', 2))).toMatchObject({ category: 'return' });
    expect(by.get(legId('trip-2', 0))).toMatchObject({ category: 'lateral', border_city: 'San Diego' });
    expect(by.get(legId('trip-3', 0))).toMatchObject({ category: 'shuffle', confidence: 'estimated' });
    expect(JSON.parse(by.get(legId('trip-3', 0))!.reasons)).toContain('landing inferred, not observed');
    // New rules (San Diego no longer a border city): every leg is restale, the lateral one becomes other.
    const changed = { ...rules, borderCities: rules.borderCities.filter((c) => c.name !== 'San Diego') };
    expect(await classifyStaleLegs(db, changed)).toBe(5);
    const lateral = await db
      .selectFrom('leg_classes')
      .selectAll()
      .where('leg_id', '=', legId('trip-2', 0))
      .executeTakeFirst();
    expect(lateral?.category).toBe('other');
  });

  it('keeps every review change with who, when, before and after; counts use the reviewed values', async () => {
    if (skip()) return;
    await classifyStaleLegs(db, rules);
    const removal = legId('trip-1', 1);
    const lateral = legId('trip-2', 0);
    const shuffle = legId('trip-3', 0);
    const at = new Date('2026-12-01T09:00:00Z');
    await reviewLeg(db, { legId: removal, reviewer: 'ana', at }, { action: 'confirm' });
    await reviewLeg(db, { legId: lateral, reviewer: 'ben', at }, { action: 'reject', note: 'training flight' });
    const r = await reviewLeg(
      db,
      { legId: shuffle, reviewer: 'ana', at: new Date('2026-12-01T10:00:00Z') },
      { action: 'correct', category: 'removal', note: 'continued to Guatemala per observer' },
    );
    expect(r.before).toEqual({ state: 'unreviewed', category: null, note: null });
    expect(r.after).toEqual({ state: 'corrected', category: 'removal', note: 'continued to Guatemala per observer' });
    await reviewLeg(
      db,
      { legId: lateral, reviewer: 'carla', at: new Date('2026-12-02T08:00:00Z') },
      { action: 'confirm', note: 'second look: counts' },
    );
    const history = await reviewHistory(db, lateral);
    expect(history.map((h) => [h.reviewer, JSON.parse(h.before).state, JSON.parse(h.after).state, h.note])).toEqual([
      ['ben', 'unreviewed', 'rejected', 'training flight'],
      ['carla', 'rejected', 'confirmed', 'second look: counts'],
    ]);
    await reviewLeg(db, { legId: lateral, reviewer: 'ben', at }, { action: 'reject', note: 'final: training' });

    const unreviewed = await listUnreviewed(db);
    expect(unreviewed.map((u) => u.id).sort()).toEqual([legId('trip-1', 0), legId('trip-1', 2)].sort());

    const report = await buildReport(db, monthPeriod('2026-11'));
    const count = (k: string) => report.categories.find((c) => c.key === k)?.legs ?? 0;
    expect(count('removal')).toBe(2); // the classified one + the corrected shuffle
    expect(count('lateral')).toBe(0); // rejected
    expect(count('shuffle')).toBe(0);
    expect(count('connection')).toBe(1);
    expect(report.rejected).toBe(1);
    expect(report.unreviewed).toBe(2);
    expect(report.removalsByCountry.find((c) => c.key === 'GT')).toMatchObject({ legs: 1, confirmed: 1, reviewed: 1 });
    expect(report.carrierShares).toMatchObject([{ operator: 'GlobalX', removals: 2, share: 1 }]);
    expect(report.versusPriorSixWeeks.find((v) => v.category === 'removal')).toMatchObject({ priorPerWeek: 0 });
  });

  it('refuses a review without a reviewer, note, known leg or valid category, naming what is wrong', async () => {
    if (skip()) return;
    const id = legId('trip-1', 1);
    await expect(reviewLeg(db, { legId: id, reviewer: ' ' }, { action: 'confirm' })).rejects.toThrow(
      /reviewer is required/,
    );
    await expect(reviewLeg(db, { legId: id, reviewer: 'a' }, { action: 'reject', note: '' })).rejects.toThrow(
      /needs a note/,
    );
    await expect(
      reviewLeg(db, { legId: id, reviewer: 'a' }, { action: 'correct', category: 'deportation', note: 'x' }),
    ).rejects.toThrow(/"deportation" is not a category; use one of: removal, lateral/);
    await expect(reviewLeg(db, { legId: 'leg:nope', reviewer: 'a' }, { action: 'confirm' })).rejects.toThrow(
      ReviewError,
    );
    expect(await db.selectFrom('leg_review_log').selectAll().execute()).toEqual([]);
  });

  it('a month report counts legs in the month of departure and compares with the six weeks before', async () => {
    if (skip()) return;
    await classifyStaleLegs(db, rules);
    const dec = await buildReport(db, monthPeriod('2026-12'));
    expect(dec.categories).toEqual([]);
    expect(dec.versusPriorSixWeeks.find((v) => v.category === 'removal')?.priorPerWeek).toBeCloseTo(1 / 6, 2);
  });
});
