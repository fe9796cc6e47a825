/**
 * Forward migrations at start, with the checks Kysely's migrator does not word for an operator: a database
 * migrated by a newer release (a migration name this release does not know) and a database that is not a
 * flightwatch archive at all (tables, but no migration record) are refused before anything is written.
 */
import { Migrator, sql, type Kysely } from 'kysely';
import { ArchiveError } from './errors';
import { LATEST_MIGRATION, MIGRATIONS } from './migrations';

export const MIGRATION_TABLE = 'archive_migration';
const LOCK_TABLE = 'archive_migration_lock';

/** Any archive handle: migrations run before the typed schema holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migrator takes Kysely<any>
type AnyDb = Kysely<any>;

/** Table names in the database (public schema on PostgreSQL). */
async function tableNames(db: AnyDb): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  return tables.map((t) => t.name);
}

export async function appliedMigrations(db: AnyDb): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function migrateArchive(db: AnyDb, where: string): Promise<string[]> {
  const tables = await tableNames(db);
  if (tables.includes(MIGRATION_TABLE)) {
    const unknown = (await appliedMigrations(db)).filter((n) => !(n in MIGRATIONS));
    if (unknown.length)
      throw new ArchiveError(
        'newer',
        `archive ${where} was migrated by a newer flightwatch (migration ${unknown.join(', ')}; this release ` +
          `knows up to ${LATEST_MIGRATION}): upgrade flightwatch, or point it at another database`,
      );
  } else {
    const others = tables.filter((t) => !t.startsWith('archive_migration') && !t.startsWith('sqlite_'));
    if (others.length)
      throw new ArchiveError(
        'foreign',
        `archive ${where} is not a flightwatch archive: it has tables (${others.slice(0, 5).join(', ')}) ` +
          `but no ${MIGRATION_TABLE} record; use an empty database or another file`,
      );
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: LOCK_TABLE,
    // 002 (review, classification) and 003 (indexes) were written in parallel and touch different things: a
    // database that got 003 first still takes 002. Names this release does not know are refused above.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new ArchiveError(
      'migration',
      `archive ${where}: migration ${failed ?? '?'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
