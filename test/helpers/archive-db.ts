/**
 * Real archive engines for tests: an SQLite file in a temp dir, and a database of its own on the shared
 * PostgreSQL (127.0.0.1:5432, trust auth; $TEST_POSTGRES_URL overrides), created per run and dropped after.
 * Under CI=true an unreachable PostgreSQL fails the run; elsewhere its tests are skipped with a message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type EngineName = 'sqlite' | 'postgres';

export interface TestDatabase {
  engine: EngineName;
  /** For openArchive: `{ file }` or `{ databaseUrl }`. */
  target: { file?: string; databaseUrl?: string };
  drop(): Promise<void>;
}

export function tempSqlite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'fw-archive-'));
  return {
    engine: 'sqlite',
    target: { file: join(dir, 'archive.sqlite') },
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database on the PostgreSQL server at `adminUrl`, dropped (connections and all) by drop(). */
export async function tempPostgres(adminUrl = POSTGRES_ADMIN_URL): Promise<TestDatabase> {
  const name = `fwtest_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    engine: 'postgres',
    target: { databaseUrl: u.toString() },
    drop: () => admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export async function postgresAvailable(adminUrl = POSTGRES_ADMIN_URL): Promise<boolean> {
  try {
    await admin(adminUrl, (c) => c.query('select 1'));
    return true;
  } catch (e) {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL at ${adminUrl} is required under CI: ${String(e)}`, { cause: e });
    console.warn(`PostgreSQL at ${adminUrl} unreachable: its archive tests are skipped (${String(e)})`);
    return false;
  }
}

/** A new test database of the named engine. */
export const tempDatabase = (engine: EngineName): Promise<TestDatabase> =>
  engine === 'sqlite' ? Promise.resolve(tempSqlite()) : tempPostgres();

/** The engines to run archive tests against: both, or SQLite alone when PostgreSQL is absent (outside CI). */
export const ENGINES: EngineName[] = ['sqlite', 'postgres'];
