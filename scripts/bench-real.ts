/**
 * npm run bench:real — issue 12: detection on real recorded flights (scripts/bench/real-cases.ts: truth from
 * the data's own on-ground flags, cut variants with the signal lost 2, 5 and 10 minutes before touchdown,
 * traces lost on final, transit traffic and noisy ground flags).
 *
 * Baseline in the same run: the detector as it was before issue 12 (commit 037452d), extracted with
 * `git archive 037452d src` into a temporary directory and loaded next to the current one; both get the same
 * airport index and the same cases through the same entry point (createDetector().process).
 *
 * Options (env): FLIGHTWATCH_DATA_DIR (airport table dir, default data → npm fallback), BENCH_REAL_TRANSIT=0
 * (skip the 842 transit traces), BENCH_REAL_VERBOSE=1 (print every miss).
 * Last stdout line: one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAirportTable } from '../src/data/load-airports';
import { createDetector } from '../src/detect';
import type { Detector } from '../src/detect/types';
import type { AirportIndex } from '../src/places/airport-index';
import { createAirportIndex } from '../src/places/kd-airport-index';
import { buildRealCases, type RealCase } from './bench/real-cases';
import { runCase, scoreCase, type CaseScore } from './bench/real-score';
import { median, percentile, round } from './bench/stats';

const BASELINE_COMMIT = '037452d';
const ROOT = resolve(__dirname, '..');

type Factory = (airports: AirportIndex) => Detector;

/** The pre-issue detector, from git, next to the current one. The caller removes the directory. */
function loadBaseline(): { factory: Factory; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flightwatch-baseline-'));
  const tar = execFileSync('git', ['-C', ROOT, 'archive', BASELINE_COMMIT, 'src']);
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time from the extracted commit
  const mod = require(join(dir, 'src/detect')) as { createDetector: typeof createDetector };
  return { factory: (airports) => mod.createDetector({ airports, maxPositionAgeS: 60 }), dir };
}

interface Totals {
  cases: number;
  expected: number;
  eventsRight: number;
  airportsExpected: number;
  airportsRight: number;
  falseEvents: number;
  unverifiable: number;
  unclosedLegs: number;
  timing: number[];
  /** Timing errors of transitions the data shows (ground flags), not of inferred ones. */
  observedTiming: number[];
  bySet: Record<
    string,
    {
      cases: number;
      eventsRight: number;
      expected: number;
      airportsRight: number;
      airportsExpected: number;
      falseEvents: number;
    }
  >;
  misses: string[];
}

async function evaluate(factory: Factory, airports: AirportIndex, cases: readonly RealCase[]): Promise<Totals> {
  const t: Totals = {
    cases: 0,
    expected: 0,
    eventsRight: 0,
    airportsExpected: 0,
    airportsRight: 0,
    falseEvents: 0,
    unverifiable: 0,
    unclosedLegs: 0,
    timing: [],
    observedTiming: [],
    bySet: {},
    misses: [],
  };
  for (const c of cases) {
    const s: CaseScore = scoreCase(c, await runCase(factory(airports), c));
    t.cases++;
    t.expected += s.expected;
    t.eventsRight += s.right;
    t.airportsExpected += s.airportsExpected;
    t.airportsRight += s.airportsRight;
    t.falseEvents += s.falseEvents;
    t.unclosedLegs += s.unclosedLegs;
    t.unverifiable += s.unverifiable;
    t.timing.push(...s.timingErrorsS);
    if (c.set === 'observed' || c.set === 'noisy-ground') t.observedTiming.push(...s.timingErrorsS);
    const b = (t.bySet[c.set] ??= {
      cases: 0,
      eventsRight: 0,
      expected: 0,
      airportsRight: 0,
      airportsExpected: 0,
      falseEvents: 0,
    });
    b.cases++;
    b.eventsRight += s.right;
    b.expected += s.expected;
    b.airportsRight += s.airportsRight;
    b.airportsExpected += s.airportsExpected;
    b.falseEvents += s.falseEvents;
    for (const m of s.misses) t.misses.push(`${c.name}: ${m}`);
    if (s.falseEvents) t.misses.push(`${c.name}: ${s.falseEvents} false event(s)`);
  }
  return t;
}

function figures(t: Totals) {
  return {
    cases: t.cases,
    expectedEvents: t.expected,
    eventsRight: t.eventsRight,
    airportsExpected: t.airportsExpected,
    airportsRight: t.airportsRight,
    falseEvents: t.falseEvents,
    unverifiableEvents: t.unverifiable,
    unclosedLegs: t.unclosedLegs,
    timingErrorMedianS: round(median(t.timing), 1),
    timingErrorP90S: round(percentile(t.timing, 90), 1),
    observedTimingErrorMedianS: round(median(t.observedTiming), 1),
    observedTimingErrorP90S: round(percentile(t.observedTiming, 90), 1),
    cut5AirportRightPct: pct(t.bySet['cut-5']?.airportsRight, t.bySet['cut-5']?.airportsExpected),
    bySet: t.bySet,
  };
}

const pct = (a = 0, b = 0) => (b ? round((100 * a) / b, 1) : null);

async function main(): Promise<void> {
  const table = await loadAirportTable({ dir: process.env.FLIGHTWATCH_DATA_DIR, warn: (m) => console.error(m) });
  const airports = createAirportIndex(table.airports, table.countries);
  const cases = buildRealCases(airports, { transit: process.env.BENCH_REAL_TRANSIT !== '0' });
  const baseline = loadBaseline();
  try {
    const now = await evaluate((a) => createDetector({ airports: a, maxPositionAgeS: 60 }), airports, cases);
    const before = await evaluate(baseline.factory, airports, cases);
    const verbose = process.env.BENCH_REAL_VERBOSE === '1';
    for (const [label, t] of [
      ['current', now],
      ['baseline', before],
    ] as const) {
      console.log(`${label}: ${t.misses.length} miss(es)`);
      for (const m of verbose ? t.misses : t.misses.slice(0, 15)) console.log(`  ${m}`);
    }
    console.log(
      JSON.stringify({
        airportTable: table.origin,
        ...figures(now),
        baseline: { commit: BASELINE_COMMIT, ...figures(before) },
      }),
    );
  } finally {
    rmSync(baseline.dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
