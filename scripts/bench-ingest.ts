/**
 * npm run bench:ingest — issue 2's ingest budget: parse + normalize + watchlist match of the real
 * 8,423-aircraft ADS-B Exchange snapshot, as a ratio to bare JSON.parse of the same bytes in the same run.
 * Target: ratio ≤ 1.25. Last stdout line: one JSON object with the figures.
 *
 * Method: samples of both operations run interleaved, alternating which goes first (so machine load and the
 * garbage each leaves behind fall on both alike), after a warm-up; a sample is the mean of BATCH back-to-back
 * runs; medians of the samples are compared.
 *
 * No forced GC between runs by default: a full mark-compact empties V8's inline/enum caches, so forcing one
 * before every run measures a state a poller meets only after the occasional full GC, not on every reply.
 * BENCH_GC=1 forces it anyway (the "cold" figure).
 *
 * Options (env): BENCH_ITERATIONS (samples per operation, default 30), BENCH_BATCH (runs per sample, default 5),
 * BENCH_WARMUP (default 10), BENCH_GC=1, FLIGHTWATCH_CONFIG.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { loadConfig } from '../src/config/load';
import { watchEntrySchema, type WatchEntry } from '../src/config/schema';
import { Watchlist } from '../src/domain/watchlist';
import { parseReadsbText } from '../src/sources/readsb/parse';
import { gcFunction } from './bench/gc';
import { elapsedMs, median, round } from './bench/stats';

const ROOT = resolve(__dirname, '..');
const FIXTURE = resolve(ROOT, '../shared/fixtures/adsbx-readsb-hist-20220501T000000Z-aircraft.json');
const CONFIG = resolve(ROOT, process.env.FLIGHTWATCH_CONFIG ?? 'config/flightwatch.yaml');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const BATCH = Math.max(1, Number(process.env.BENCH_BATCH ?? 5));

/** Used only when config/flightwatch.yaml is missing: the shape of the shipped removal-flight watchlist. */
const FALLBACK_WATCH = [
  { id: 'gulfstreams', match: { types: ['GLF5', 'GLF4'] } },
  {
    id: 'charter-callsigns',
    match: { callsignPrefixes: ['GXA', 'SWQ', 'WAL', 'BBQ', 'HWA', 'VXP', 'OAE', 'LYM', 'KAI', 'CSI'] },
  },
  {
    id: 'airframes',
    match: {
      hex: [
        'a0b145',
        'a2bd72',
        'a2c129',
        'a2c4e0',
        'a2c897',
        'a2d25e',
        'a2d615',
        'a2e13a',
        'a2f016',
        'a2f9dd',
        'a4d4cc',
        'a75013',
        'a835d1',
        'ad7274',
        'a8b479',
        'a8d231',
        'ad563d',
        'acb2ba',
        'a5b769',
        'a97075',
      ],
    },
  },
  { id: 'tails', match: { registrations: ['N917XA', 'N468AX', 'N276GX', 'N628VA'] } },
];

async function main(): Promise<void> {
  if (!existsSync(FIXTURE)) {
    console.error(`bench:ingest: fixture not found: ${FIXTURE} (needs ../shared next to the repo)`);
    process.exit(2);
  }
  let entries: WatchEntry[];
  let watchlistFrom: string;
  if (existsSync(CONFIG)) {
    entries = loadConfig(CONFIG).watch;
    watchlistFrom = CONFIG;
  } else {
    entries = FALLBACK_WATCH.map((e) => watchEntrySchema.parse(e));
    watchlistFrom = 'built-in fallback (config file missing)';
  }
  const watchlist = new Watchlist(entries);
  const text = readFileSync(FIXTURE, 'utf8');
  const bytes = Buffer.byteLength(text);
  const gc = process.env.BENCH_GC === '1' ? gcFunction() : undefined;

  let sink = 0; // keeps results alive so neither operation is optimized away
  let aircraft = 0;
  let matched = 0;
  const ingest = () => {
    const res = parseReadsbText(text, { sourceId: 'bench', fetchedAt: 1651363200000 });
    const hits = watchlist.filter(res.states);
    aircraft = res.states.length;
    matched = hits.length;
    return res.states.length + hits.length;
  };
  const bare = () => (JSON.parse(text) as { aircraft: unknown[] }).aircraft.length;

  // Wall time is the figure; process CPU time is reported too because on a shared (CI) machine other
  // processes stretch wall time of both operations unevenly.
  const wall = { parse: [] as number[], ingest: [] as number[] };
  const cpu = { parse: [] as number[], ingest: [] as number[] };
  const time = (fn: () => number, which?: 'parse' | 'ingest') => {
    gc?.();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < BATCH; b++) sink += fn();
    const ms = elapsedMs(t0) / BATCH;
    const c = process.cpuUsage(c0);
    if (which) {
      wall[which].push(ms);
      cpu[which].push((c.user + c.system) / 1000 / BATCH);
    }
  };
  // Each sample is its own event-loop task. Within a sample the same operation runs BATCH times back to
  // back, so the young-generation GCs an operation causes land (mostly) inside its own sample instead of
  // wherever the allocation counter happens to run over: a single-run timing swings with GC placement.
  const tick = () => new Promise<void>((r) => setImmediate(r));
  for (let i = 0; i < WARMUP; i++) {
    time(bare);
    await tick();
    time(ingest);
    await tick();
  }
  for (let i = 0; i < ITERATIONS; i++) {
    // Alternate the order so neither always runs right after the other's allocations.
    for (const which of i % 2 ? (['parse', 'ingest'] as const) : (['ingest', 'parse'] as const)) {
      time(which === 'parse' ? bare : ingest, which);
      await tick();
    }
  }

  const p = median(wall.parse);
  const q = median(wall.ingest);
  const cpuRatio = median(cpu.ingest) / median(cpu.parse);
  const result = {
    bench: 'ingest',
    fixture: 'adsbx-readsb-hist-20220501T000000Z-aircraft.json',
    bytes,
    aircraft,
    matched,
    watchEntries: watchlist.entries.length,
    watchlist: watchlistFrom,
    iterations: ITERATIONS,
    runsPerSample: BATCH,
    warmup: WARMUP,
    forcedGcBetweenRuns: !!gc,
    baseline: 'JSON.parse of the same text',
    parseMs: round(p),
    ingestMs: round(q),
    ratio: round(q / p),
    target: 1.25,
    pass: q / p <= 1.25,
    parseMinMs: round(Math.min(...wall.parse)),
    ingestMinMs: round(Math.min(...wall.ingest)),
    minRatio: round(Math.min(...wall.ingest) / Math.min(...wall.parse)),
    parseCpuMs: round(median(cpu.parse)),
    ingestCpuMs: round(median(cpu.ingest)),
    cpuRatio: round(cpuRatio),
    loadavg1: round(loadavg()[0] ?? NaN),
    cpus: cpus().length,
    node: process.version,
    // GC sizing changes the result (see docs/normalization.md), so say which flags were in force.
    nodeOptions: process.env.NODE_OPTIONS ?? '',
    sink: sink > 0,
  };
  console.log(
    `ingest ${aircraft} aircraft (${matched} matched): ${result.ingestMs} ms vs JSON.parse ${result.parseMs} ms → ratio ${result.ratio} (target ≤ 1.25)`,
  );
  console.log(JSON.stringify(result));
}

void main();
