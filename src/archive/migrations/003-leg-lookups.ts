/**
 * 003: indexes for the archiver's lookups as the record grows: a landing finds the open leg of its airframe
 * (partial index: only legs without a landing), and destination/diversion events find the leg their landing
 * closed. (002 is the review/classification migration.)
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('legs_open_by_hex')
    .on('legs')
    .columns(['hex', 'departed_at'])
    .where(sql.ref('landing_event_id'), 'is', null)
    .execute();
  await db.schema.createIndex('legs_landing_event').on('legs').column('landing_event_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('legs_landing_event').execute();
  await db.schema.dropIndex('legs_open_by_hex').execute();
}
