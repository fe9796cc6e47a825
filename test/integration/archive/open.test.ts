import { writeFileSync } from 'node:fs';
import Database from 'libsql';
import { sql } from 'kysely';
import { appliedMigrations, LATEST_MIGRATION, MIGRATION_TABLE, openArchive } from '../../../src/archive';
import { ArchiveError } from '../../../src/archive/errors';
import { ENGINES, postgresAvailable, tempDatabase, tempSqlite, type TestDatabase } from '../../helpers/archive-db';

let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

describe.each(ENGINES)('openArchive on %s', (engine) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.drop();
    t = undefined;
  });
  const fresh = async () => {
    if (engine === 'postgres' && !pgUp) return undefined;
    t = await tempDatabase(engine);
    return t;
  };

  it('migrates an empty database to the latest schema, and reopening changes nothing', async () => {
    const d = await fresh();
    if (!d) return;
    const a = await openArchive(d.target);
    expect(a.engine).toBe(engine);
    expect(await appliedMigrations(a.db)).toContain(LATEST_MIGRATION);
    await a.db.insertInto('archiver_cursor').values({ name: 'history', stream_id: '5-0', updated_at: 'x' }).execute();
    await a.db
      .insertInto('leg_positions')
      .values({ hex: 'abc123', t: 1_764_000_000_123, lat: 1.5, lon: -2.25, on_ground: 0, source: 's' })
      .execute();
    await a.close();
    const b = await openArchive(d.target);
    const cursor = await b.db.selectFrom('archiver_cursor').selectAll().executeTakeFirstOrThrow();
    expect(cursor.stream_id).toBe('5-0');
    // bigint columns read back as numbers on both engines
    const p = await b.db.selectFrom('leg_positions').selectAll().executeTakeFirstOrThrow();
    expect(p.t).toBe(1_764_000_000_123);
    expect(p.lat).toBe(1.5);
    await b.close();
  });

  it('refuses a database migrated by a newer release, naming the migration', async () => {
    const d = await fresh();
    if (!d) return;
    const a = await openArchive(d.target);
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('999-future', 'x')`.execute(a.db);
    await a.close();
    await expect(openArchive(d.target)).rejects.toMatchObject({
      name: 'ArchiveError',
      problem: 'newer',
      message: expect.stringMatching(/newer flightwatch.*999-future/),
    });
  });
});

describe('SQLite files that are not an archive', () => {
  it('names a corrupt or non-database file', async () => {
    const t = tempSqlite();
    writeFileSync(t.target.file!, 'this is not a database, it is a text file '.repeat(200));
    const e = (await openArchive(t.target).catch((x: unknown) => x)) as ArchiveError;
    expect(e).toBeInstanceOf(ArchiveError);
    expect(e.problem).toBe('corrupt');
    expect(e.message).toContain(t.target.file);
    expect(e.message).toMatch(/not a readable SQLite database/);
    await t.drop();
  });

  it('refuses a foreign SQLite database without touching it', async () => {
    const t = tempSqlite();
    const other = new Database(t.target.file!);
    other.exec('create table photos (id integer primary key, path text)');
    other.close();
    await expect(openArchive(t.target)).rejects.toMatchObject({
      problem: 'foreign',
      message: expect.stringMatching(/not a flightwatch archive.*photos/),
    });
    const again = new Database(t.target.file!);
    const tables = again.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
    again.close();
    expect(tables.map((r) => r.name)).toEqual(['photos']);
    await t.drop();
  });
});

describe('PostgreSQL down at start', () => {
  it('names the server without its password', async () => {
    const e = (await openArchive({ databaseUrl: 'postgres://fw:s3cretpw@127.0.0.1:1/nope' }).catch(
      (x: unknown) => x,
    )) as ArchiveError;
    expect(e.problem).toBe('unreachable');
    expect(e.message).toContain('postgres://127.0.0.1:1/nope');
    expect(e.message).not.toContain('s3cretpw');
  });
});
