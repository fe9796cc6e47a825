/**
 * Nearest-airport benchmark (issue 3, Performance part 2): kd-tree index vs a linear haversine scan over the
 * same airports, measured in the same run. Query points: most within 20 nm of a random airport (the worker's
 * case: "which airport is this aircraft at"), some over open ocean (no airport in range: the worst case
 * for a box search). Median per-lookup µs from timed batches. `benchNearest` is also called by bench:detect.
 *
 *   npm run bench:nearest [-- --dir data --lookups 20000]
 * Last stdout line: one JSON object.
 */
import type { Airport, AirportIndex } from '../src/places/airport-index';
import { EARTH_RADIUS_NM, normalizeLon, RAD } from '../src/geo/sphere';
import { createAirportIndex, type KdAirportIndex } from '../src/places/kd-airport-index';
import { LinearAirportIndex } from '../src/places/linear-airport-index';
import { mulberry32 } from '../src/sim/random';
import { elapsedMs, median, round } from './bench/stats';

export interface BenchNearestOptions {
  /** Indexed lookups (default 20,000). */
  lookups?: number;
  /** Linear-scan lookups (default 400; each scans every airport). */
  linearLookups?: number;
  /** Search radius, nm (default 25). */
  maxNm?: number;
  /** Share of query points over open ocean (default 0.1). */
  oceanShare?: number;
  seed?: number;
}

export interface BenchNearestResult {
  airports: number;
  nearestIndexedUs: number;
  nearestLinearUs: number;
  speedup: number;
  lookups: number;
  linearLookups: number;
  maxNm: number;
  /** Share of indexed lookups that found an airport. */
  hitRate: number;
  /** Lookups where index and linear scan disagreed on the distance (must be 0). */
  mismatches: number;
}

/** Accepts a built index (its airports are re-used for the baseline) or a plain airport list. */
export function benchNearest(
  source: KdAirportIndex | readonly Airport[],
  opts: BenchNearestOptions = {},
): BenchNearestResult {
  const airports = isIndex(source) ? source.airports : source;
  const index = isIndex(source) ? source : createAirportIndex(airports);
  const linear = new LinearAirportIndex(airports);
  const lookups = opts.lookups ?? 20_000;
  const linearLookups = opts.linearLookups ?? 400;
  const maxNm = opts.maxNm ?? 25;
  const points = queryPoints(airports, Math.max(lookups, linearLookups), opts.oceanShare ?? 0.1, opts.seed ?? 42);
  const q = { maxNm };

  // Warm-up so the JIT has compiled both paths before timing.
  for (let i = 0; i < Math.min(2000, points.length); i++) index.nearest(points[i]![0], points[i]![1], q);
  for (let i = 0; i < 20; i++) linear.nearest(points[i]![0], points[i]![1], q);

  let hits = 0;
  const indexed = timeBatches(lookups, 250, (i) => {
    if (index.nearest(points[i]![0], points[i]![1], q)) hits++;
  });
  const linearUs = timeBatches(linearLookups, 10, (i) => {
    linear.nearest(points[i]![0], points[i]![1], q);
  });

  let mismatches = 0;
  for (let i = 0; i < linearLookups; i++) {
    const a = index.nearest(points[i]![0], points[i]![1], q);
    const b = linear.nearest(points[i]![0], points[i]![1], q);
    if (Boolean(a) !== Boolean(b) || (a && b && Math.abs(a.distanceNm - b.distanceNm) > 1e-6)) mismatches++;
  }
  return {
    airports: airports.length,
    nearestIndexedUs: round(indexed),
    nearestLinearUs: round(linearUs),
    speedup: round(linearUs / indexed, 1),
    lookups,
    linearLookups,
    maxNm,
    hitRate: round(hits / lookups),
    mismatches,
  };
}

/** Median over batches of the per-lookup time (µs); batches smooth out timer resolution. */
function timeBatches(n: number, batch: number, fn: (i: number) => void): number {
  const per: number[] = [];
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch);
    const t0 = process.hrtime.bigint();
    for (let i = start; i < end; i++) fn(i);
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / (end - start));
  }
  return median(per);
}

const OCEANS: readonly [number, number][] = [
  [-30, -140], // South Pacific
  [35, -40], // North Atlantic
  [-40, 80], // Indian Ocean
  [-60, -100], // Southern Ocean
  [10, -170], // Central Pacific, near the antimeridian
  [-5, -25], // equatorial Atlantic
];

/** Deterministic points: near airports (random bearing, ≤ 20 nm) or jittered around open-ocean spots. */
export function queryPoints(
  airports: readonly Airport[],
  n: number,
  oceanShare: number,
  seed: number,
): [number, number][] {
  const rnd = mulberry32(seed);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (rnd() < oceanShare) {
      const [lat, lon] = OCEANS[Math.floor(rnd() * OCEANS.length)]!;
      out.push([lat + (rnd() - 0.5) * 6, normalizeLon(lon + (rnd() - 0.5) * 6)]);
      continue;
    }
    const a = airports[Math.floor(rnd() * airports.length)]!;
    out.push(offset(a.lat, a.lon, rnd() * 2 * Math.PI, rnd() * 20));
  }
  return out;
}

/** Destination point from (lat, lon) along a bearing for a distance (nm), great circle. */
function offset(lat: number, lon: number, bearing: number, nm: number): [number, number] {
  const d = nm / EARTH_RADIUS_NM;
  const p1 = lat * RAD;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(bearing));
  const l2 =
    lon * RAD + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [p2 / RAD, normalizeLon(l2 / RAD)];
}

const isIndex = (s: unknown): s is KdAirportIndex =>
  !Array.isArray(s) && typeof (s as AirportIndex).nearest === 'function';

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const { loadAirportTable } = await import('../src/data/load-airports');
  const table = await loadAirportTable({
    dir: arg('dir') ?? process.env.FLIGHTWATCH_DATA_DIR ?? 'data',
    warn: (m) => process.stderr.write(`${m}\n`),
  });
  const t0 = process.hrtime.bigint();
  const index = createAirportIndex(table.airports, table.countries);
  const buildMs = elapsedMs(t0);
  const r = benchNearest(index, { lookups: Number(arg('lookups') ?? 20_000), maxNm: Number(arg('max-nm') ?? 25) });
  process.stdout.write(`airports ${r.airports} (${table.origin}), index built in ${buildMs.toFixed(0)} ms\n`);
  process.stdout.write(
    `nearest indexed ${r.nearestIndexedUs} µs, linear ${r.nearestLinearUs} µs, speedup ${r.speedup}×, hit rate ${r.hitRate}\n`,
  );
  const ok = r.mismatches === 0 && r.airports >= 30_000 && r.speedup >= 50 && r.nearestIndexedUs <= 5;
  process.stdout.write(
    JSON.stringify({
      bench: 'nearest',
      origin: table.origin,
      ...r,
      indexBuildMs: Math.round(buildMs),
      baseline: 'linear haversine scan over the same airports, same run',
      target: { airports: 30_000, speedup: 50, nearestIndexedUs: 5 },
      ok,
    }) + '\n',
  );
  if (r.mismatches) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench-nearest: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
