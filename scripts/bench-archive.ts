/**
 * npm run bench:archive — issue 13's figures. Part 1 (here): archiver throughput on SQLite and PostgreSQL
 * against a plain insert loop of the same rows, measured in the same run; and one year of generated history
 * (≥ 100,000 legs) archived into SQLite for the query figures.
 *
 * Method: own redis-server on a free loopback port; BENCH_N events of the generated history
 * (scripts/bench/flight-history.ts) appended to a history stream once. Per engine and round: a fresh
 * database; the archiver drains the stream end to end (XRANGE, parse, project legs/trips/aircraft, insert,
 * cursor, in transactions of archive.batchSize = 500 entries) → eventsPerSecond. The baseline: a fresh
 * database where a plain loop inserts the same rows the archiver wrote (its events, legs, trips and aircraft
 * rows, one INSERT per row, 500 per transaction, no reads, no projection), expressed as events per second
 * → the ratio is the archiver's own cost over writing its output. Also reported: a plain loop of the event
 * rows alone (…EventRowsOnly…), a stricter baseline. Rounds alternate (archiver, plain), keeping each best,
 * so a noisy neighbour hits both alike. PostgreSQL: the server at $BENCH_POSTGRES_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), a database created and dropped per run; skipped if absent.
 *
 * The year is then archived into PostgreSQL too (when reachable) and the same query figures measured there:
 * `reportP95MsPostgres` (target ≤ 50 ms), with its baseline and the evidence export.
 *
 * Options (env): BENCH_N (default 30000), BENCH_ROUNDS (default 2), BENCH_YEAR=0 skips the year fill.
 * Last stdout line: one JSON object with the figures.
 */
import { startRedis } from '../test/helpers/redis-server';
import { createRedis } from '../src/pipeline/connection';
import { keys } from '../src/alerting/keys';
import { appendEvent } from '../src/pipeline/history';
import type { Archive } from '../src/archive/open';
import { freshArchive, postgresUp, PG_ADMIN, type Engine } from './bench/fresh-archive';
import { Archiver } from '../src/archive/archiver';
import { capturesKey } from '../src/archive/capture';
import { writeEvents } from '../src/archive/write-events';
import type { NewEvent } from '../src/archive/schema';
import type { FlightEvent } from '../src/domain/event';
import { silentLogger } from '../src/util/log';
import { generateHistory } from './bench/flight-history';
import { elapsedMs, round } from './bench/stats';
import { measureRecordFigures, type RecordFigures } from './bench/record-figures';

const N = Number(process.env.BENCH_N ?? 30_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const log = (s: string) => void process.stderr.write(`bench-archive: ${s}\n`);

const eventRowsOf = (entries: { historyId: string; event: FlightEvent }[]): NewEvent[] => {
  const at = new Date().toISOString();
  return entries.map(({ historyId, event: e }) => ({
    id: e.id,
    history_id: historyId,
    type: e.type,
    hex: e.aircraft.hex,
    time: e.time,
    leg_id: null,
    trip_id: null,
    source: e.source,
    body: JSON.stringify(e),
    archived_at: at,
  }));
};

type Table = 'events' | 'legs' | 'trips' | 'aircraft';
type Output = { table: Table; row: Record<string, unknown> }[];

/** Every row the archiver wrote (events, legs, trips, aircraft), in that order. */
async function outputOf(a: Archive): Promise<Output> {
  const out: Output = [];
  for (const table of ['events', 'legs', 'trips', 'aircraft'] as const)
    for (const row of await a.db.selectFrom(table).selectAll().execute()) out.push({ table, row });
  return out;
}

/**
 * The baseline: a plain loop inserting rows, one INSERT each, BATCH per transaction; returns the seconds.
 * Fed the archiver's whole output it is what writing those rows costs without the archiver around it.
 */
async function plainInserts(archive: Archive, rows: Output): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i += BATCH)
    await archive.db.transaction().execute(async (tx) => {
      for (const { table, row } of rows.slice(i, i + BATCH))
        await tx
          .insertInto(table)
          .values(row as never)
          .execute();
    });
  return elapsedMs(t0) / 1000;
}

/** The generated year of history written in large transactions, as a rebuild would; returns the events. */
async function fillYear(archive: Archive): Promise<number> {
  let n = 0;
  let batch: { event: FlightEvent }[] = [];
  for (const event of generateHistory()) {
    batch.push({ event });
    if (batch.length >= 5000) {
      n += (await writeEvents(archive.db, batch)).archived;
      batch = [];
    }
  }
  return n + (await writeEvents(archive.db, batch)).archived;
}

async function main() {
  const redisServer = await startRedis();
  const redis = createRedis(redisServer.url, 'worker');
  const prefix = 'bench';
  const k = keys(prefix);
  try {
    const events: FlightEvent[] = [];
    for (const e of generateHistory()) {
      if (events.length >= N) break;
      events.push(e);
    }
    for (const e of events) await appendEvent(redis, k, e, 400 * 86_400_000, Date.parse(e.time));
    const stream = (await redis.xrange(k.history, '-', '+')) as [string, string[]][];
    const entries = stream.map(([historyId, f]) => ({
      historyId,
      event: JSON.parse(f[f.indexOf('event') + 1] ?? '') as FlightEvent,
    }));
    const rows = eventRowsOf(entries);
    log(`${events.length} events in the history stream`);

    const engines: Engine[] = (await postgresUp()) ? ['sqlite', 'postgres'] : ['sqlite'];
    if (!engines.includes('postgres')) log(`PostgreSQL at ${PG_ADMIN} unreachable: its figures are skipped`);
    const best: Record<string, { archiver: number; plain: number; eventsOnly: number; rows: number }> = {};
    for (const engine of engines) {
      const b = (best[engine] = { archiver: 0, plain: 0, eventsOnly: 0, rows: 0 });
      let output: Output = [];
      for (let round_ = 0; round_ < ROUNDS; round_++) {
        const a = await freshArchive(engine, 'archive');
        try {
          const archiver = new Archiver({
            redis,
            historyKey: k.history,
            capturesKey: capturesKey(prefix),
            archive: a.archive,
            log: silentLogger,
            batchSize: BATCH,
          });
          const t0 = process.hrtime.bigint();
          const r = await archiver.drain();
          const perSecond = r.events / (elapsedMs(t0) / 1000);
          if (r.events !== events.length) throw new Error(`archiver wrote ${r.events} of ${events.length} events`);
          output = await outputOf(a.archive);
          b.rows = output.length;
          b.archiver = Math.max(b.archiver, perSecond);
        } finally {
          await a.drop();
        }
        // Same events per second, for the same output rows written by a plain loop.
        const p = await freshArchive(engine, 'archive');
        try {
          b.plain = Math.max(b.plain, events.length / (await plainInserts(p.archive, output)));
        } finally {
          await p.drop();
        }
        // And only the event rows (what a writer without legs, trips and aircraft would write).
        const q = await freshArchive(engine, 'archive');
        try {
          const only = rows.map((row) => ({ table: 'events' as const, row: row }));
          b.eventsOnly = Math.max(b.eventsOnly, events.length / (await plainInserts(q.archive, only)));
        } finally {
          await q.drop();
        }
        log(
          `${engine} round ${round_ + 1}: archiver ${Math.round(b.archiver)}/s, plain loop of its ${b.rows} rows ` +
            `${Math.round(b.plain)} events/s, plain loop of the event rows only ${Math.round(b.eventsOnly)}/s`,
        );
      }
    }

    // One year of history (SQLite) for the query figures: written in large transactions, as a rebuild would.
    let legs = 0;
    let yearEvents = 0;
    let yearMs = 0;
    let record: RecordFigures | undefined;
    let recordPg: RecordFigures | undefined;
    if (process.env.BENCH_YEAR !== '0') {
      const year = await freshArchive('sqlite', 'archive');
      try {
        const t0 = process.hrtime.bigint();
        yearEvents = await fillYear(year.archive);
        yearMs = elapsedMs(t0);
        const n = await year.archive.db
          .selectFrom('legs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        legs = Number(n.n);
        log(`year: ${yearEvents} events, ${legs} legs archived in ${Math.round(yearMs / 1000)} s`);
        // Query figures over the same year: monthly report p95, evidence export (scripts/bench/record-figures.ts).
        record = await measureRecordFigures(year.archive, { log });
      } finally {
        await year.drop();
      }
      // The same year and figures on PostgreSQL (the report's covering index on the other engine).
      if (engines.includes('postgres')) {
        const yearPg = await freshArchive('postgres', 'archive');
        try {
          const t0 = process.hrtime.bigint();
          const n = await fillYear(yearPg.archive);
          log(`year on postgres: ${n} events archived in ${Math.round(elapsedMs(t0) / 1000)} s`);
          recordPg = await measureRecordFigures(yearPg.archive, { log: (m) => log(`postgres ${m}`) });
        } finally {
          await yearPg.drop();
        }
      }
    }

    const s = best.sqlite!;
    const p = best.postgres;
    const out = {
      bench: 'archive',
      events: events.length,
      batch: BATCH,
      outputRows: s.rows,
      sqliteEventsPerSecond: Math.round(s.archiver),
      sqlitePlainEventsPerSecond: Math.round(s.plain),
      sqliteRatio: round(s.archiver / s.plain, 2),
      sqliteEventRowsOnlyPerSecond: Math.round(s.eventsOnly),
      sqliteEventRowsOnlyRatio: round(s.archiver / s.eventsOnly, 2),
      postgresEventsPerSecond: p ? Math.round(p.archiver) : null,
      postgresPlainEventsPerSecond: p ? Math.round(p.plain) : null,
      postgresRatio: p ? round(p.archiver / p.plain, 2) : null,
      postgresEventRowsOnlyPerSecond: p ? Math.round(p.eventsOnly) : null,
      postgresEventRowsOnlyRatio: p ? round(p.archiver / p.eventsOnly, 2) : null,
      legs,
      yearEvents,
      yearFillSeconds: round(yearMs / 1000, 1),
      reportP95Ms: record?.reportP95Ms ?? null,
      reportP95MsPostgres: recordPg?.reportP95Ms ?? null,
      reportBaselineP95MsPostgres: recordPg?.reportBaselineP95Ms ?? null,
      reportLegsP95Ms: record?.reportLegsP95Ms ?? null,
      reportLegsP95MsPostgres: recordPg?.reportLegsP95Ms ?? null,
      evidenceExportMsPostgres: recordPg?.evidenceExportMs ?? null,
      evidenceExportMs: record?.evidenceExportMs ?? null,
      record: record ?? null,
      recordPostgres: recordPg ?? null,
      targets: {
        sqliteEventsPerSecond: 5000,
        sqliteRatio: 0.5,
        postgresRatio: 0.5,
        legs: 100_000,
        reportP95Ms: 50,
        reportP95MsPostgres: 50,
        evidenceExportMs: 1000,
      },
      ok:
        s.archiver >= 5000 &&
        s.archiver / s.plain >= 0.5 &&
        (!p || p.archiver / p.plain >= 0.5) &&
        (process.env.BENCH_YEAR === '0' ||
          (legs >= 100_000 &&
            !!record &&
            record.reportP95Ms <= 50 &&
            record.evidenceExportMs <= 1000 &&
            (!recordPg || recordPg.reportP95Ms <= 50))),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    if (!out.ok) process.exitCode = 1;
  } finally {
    redis.disconnect();
    await redisServer.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench-archive: ${(e as Error).stack}\n`);
  process.exit(1);
});
