import type { Kysely } from 'kysely';
import type { RecordDatabase } from '../../archive/record-schema';

/** The operators the aircraft table names, for the filter forms (one row per airframe: small). */
export async function operatorsIn(db: Kysely<RecordDatabase>): Promise<string[]> {
  const rows = await db
    .selectFrom('aircraft')
    .select('operator')
    .distinct()
    .where('operator', 'is not', null)
    .orderBy('operator')
    .execute();
  return rows.map((r) => r.operator!).filter(Boolean);
}
