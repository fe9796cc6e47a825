/**
 * 005: the report counts removals by departure hub, so leg_classes keeps the departure airport beside the
 * arrival, and the report's covering index holds it and the lateral border city: the report reads one index
 * range per period and never the legs table. Existing rows take the departure from their leg.
 */
import { sql, type Kysely } from 'kysely';

const COLUMNS = [
  'at',
  'counted_category',
  'confidence',
  'review_state',
  'destination_country',
  'arrival_icao',
  'departure_icao',
  'border_city',
  'hex',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('leg_classes').addColumn('departure_icao', 'text').execute();
  await sql`update leg_classes set departure_icao = (select l.departure_icao from legs l where l.id = leg_classes.leg_id)`.execute(
    db,
  );
  await db.schema.dropIndex('leg_classes_report').execute();
  await db.schema.createIndex('leg_classes_report_hubs').on('leg_classes').columns(COLUMNS).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('leg_classes_report_hubs').execute();
  await db.schema
    .createIndex('leg_classes_report')
    .on('leg_classes')
    .columns(['at', 'counted_category', 'confidence', 'review_state', 'destination_country', 'arrival_icao', 'hex'])
    .execute();
  await db.schema.alterTable('leg_classes').dropColumn('departure_icao').execute();
}
