/**
 * PostgreSQL backup and restore as docs/archive.md says: pg_dump -Fc, pg_restore into an empty database, and
 * the restored archive opens, holds the same rows and its cursor, and takes new events.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../../src/archive';
import { writeEvents } from '../../../src/archive/write-events';
import { generateHistory } from '../../../scripts/bench/flight-history';
import { postgresAvailable, tempPostgres } from '../../helpers/archive-db';

const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

it('pg_dump / pg_restore round trip of a PostgreSQL archive', async () => {
  if (!(await postgresAvailable())) return;
  const src = await tempPostgres();
  const dst = await tempPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'fw-pgdump-'));
  try {
    const events = [...generateHistory({ airframes: 3, days: 5 })];
    const a = await openArchive(src.target);
    await writeEvents(
      a.db,
      events.slice(0, 60).map((event, i) => ({ event, historyId: `${i + 1}-0` })),
      { cursor: 'history' },
    );
    await a.close();
    const dump = join(dir, 'archive.dump');
    execFileSync(join(BIN, 'pg_dump'), ['-Fc', '-d', src.target.databaseUrl!, '-f', dump]);
    execFileSync(join(BIN, 'pg_restore'), ['--no-owner', '-d', dst.target.databaseUrl!, dump]);

    const b = await openArchive(dst.target);
    const count = async () =>
      Number(
        (
          await b.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(60);
    const cursor = await b.db.selectFrom('archiver_cursor').selectAll().executeTakeFirstOrThrow();
    expect(cursor.stream_id).toBe('60-0');
    // the restored archive goes on from its cursor
    await writeEvents(
      b.db,
      events.map((event, i) => ({ event, historyId: `${i + 1}-0` })),
      { cursor: 'history' },
    );
    expect(await count()).toBe(events.length);
    const legs = await b.db.selectFrom('legs').select('id').execute();
    expect(legs).toHaveLength(events.filter((e) => e.type === 'landing').length);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await src.drop();
    await dst.drop();
  }
}, 60_000);
