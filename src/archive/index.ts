/** The flight record: the archive store (SQLite or PostgreSQL), its schema and the archiver. */
export * from './schema';
export { openArchive, archiveFileIn, describePostgresUrl, type Archive, type ArchiveEngine } from './open';
export { ArchiveError, archiveErrorFrom, problemOf, type ArchiveProblem } from './errors';
export { migrateArchive, appliedMigrations, MIGRATION_TABLE } from './migrate';
export { MIGRATIONS, LATEST_MIGRATION } from './migrations';
