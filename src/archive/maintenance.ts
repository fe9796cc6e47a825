/**
 * Archive upkeep: retention (positions and raw replies older than the configured days; legs, trips and
 * events are kept forever), rebuild from the retained history, and an online SQLite backup.
 */
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Logger } from '../util/log';
import type { Archive } from './open';
import { ArchiveError } from './errors';
import { Archiver } from './archiver';
import { HISTORY_CURSOR, CAPTURES_CURSOR } from './write-events';
import { STREAM_START } from './stream-id';

export interface PruneResult {
  positions: number;
  replies: number;
  /** Rows older than this (epoch ms) were removed. */
  before: number;
}

export async function pruneArchive(a: Archive, retentionDays: number, now = Date.now()): Promise<PruneResult> {
  const before = now - retentionDays * 86_400_000;
  return a.db.transaction().execute(async (tx) => {
    const p = await tx.deleteFrom('leg_positions').where('t', '<', before).executeTakeFirst();
    const r = await tx.deleteFrom('raw_replies').where('fetched_at', '<', before).executeTakeFirst();
    return { positions: Number(p.numDeletedRows), replies: Number(r.numDeletedRows), before };
  });
}

/**
 * Re-reads the whole retained history (and captures) into the archive: the cursors go back to the start and
 * the archiver drains. Rows are keyed, so what the archive has stays as it is and what it misses (a restored
 * backup, a database that was down longer than its cursor could cover) is added.
 */
export async function rebuildFromHistory(
  a: Archive,
  o: { redis: Redis; historyKey: string; capturesKey: string; log: Logger; batchSize?: number },
): Promise<{ events: number; positions: number }> {
  await a.db
    .updateTable('archiver_cursor')
    .set({ stream_id: STREAM_START, updated_at: new Date().toISOString() })
    .where('name', 'in', [HISTORY_CURSOR, CAPTURES_CURSOR])
    .execute();
  return new Archiver({ ...o, archive: a }).drain();
}

/**
 * A consistent copy of a live SQLite archive (VACUUM INTO: readers and the archiver may go on). PostgreSQL
 * is backed up with pg_dump (docs/archive.md).
 */
export async function backupSqlite(a: Archive, outFile: string): Promise<void> {
  if (a.engine !== 'sqlite')
    throw new ArchiveError('other', `archive backup copies SQLite files; back up ${a.where} with pg_dump`);
  await sql`VACUUM INTO ${outFile}`.execute(a.db);
}
