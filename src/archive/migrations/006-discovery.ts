/**
 * 006: discovery (docs/discovery.md): sightings of unlisted aircraft at the hubs and in countries of return,
 * and the candidates scored from them with a person's decision. Tables of their own: the archiver never
 * touches them, and a rebuild of the record keeps every decision.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('discovery_sightings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('hub', 'integer', (c) => c.notNull())
    .addColumn('on_ground', 'integer', (c) => c.notNull())
    .addColumn('alt_ft', 'integer')
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('callsign', 'text')
    .addColumn('registration', 'text')
    .addColumn('type', 'text')
    .addColumn('operator', 'text')
    .execute();
  await db.schema.createIndex('discovery_sightings_hex_at').on('discovery_sightings').columns(['hex', 'at']).execute();

  await db.schema
    .createTable('discovery_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hex', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('behaviour', 'text', (c) => c.notNull())
    .addColumn('registration', 'text')
    .addColumn('type', 'text')
    .addColumn('callsign', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('proposals', 'integer', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('note', 'text')
    .addColumn('rejected_behaviour', 'text')
    .addColumn('watch_id', 'text')
    .execute();
  await db.schema
    .createIndex('discovery_candidates_state')
    .on('discovery_candidates')
    .columns(['state', 'proposed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['discovery_candidates', 'discovery_sightings']) await db.schema.dropTable(t).execute();
}
