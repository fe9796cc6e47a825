/**
 * npm run bench:console — issue 14's console figures, server side, over one year of generated history
 * (scripts/bench/flight-history.ts: ≥ 100,000 legs, classified, ~1.5 % of them reviewed) in an SQLite archive.
 *
 * Method. Handler time = the page function (query + render) plus the layout around it, called as the server
 * calls it, for several filter mixes of the Trips page (none, a month, a country, category + confidence,
 * operator + review state, one airframe, country + month + category, page 2) and every month of the Report.
 * Baseline, measured in the same run: the raw query alone for the same filters — the matching legs of the
 * first page read straight off leg_classes (one SELECT … ORDER BY at DESC LIMIT 26), no trips, no render.
 * Rounds: one warm-up round, then ROUNDS rounds of every mix; p95 is nearest-rank over all samples.
 * The Report page (src/web/pages/report.ts: the report query, its tables and SVG charts) for every month.
 * firstPageKB: the console served over HTTP (public mode, as `flightwatch web` would), GET / and every
 * stylesheet and script it references, bytes on the wire summed (HTML + CSS + JS + inline SVG). The same for
 * /trips and the Trip page of a 13-hour trip with 1,500 positions (the heaviest map).
 *
 * Env: BENCH_ARCHIVE=FILE fills FILE once and reuses it (filling takes minutes); BENCH_ROUNDS (default 20).
 * Last stdout line: one JSON object.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openArchive, type Archive } from '../src/archive';
import { recordDb, type RecordDatabase } from '../src/archive/record-schema';
import { classifyStaleLegs } from '../src/archive/classify/store';
import { reviewLeg } from '../src/archive/review/store';
import { classifySchema } from '../src/config/classify-schema';
import { webSchema } from '../src/config/web-schema';
import { silentLogger } from '../src/util/log';
import { renderLayout } from '../src/web/layout';
import type { Page, PageContext } from '../src/web/page';
import { reportPage } from '../src/web/pages/report';
import type { ConsoleDeps } from '../src/web/deps';
import { loadAirportNamer } from '../src/reports';
import { tripsPage } from '../src/web/pages/trips';
import { parseLegFilter } from '../src/web/queries/filters';
import { legFilterWhere } from '../src/web/queries/leg-filter-sql';
import { listTrips } from '../src/web/queries/trips';
import { encodeKeyset } from '../src/web/queries/leg-filter-sql';
import { startConsole } from '../src/web/server';
import { loadOrCreateSigningKey } from '../src/archive/evidence/keys';
import type { Kysely } from 'kysely';
import { archiveYear, writeLongTrip } from './bench/record-figures';
import { elapsedMs, median, percentile, round } from './bench/stats';
import { gcFunction } from './bench/gc';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const log = (s: string) => void process.stderr.write(`bench-console: ${s}\n`);

async function fill(archive: Archive): Promise<void> {
  const db = recordDb(archive.db);
  const n = Number(
    (
      await db
        .selectFrom('legs')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (n === 0) {
    log('archiving the generated year (takes minutes)');
    await archiveYear(archive);
    await writeLongTrip(archive);
  }
  const t0 = process.hrtime.bigint();
  const classified = await classifyStaleLegs(db, classifySchema.parse(undefined));
  if (classified) log(`${classified} legs classified in ${round(elapsedMs(t0) / 1000, 1)} s`);
  const reviewed = await db
    .selectFrom('leg_reviews')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  if (Number(reviewed.n) > 0) return;
  // Every 67th leg confirmed, every 331st rejected: the review filter has something to find all year.
  const ids = await db.selectFrom('legs').select('id').orderBy('id').execute();
  const at = new Date('2025-07-15T00:00:00Z');
  for (const [i, { id }] of ids.entries()) {
    if (i % 331 === 0) await reviewLeg(db, { legId: id, reviewer: 'bench', at }, { action: 'reject', note: 'bench' });
    else if (i % 67 === 0) await reviewLeg(db, { legId: id, reviewer: 'bench', at }, { action: 'confirm' });
  }
  log('reviews written');
}

const ctxFor = (db: Kysely<RecordDatabase>, query: Record<string, string>, now: Date): PageContext => ({
  db,
  query: new URLSearchParams(query),
  params: {},
  role: 'public',
  user: null,
  csrfToken: 'bench',
  hiddenFields: new Set(),
  now,
});

/** The handler as the server runs it: the page, then the layout around it. */
async function handle(page: Page, ctx: PageContext): Promise<number> {
  const r = await page(ctx);
  return renderLayout({ title: r.title, body: r.body, nav: [], path: '/', role: 'public', user: null, csrfToken: '' })
    .length;
}

/** The raw query for a filter: the first page's matching legs, straight off leg_classes. */
async function rawQuery(db: Kysely<RecordDatabase>, query: Record<string, string>): Promise<number> {
  const { filter } = parseLegFilter(new URLSearchParams(query));
  const rows = await db
    .selectFrom('leg_classes as c')
    .select(['c.leg_id', 'c.at', 'c.hex'])
    .where((eb) => legFilterWhere(eb, filter))
    .orderBy('c.at', 'desc')
    .orderBy('c.leg_id', 'desc')
    .limit(26)
    .execute();
  return rows.length;
}

/** Bytes of a page and of every stylesheet and script it references, over HTTP. */
async function transferKB(base: string, path: string): Promise<number> {
  const page = Buffer.from(await (await fetch(base + path)).arrayBuffer());
  const refs = [...page.toString('utf8').matchAll(/<(?:link[^>]+href|script[^>]+src)="([^"]+)"/g)].map((m) => m[1]!);
  let bytes = page.length;
  for (const ref of new Set(refs.map((r) => r.replaceAll('&amp;', '&'))))
    bytes += (await (await fetch(base + ref)).arrayBuffer()).byteLength;
  return bytes / 1024;
}

async function main(): Promise<void> {
  const keep = process.env.BENCH_ARCHIVE;
  const dir = mkdtempSync(join(tmpdir(), 'fw-bench-console-'));
  // The airport names of the default data dir ("data"), as a console on the shipped config reads them.
  const deps: ConsoleDeps = {
    watch: () => [],
    evidenceKey: () => loadOrCreateSigningKey(dir, {}),
    airports: () => loadAirportNamer(),
  };
  const file = keep ?? join(dir, 'archive.sqlite');
  if (keep && existsSync(keep)) log(`reusing ${keep}`);
  const archive = await openArchive({ file });
  const db = recordDb(archive.db);
  try {
    await fill(archive);
    const legs = Number(
      (
        await db
          .selectFrom('legs')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const span = await db
      .selectFrom('leg_classes')
      .select([sql<string>`min(at)`.as('first'), sql<string>`max(at)`.as('last')])
      .where('at', '>=', '2024-07-01')
      .executeTakeFirstOrThrow();
    const now = new Date(Date.parse(span.last) + 3_600_000);
    const month = span.last.slice(0, 7);
    const monthBefore = new Date(Date.parse(`${month}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 7);
    const operator = (await db.selectFrom('aircraft').select('operator').executeTakeFirst())?.operator ?? '';
    const hex = (await db.selectFrom('aircraft').select('hex').orderBy('hex').executeTakeFirstOrThrow()).hex;
    const page2 = await listTrips(db, {}, {});
    const mixes: Record<string, Record<string, string>> = {
      none: {},
      month: { from: `${monthBefore}-01`, to: `${monthBefore}-28` },
      country: { country: 'GT' },
      removalConfirmed: { category: 'removal', confidence: 'confirmed' },
      operatorUnreviewed: { operator, review: 'unreviewed' },
      airframe: { aircraft: hex },
      countryMonthRemoval: { country: 'HN', from: `${monthBefore}-01`, to: `${monthBefore}-28`, category: 'removal' },
      rejected: { review: 'rejected' },
      page2: page2.next ? { page: encodeKeyset(page2.next) } : {},
    };
    const months: string[] = [];
    for (let m = span.first.slice(0, 7); m <= month;) {
      months.push(m);
      const d = new Date(Date.parse(`${m}-01T00:00:00Z`) + 32 * 86_400_000);
      m = d.toISOString().slice(0, 7);
    }
    log(`${legs} legs; trips mixes: ${Object.keys(mixes).join(', ')}; report: ${months.length} months`);

    const trips: number[] = [];
    const raw: number[] = [];
    const report: number[] = [];
    const perMix: Record<string, number[]> = {};
    const gc = gcFunction();
    for (let r = 0; r <= ROUNDS; r++) {
      gc?.();
      for (const [name, q] of Object.entries(mixes)) {
        let t0 = process.hrtime.bigint();
        await rawQuery(db, q);
        const rawMs = elapsedMs(t0);
        t0 = process.hrtime.bigint();
        await handle(tripsPage, ctxFor(db, q, now));
        const pageMs = elapsedMs(t0);
        if (r === 0) continue; // warm-up
        raw.push(rawMs);
        trips.push(pageMs);
        (perMix[name] ??= []).push(pageMs);
      }
      for (const m of months) {
        const t0 = process.hrtime.bigint();
        await handle(reportPage(deps), ctxFor(db, { period: m }, now));
        if (r > 0) report.push(elapsedMs(t0));
      }
    }

    const server = await startConsole({
      web: webSchema.parse({ publicMode: { enabled: true }, sessionSecretEnv: 'BENCH_SESSION_SECRET' }),
      db,
      env: { BENCH_SESSION_SECRET: 'bench-console-session-secret-0123456789abcdef' },
      log: silentLogger,
      port: 0,
      now: () => now,
      deps,
    });
    let firstPageKB = 0;
    let tripsPageKB = 0;
    let tripPageKB = 0;
    try {
      firstPageKB = await transferKB(server.url, '/');
      tripsPageKB = await transferKB(server.url, '/trips');
      const longTrip = await db.selectFrom('legs').select('trip_id').where('hex', '=', 'ee0010').executeTakeFirst();
      if (longTrip?.trip_id)
        tripPageKB = await transferKB(server.url, `/trips/${encodeURIComponent(longTrip.trip_id)}`);
    } finally {
      await server.close();
    }

    const p95 = (xs: number[]) => round(percentile(xs, 95), 2);
    const figures = {
      legs,
      tripsP95Ms: p95(trips),
      tripsMedianMs: round(median(trips), 2),
      tripsP95MsByMix: Object.fromEntries(Object.entries(perMix).map(([k, v]) => [k, p95(v)])),
      reportP95Ms: p95(report),
      rawQueryP95Ms: p95(raw),
      firstPageKB: round(firstPageKB, 1),
      tripsPageKB: round(tripsPageKB, 1),
      tripPageKB: round(tripPageKB, 1),
      samples: { trips: trips.length, report: report.length, raw: raw.length },
      targets: { tripsP95Ms: 100, reportP95Ms: 100, firstPageKB: 300 },
      // A shared host inflates every time alike; this says how busy it was.
      host: { cpus: cpus().length, loadAverage1m: round(loadavg()[0] ?? 0, 1) },
      baseline: 'raw query',
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await archive.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
