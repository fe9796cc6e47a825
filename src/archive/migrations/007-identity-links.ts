/**
 * 007: identity_links — a hex that continues the track of another (detect/identity.ts): the PIA programme's
 * rotating privacy addresses and re-registrations. One row per (hex, previous hex) with the evidence of the
 * first event that carried the link; the two airframes' rows and legs stay apart (never a silent merge).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_links')
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('previous_hex', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('matched', 'text', (c) => c.notNull())
    .addColumn('gap_seconds', 'double precision', (c) => c.notNull())
    .addColumn('distance_nm', 'double precision', (c) => c.notNull())
    .addColumn('alt_diff_ft', 'double precision')
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_links_pk', ['hex', 'previous_hex'])
    .execute();
  await db.schema.createIndex('identity_links_previous').on('identity_links').column('previous_hex').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('identity_links').execute();
}
