/**
 * Fresh, migrated archives for the benches: a SQLite file in a temporary directory, or a PostgreSQL database
 * created for the run and dropped by drop().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openArchive, type Archive } from '../../src/archive/open';

export type Engine = 'sqlite' | 'postgres';

/** Where the benches create and drop their databases (BENCH_POSTGRES_URL). */
export const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated archive of the engine; drop() removes it. `label` names the temporary directory. */
export async function freshArchive(
  engine: Engine,
  label: string,
): Promise<{ archive: Archive; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `fw-bench-${label}-`));
    const archive = await openArchive({ file: join(dir, 'archive.sqlite') });
    return { archive, drop: () => archive.close().then(() => rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `fwbench_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  const archive = await openArchive({ databaseUrl: u.toString() });
  return { archive, drop: () => archive.close().then(() => admin(`drop database ${name} with (force)`)) };
}

/** Whether PostgreSQL answers at PG_ADMIN (its figures are skipped when not). */
export async function postgresUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
