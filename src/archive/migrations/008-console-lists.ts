/**
 * 008: indexes for the console's leg lists (/trips, /legs), read newest first a page at a time. The report's
 * covering index starts with the time, so a filter on a rare review state (rejected, corrected) or on one
 * airframe walked most of a year's index to fill a page; these start with the filtered column and end with the
 * list's order (time, then leg id), so such a page reads only its own rows.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('leg_classes_review_at')
    .on('leg_classes')
    .columns(['review_state', 'at', 'leg_id'])
    .execute();
  await db.schema.createIndex('leg_classes_hex_at').on('leg_classes').columns(['hex', 'at', 'leg_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('leg_classes_hex_at').execute();
  await db.schema.dropIndex('leg_classes_review_at').execute();
}
