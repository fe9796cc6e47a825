/**
 * Opens the archive: PostgreSQL when a database URL is given (DATABASE_URL), else an SQLite file (by default
 * `<data.dir>/archive.sqlite`), and migrates it forward. One Kysely schema (schema.ts) serves both.
 *
 * SQLite runs on `libsql` (the better-sqlite3 API, which Kysely's SqliteDialect drives as is, with prebuilt
 * binaries: `npm install` needs no compiler). WAL journal so readers (exports, reports) never block the
 * archiver; synchronous=NORMAL: a power cut may lose the last transactions, but their stream cursor goes
 * with them, so the archiver re-reads those entries — nothing is lost while the stream retains them.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import Database from 'libsql';
import pg from 'pg';
import type { ArchiveDatabase } from './schema';
import { ArchiveError, archiveErrorFrom } from './errors';
import { migrateArchive } from './migrate';

export type ArchiveEngine = 'sqlite' | 'postgres';

export interface Archive {
  db: Kysely<ArchiveDatabase>;
  engine: ArchiveEngine;
  /** For messages: the file path, or postgres://host:port/database (never credentials). */
  where: string;
  close(): Promise<void>;
}

export interface OpenArchiveOptions {
  /** postgres:// URL (DATABASE_URL); when set the SQLite file is ignored. */
  databaseUrl?: string;
  /** SQLite file; created (with its directory) when missing. */
  file?: string;
  /** Run forward migrations (default true). false: open as is (tests of the migration checks). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 4). */
  poolSize?: number;
}

export const ARCHIVE_FILE = 'archive.sqlite';

/** The SQLite file inside a data dir. */
export const archiveFileIn = (dataDir: string) => resolve(dataDir, ARCHIVE_FILE);

/** postgres://host:port/db without user or password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgres (DATABASE_URL is not a valid URL)';
  }
}

export async function openArchive(o: OpenArchiveOptions): Promise<Archive> {
  const archive = o.databaseUrl ? await openPostgres(o.databaseUrl, o.poolSize ?? 4) : openSqlite(requireFile(o));
  if (o.migrate === false) return archive;
  try {
    await migrateArchive(archive.db, archive.where);
  } catch (e) {
    await archive.close().catch(() => undefined);
    throw archiveErrorFrom(e, archive.where);
  }
  return archive;
}

function requireFile(o: OpenArchiveOptions): string {
  if (!o.file) throw new ArchiveError('other', 'archive: neither DATABASE_URL nor an SQLite file was given');
  return resolve(o.file);
}

function openSqlite(file: string): Archive {
  let sqlite: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file);
    // The driver is synchronous: waiting for another process's write lock blocks this event loop, so the
    // wait is short and the archiver retries instead (alerts share the loop).
    sqlite.pragma('busy_timeout = 200');
    // The first read of the header: a file that is not SQLite fails here, with SQLITE_NOTADB.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    // 32 MB of page cache: the archiver touches five tables and their indexes per batch.
    sqlite.pragma('cache_size = -32000');
  } catch (e) {
    throw archiveErrorFrom(e, file);
  }
  const db = new Kysely<ArchiveDatabase>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  return { db, engine: 'sqlite', where: file, close: () => db.destroy() };
}

const STATEMENT_CACHE = 200;

/**
 * Kysely prepares every query anew; with the archiver's few query shapes, preparing was a third of its time.
 * Statements are kept by SQL text (bounded; one connection, and Kysely runs one query at a time on it).
 */
function cachingStatements(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

/** int8 (bigint, count(*)) as a number: epoch ms and counts fit in 2^53. */
const INT8_OID = 20;
const parseInt8 = (v: string) => Number(v);
const typeParser = (oid: number, format?: 'text' | 'binary'): ((v: string) => unknown) =>
  oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser(oid, format) as (v: string) => unknown);

async function openPostgres(url: string, max: number): Promise<Archive> {
  const where = describePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 10_000,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // A client losing its server (a restart, a network cut) emits 'error': unhandled, that kills the process.
  // Idle clients report through the pool; checked-out ones (mid-transaction) through themselves. Either way
  // the query in flight fails, the dead client is dropped from the pool, and the archiver retries.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await pool.query('select 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw archiveErrorFrom(e, where);
  }
  const db = new Kysely<ArchiveDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', where, close: () => db.destroy() };
}
