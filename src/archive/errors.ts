/**
 * What can go wrong with the archive, named for the operator: each error says which database (file path, or
 * host/port/database without credentials) and what is wrong with it. The archiver logs these and retries;
 * nothing here ever reaches alert delivery.
 */
export type ArchiveProblem =
  /** The file is not an SQLite database, or its pages are damaged. */
  | 'corrupt'
  /** A valid database that is not a flightwatch archive (other tables, no migration record). */
  | 'foreign'
  /** Migrated by a newer flightwatch: this release does not know its schema. */
  | 'newer'
  /** PostgreSQL refused or dropped the connection. */
  | 'unreachable'
  | 'disk-full'
  | 'migration'
  | 'other';

export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(
    readonly problem: ArchiveProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PG_UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/** Classifies a driver error (libsql, pg, Node's net) into an ArchiveProblem. */
export function problemOf(e: unknown): ArchiveProblem {
  if (e instanceof ArchiveError) return e.problem;
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const msg = typeof err?.message === 'string' ? err.message : '';
  if (
    code.startsWith('SQLITE_FULL') ||
    code === 'ENOSPC' ||
    code === '53100' ||
    /disk is full|No space left/i.test(msg)
  )
    return 'disk-full';
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  // 57P01-03: admin shutdown, crash shutdown, cannot connect now (starting up); 08xxx: connection exceptions.
  if (PG_UNREACHABLE.has(code) || /^57P0[1-3]$/.test(code) || code.startsWith('08')) return 'unreachable';
  if (/Connection terminated|connection (is )?closed|Client has encountered a connection error/i.test(msg))
    return 'unreachable';
  return 'other';
}

const EXPLAIN: Record<ArchiveProblem, string> = {
  corrupt: 'is not a readable SQLite database (corrupt, or another kind of file)',
  foreign: 'is not a flightwatch archive',
  newer: 'was migrated by a newer flightwatch',
  unreachable: 'is unreachable',
  'disk-full': 'has no space left (disk full)',
  migration: 'could not be migrated',
  other: 'failed',
};

/** Wraps a driver error as an ArchiveError naming the database and the problem (keeps the driver's text). */
export function archiveErrorFrom(e: unknown, where: string): ArchiveError {
  if (e instanceof ArchiveError) return e;
  const problem = problemOf(e);
  const detail = (e as Error)?.message ?? String(e);
  return new ArchiveError(problem, `archive ${where} ${EXPLAIN[problem]}: ${detail}`, { cause: e });
}
