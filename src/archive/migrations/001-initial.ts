/**
 * 001: the flight record's tables (schema.ts). Column types chosen to read back identically on SQLite and
 * PostgreSQL: text, integer, bigint (epoch ms), double precision. Never edit a released migration; add one.
 */
import { sql, type Kysely } from 'kysely';

const now = sql`CURRENT_TIMESTAMP`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('aircraft')
    .addColumn('hex', 'text', (c) => c.primaryKey())
    .addColumn('registration', 'text')
    .addColumn('type_code', 'text')
    .addColumn('operator', 'text')
    .addColumn('watch_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('legs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('trip_id', 'text')
    .addColumn('departure_icao', 'text')
    .addColumn('departure_country', 'text')
    .addColumn('arrival_icao', 'text')
    .addColumn('arrival_country', 'text')
    .addColumn('departed_at', 'text')
    .addColumn('arrived_at', 'text')
    .addColumn('departure_inferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('arrival_inferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('departure_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('arrival_estimated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('takeoff_event_id', 'text')
    .addColumn('landing_event_id', 'text')
    .addColumn('gap_s', 'double precision')
    .addColumn('destination_id', 'text')
    .addColumn('diverted_from', 'text')
    .addColumn('callsign', 'text')
    .addColumn('watch_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('source', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('legs_hex_departed').on('legs').columns(['hex', 'departed_at']).execute();
  await db.schema.createIndex('legs_departed').on('legs').column('departed_at').execute();
  await db.schema.createIndex('legs_arrived').on('legs').column('arrived_at').execute();
  await db.schema.createIndex('legs_trip').on('legs').column('trip_id').execute();

  await db.schema
    .createTable('trips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('origin', 'text')
    .addColumn('countries', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('destinations', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('legs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('close_reason', 'text')
    .addColumn('event_time', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('trips_hex').on('trips').column('hex').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('history_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('leg_id', 'text')
    .addColumn('trip_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('events_hex_time').on('events').columns(['hex', 'time']).execute();
  await db.schema.createIndex('events_leg').on('events').column('leg_id').execute();
  await db.schema.createIndex('events_trip').on('events').column('trip_id').execute();

  await db.schema
    .createTable('leg_positions')
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('t', 'bigint', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('alt_ft', 'integer')
    .addColumn('gs_kt', 'double precision')
    .addColumn('track_deg', 'double precision')
    .addColumn('vrate_fpm', 'integer')
    .addColumn('on_ground', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('leg_id', 'text')
    .addColumn('reply_id', 'text')
    .addPrimaryKeyConstraint('leg_positions_pk', ['hex', 't'])
    .execute();
  await db.schema.createIndex('leg_positions_leg').on('leg_positions').columns(['leg_id', 't']).execute();
  await db.schema.createIndex('leg_positions_t').on('leg_positions').column('t').execute();

  await db.schema
    .createTable('raw_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('body_sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('hexes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('raw_replies_fetched').on('raw_replies').column('fetched_at').execute();

  await db.schema
    .createTable('archiver_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('stream_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['archiver_cursor', 'raw_replies', 'leg_positions', 'events', 'trips', 'legs', 'aircraft'])
    await db.schema.dropTable(t).execute();
}
