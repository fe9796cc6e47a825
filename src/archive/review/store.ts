/**
 * Review of legs by a person (docs/record.md, "Review"): confirm, reject or correct a leg's category, with a
 * note, the reviewer and the time. Each change writes the new state and appends one audit row (before, after)
 * in the same transaction; the audit log is never updated. Counts use the reviewed values where they exist.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LEG_CATEGORIES } from '../../domain/leg-classification';
import { countedCategory } from '../classify/store';
import type { LegReviewLogRow, LegReviewRow, RecordDatabase, ReviewState } from '../record-schema';

export class ReviewError extends Error {
  override name = 'ReviewError';
}

export type ReviewAction =
  | { action: 'confirm'; note?: string }
  | { action: 'reject'; note: string }
  | { action: 'correct'; category: string; note: string };

export interface ReviewChange {
  legId: string;
  reviewer: string;
  /** Defaults to now. */
  at?: Date;
}

export interface ReviewSnapshot {
  state: ReviewState;
  category: string | null;
  note: string | null;
}

const snapshot = (r: LegReviewRow | undefined): ReviewSnapshot =>
  r ? { state: r.state, category: r.category, note: r.note } : { state: 'unreviewed', category: null, note: null };

function validate(change: ReviewChange, a: ReviewAction): void {
  if (!change.reviewer.trim()) throw new ReviewError('a reviewer is required (--reviewer NAME)');
  if (a.action !== 'confirm' && !a.note.trim()) throw new ReviewError(`${a.action} needs a note saying why (--note)`);
  if (a.action === 'correct' && !(LEG_CATEGORIES as readonly string[]).includes(a.category))
    throw new ReviewError(`"${a.category}" is not a category; use one of: ${LEG_CATEGORIES.join(', ')}`);
}

/** Applies one review action; returns the state before and after. Unknown leg ids are an error naming the id. */
export async function reviewLeg(
  db: Kysely<RecordDatabase>,
  change: ReviewChange,
  a: ReviewAction,
): Promise<{ before: ReviewSnapshot; after: ReviewSnapshot }> {
  validate(change, a);
  const at = (change.at ?? new Date()).toISOString();
  const reviewer = change.reviewer.trim();
  return db.transaction().execute(async (tx) => {
    const leg = await tx.selectFrom('legs').select('id').where('id', '=', change.legId).executeTakeFirst();
    if (!leg) throw new ReviewError(`no leg with id "${change.legId}" in the archive`);
    const current = await tx
      .selectFrom('leg_reviews')
      .selectAll()
      .where('leg_id', '=', change.legId)
      .executeTakeFirst();
    const before = snapshot(current);
    const state = ({ confirm: 'confirmed', reject: 'rejected', correct: 'corrected' } as const)[a.action];
    const row: LegReviewRow = {
      leg_id: change.legId,
      state,
      category: a.action === 'correct' ? a.category : null,
      note: a.note?.trim() || null,
      reviewer,
      reviewed_at: at,
    };
    await tx
      .insertInto('leg_reviews')
      .values(row)
      .onConflict((oc) =>
        oc.column('leg_id').doUpdateSet({
          state: row.state,
          category: row.category,
          note: row.note,
          reviewer: row.reviewer,
          reviewed_at: row.reviewed_at,
        }),
      )
      .execute();
    // Keep the report's copy in step (the class row may not exist yet: classification reads the review then).
    const cls = await tx
      .selectFrom('leg_classes')
      .select('category')
      .where('leg_id', '=', change.legId)
      .executeTakeFirst();
    if (cls)
      await tx
        .updateTable('leg_classes')
        .set({ review_state: state, counted_category: countedCategory(cls.category, row) })
        .where('leg_id', '=', change.legId)
        .execute();
    const after = snapshot(row);
    await tx
      .insertInto('leg_review_log')
      .values({
        id: randomUUID(),
        leg_id: change.legId,
        at,
        reviewer,
        before: JSON.stringify(before),
        after: JSON.stringify(after),
        note: row.note,
      })
      .execute();
    return { before, after };
  });
}

/** The audit trail of one leg, oldest first. */
export async function reviewHistory(db: Kysely<RecordDatabase>, legId: string): Promise<LegReviewLogRow[]> {
  return db.selectFrom('leg_review_log').selectAll().where('leg_id', '=', legId).orderBy('at').orderBy('id').execute();
}

export interface UnreviewedLeg {
  id: string;
  hex: string;
  departure_icao: string | null;
  arrival_icao: string | null;
  departed_at: string | null;
  arrived_at: string | null;
  category: string | null;
  confidence: string | null;
  reasons: string | null;
}

/** Legs nobody has reviewed yet, oldest first, optionally one category and a departure window. */
export async function listUnreviewed(
  db: Kysely<RecordDatabase>,
  o: { category?: string; from?: string; to?: string; limit?: number } = {},
): Promise<UnreviewedLeg[]> {
  let q = db
    .selectFrom('legs as l')
    .leftJoin('leg_reviews as r', 'r.leg_id', 'l.id')
    .leftJoin('leg_classes as c', 'c.leg_id', 'l.id')
    .select([
      'l.id',
      'l.hex',
      'l.departure_icao',
      'l.arrival_icao',
      'l.departed_at',
      'l.arrived_at',
      'c.category',
      'c.confidence',
      'c.reasons',
    ])
    .where('r.leg_id', 'is', null);
  if (o.category) q = q.where('c.category', '=', o.category);
  if (o.from) q = q.where('l.departed_at', '>=', o.from);
  if (o.to) q = q.where('l.departed_at', '<', o.to);
  return q
    .orderBy('l.departed_at')
    .orderBy('l.id')
    .limit(o.limit ?? 100)
    .execute();
}
