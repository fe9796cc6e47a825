/**
 * A full disk under the archiver (SQLite's max_page_count makes the file "full" without filling a real
 * disk): the error names the problem, nothing half-written stays, and once there is room again the archiver
 * resumes from its cursor and archives every event exactly once.
 */
import { sql } from 'kysely';
import { keys } from '../../../src/alerting/keys';
import { appendEvent } from '../../../src/pipeline/history';
import { openArchive } from '../../../src/archive';
import { Archiver } from '../../../src/archive/archiver';
import { capturesKey } from '../../../src/archive/capture';
import { silentLogger } from '../../../src/util/log';
import { generateHistory } from '../../../scripts/bench/flight-history';
import { redisSuite } from '../../helpers/redis-suite';
import { tempSqlite } from '../../helpers/archive-db';
import { until } from '../../helpers/wait';

const suite = redisSuite('fwfull');

it('disk full: named, rolled back, resumed without loss or duplicates', async () => {
  const redis = suite.client();
  const prefix = suite.prefix().slice(0, -1);
  const k = keys(prefix);
  const db = tempSqlite();
  const archive = await openArchive(db.target);
  try {
    const events = [...generateHistory({ airframes: 10, days: 10 })];
    for (const e of events) await appendEvent(redis, k, e, 400 * 86_400_000, Date.parse(e.time));
    const pages = Number(
      (await sql<{ page_count: number }>`PRAGMA page_count`.execute(archive.db)).rows[0]?.page_count,
    );
    await sql.raw(`PRAGMA max_page_count = ${pages + 20}`).execute(archive.db);
    const archiver = new Archiver({
      redis,
      historyKey: k.history,
      capturesKey: capturesKey(prefix),
      archive,
      log: silentLogger,
      batchSize: 100,
      maxRetryMs: 200,
    });
    archiver.start();
    await until('the archiver to report the full disk', () => archiver.status().problem === 'disk-full', {
      timeoutMs: 20_000,
    });
    expect(archiver.status().lastError).toMatch(/archive .*archive\.sqlite has no space left \(disk full\)/);
    const stuck = await archive.db.selectFrom('events').select('id').execute();
    expect(stuck.length).toBeLessThan(events.length);

    await sql.raw('PRAGMA max_page_count = 1073741823').execute(archive.db);
    await until('the archiver to catch up', async () => (await archiver.refreshLag()) === 0, { timeoutMs: 30_000 });
    await archiver.stop();
    expect(archiver.status().problem).toBeUndefined();
    const rows = await archive.db.selectFrom('events').select(['id', 'history_id']).execute();
    expect(rows).toHaveLength(events.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(events.length);
    const legs = await archive.db.selectFrom('legs').select('id').execute();
    expect(legs).toHaveLength(events.filter((e) => e.type === 'landing').length);
  } finally {
    await archive.close();
    await db.drop();
  }
});
