/**
 * The flight record's figures for `npm run bench:archive` (issue 13): `reportP95Ms`, the monthly report over
 * the archive's year of legs (every month, 5 rounds after one warm-up round, nearest-rank p95; target ≤ 50 ms),
 * against a plain indexed count of the same month's legs and against the same report counted from leg_classes
 * alone (`reportLegsP95Ms`: the path before migration 009's day counts); and `evidenceExportMs`, a signed zip of a trip of 10 hours or more
 * (positions every 30 s, one stored reply per poll) loaded from the same archive (median of 5; target
 * ≤ 1,000 ms), against reading the same rows with plain queries.
 *
 * `measureRecordFigures(archive)` is called by scripts/bench-archive.ts once its year of history is archived.
 * Run alone (`npx ts-node --transpile-only scripts/bench/record-figures.ts [--pg]`) it fills a temporary
 * archive with the generated year itself (`--keep FILE`: into FILE, reused by later runs) and prints the
 * figures, last line JSON.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openArchive, type Archive } from '../../src/archive';
import { writeEvents } from '../../src/archive/write-events';
import { recordDb } from '../../src/archive/record-schema';
import { classifyStaleLegs } from '../../src/archive/classify/store';
import { buildReport } from '../../src/archive/report/report';
import { monthPeriod } from '../../src/archive/report/period';
import { loadEvidence } from '../../src/archive/evidence/load';
import { buildSignedBundle } from '../../src/archive/evidence/export';
import { loadOrCreateSigningKey } from '../../src/archive/evidence/keys';
import { writeBundle } from '../../src/archive/evidence/storage';
import { classifySchema } from '../../src/config/classify-schema';
import type { FlightEvent } from '../../src/domain/event';
import { generateHistory } from './flight-history';
import { syntheticTripEvidence, tripArchiveRows } from './record-fixtures';
import { elapsedMs, median, percentile, round } from './stats';
import { gcFunction } from './gc';

export interface RecordFigures {
  legs: number;
  /** Initial classification of every leg (setup, not a target). */
  classifyAllMs: number;
  reportP95Ms: number;
  reportMedianMs: number;
  reportSamples: number;
  /** Baseline: count(*) of the month's legs on the departure index, p95. */
  reportBaselineP95Ms: number;
  /** Baseline: the same report counted from leg_classes alone (before migration 009's day counts), p95. */
  reportLegsP95Ms: number;
  reportLegsMedianMs: number;
  evidenceExportMs: number;
  evidenceExportMaxMs: number;
  /** Baseline: the same legs, positions, replies and events read with plain queries, median. */
  evidenceReadBaselineMs: number;
  evidenceTripHours: number;
  evidencePositions: number;
  evidenceReplies: number;
  evidenceZipBytes: number;
}

const ROUNDS = 5;

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const end = last.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end || out.length > 240) return out;
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
}

/**
 * A trip of 10 hours or more (KIWA → PANC → ZYTX, positions every 30 s, one stored reply per poll) written into
 * the archive with its captures and events; returns it.
 */
export async function writeLongTrip(archive: Archive): Promise<ReturnType<typeof syntheticTripEvidence>> {
  const db = recordDb(archive.db);
  const trip = syntheticTripEvidence({
    route: ['KIWA', 'PANC', 'ZYTX'],
    hex: 'ee0010',
    start: Date.parse('2024-06-03T02:00:00Z'),
  });
  const rows = tripArchiveRows(trip);
  for (let i = 0; i < rows.replies.length; i += 200)
    await db
      .insertInto('raw_replies')
      .values(rows.replies.slice(i, i + 200))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  for (let i = 0; i < rows.positions.length; i += 200)
    await db
      .insertInto('leg_positions')
      .values(rows.positions.slice(i, i + 200))
      .onConflict((oc) => oc.columns(['hex', 't']).doNothing())
      .execute();
  await writeEvents(
    archive.db,
    rows.events.map((event) => ({ event })),
  );

  return trip;
}

export async function measureRecordFigures(
  archive: Archive,
  o: { log?: (s: string) => void } = {},
): Promise<RecordFigures> {
  const log = o.log ?? (() => undefined);
  const db = recordDb(archive.db);
  const rules = classifySchema.parse(undefined);

  // The 10-hour (or longer) trip, written before classification so it is classified with the rest.
  const trip = await writeLongTrip(archive);
  const rows = tripArchiveRows(trip);

  let t0 = process.hrtime.bigint();
  await classifyStaleLegs(db, rules);
  const classifyAllMs = elapsedMs(t0);
  const legs = Number(
    (
      await db
        .selectFrom('legs')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const span = await db
    .selectFrom('legs')
    .select([sql<string>`min(departed_at)`.as('first'), sql<string>`max(departed_at)`.as('last')])
    .where('departed_at', '>=', '2024-07-01') // the months of the generated year, not the bench trip
    .executeTakeFirstOrThrow();
  const months = monthsBetween(span.first, span.last);
  log(
    `record: ${legs} legs classified in ${round(classifyAllMs, 0)} ms; report over ${months.length} months × ${ROUNDS}`,
  );

  const reportMs: number[] = [];
  const baselineMs: number[] = [];
  const legsMs: number[] = [];
  const gc = gcFunction();
  // Round 0 warms the page cache after the bulk classification just written, and is not counted.
  for (let r = 0; r <= ROUNDS; r++) {
    gc?.();
    for (const m of months) {
      const p = monthPeriod(m);
      t0 = process.hrtime.bigint();
      await db
        .selectFrom('legs')
        .select(sql<number>`count(*)`.as('n'))
        .where('departed_at', '>=', p.from)
        .where('departed_at', '<', p.to)
        .executeTakeFirstOrThrow();
      const baseline = elapsedMs(t0);
      t0 = process.hrtime.bigint();
      await buildReport(db, p);
      const report = elapsedMs(t0);
      t0 = process.hrtime.bigint();
      await buildReport(db, p, { source: 'legs' });
      const legsReport = elapsedMs(t0);
      if (r === 0) continue;
      baselineMs.push(baseline);
      reportMs.push(report);
      legsMs.push(legsReport);
    }
  }

  const tmp = mkdtempSync(join(tmpdir(), 'fw-bench-evidence-'));
  const exportMs: number[] = [];
  const readMs: number[] = [];
  let zipBytes = 0;
  try {
    const key = loadOrCreateSigningKey(tmp, {});
    const tripId = trip.subject.id;
    for (let r = 0; r < ROUNDS; r++) {
      t0 = process.hrtime.bigint();
      const legRows = await db.selectFrom('legs').selectAll().where('trip_id', '=', tripId).execute();
      const ids = legRows.map((l) => l.id);
      const pos = await db.selectFrom('leg_positions').selectAll().where('leg_id', 'in', ids).execute();
      const replyIds = [...new Set(pos.map((p) => p.reply_id).filter((x): x is string => x !== null))];
      for (let i = 0; i < replyIds.length; i += 500)
        await db
          .selectFrom('raw_replies')
          .selectAll()
          .where('id', 'in', replyIds.slice(i, i + 500))
          .execute();
      await db.selectFrom('events').selectAll().where('trip_id', '=', tripId).execute();
      readMs.push(elapsedMs(t0));

      const out = join(tmp, `trip-${r}.zip`);
      t0 = process.hrtime.bigint();
      const input = await loadEvidence(db, tripId, () => []);
      writeBundle(buildSignedBundle(input, key), out);
      exportMs.push(elapsedMs(t0));
      zipBytes = statSync(out).size;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const first = Date.parse(trip.legs[0]?.departedAt ?? '');
  const last = Date.parse(trip.legs.at(-1)?.arrivedAt ?? '');
  return {
    legs,
    classifyAllMs: round(classifyAllMs, 0),
    reportP95Ms: round(percentile(reportMs, 95), 2),
    reportMedianMs: round(median(reportMs), 2),
    reportSamples: reportMs.length,
    reportBaselineP95Ms: round(percentile(baselineMs, 95), 2),
    reportLegsP95Ms: round(percentile(legsMs, 95), 2),
    reportLegsMedianMs: round(median(legsMs), 2),
    evidenceExportMs: round(median(exportMs), 1),
    evidenceExportMaxMs: round(Math.max(...exportMs), 1),
    evidenceReadBaselineMs: round(median(readMs), 1),
    evidenceTripHours: round((last - first) / 3_600_000, 1),
    evidencePositions: rows.positions.length,
    evidenceReplies: rows.replies.length,
    evidenceZipBytes: zipBytes,
  };
}

/**
 * Standalone: a temporary archive (SQLite, or PostgreSQL with --pg and DATABASE_URL) filled with the generated
 * year; `--keep FILE` archives it into FILE once and reuses it on later runs (SQLite).
 */
async function main(): Promise<void> {
  const usePg = process.argv.includes('--pg');
  const keepAt = process.argv.indexOf('--keep');
  const keep = keepAt > 0 ? process.argv[keepAt + 1] : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-record-'));
  const file = keep ?? join(dir, 'archive.sqlite');
  const reuse = keep !== undefined && existsSync(keep);
  const archive = await openArchive(usePg ? { databaseUrl: process.env.DATABASE_URL } : { file });
  try {
    if (!reuse) await archiveYear(archive);
    const figures = await measureRecordFigures(archive, { log: (s) => process.stdout.write(`${s}\n`) });
    process.stdout.write(`${JSON.stringify({ engine: archive.engine, ...figures })}\n`);
  } finally {
    await archive.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The generated year (from 2024-07-01) archived as the worker would, in batches of 2,000 events. */
export async function archiveYear(archive: Archive): Promise<void> {
  let batch: { event: FlightEvent }[] = [];
  let n = 0;
  const t0 = process.hrtime.bigint();
  for (const event of generateHistory({ start: Date.UTC(2024, 6, 1) })) {
    batch.push({ event });
    if (batch.length === 2000) {
      await writeEvents(archive.db, batch);
      n += batch.length;
      batch = [];
    }
  }
  await writeEvents(archive.db, batch);
  n += batch.length;
  process.stdout.write(`archived ${n} generated events in ${round(elapsedMs(t0) / 1000, 1)} s (${archive.engine})\n`);
}

if (require.main === module)
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
