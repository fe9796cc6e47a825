/**
 * Builds the demo flight the project ships no data for: a Gulfstream V leaving Alexandria, Louisiana (KAEX),
 * stopping for fuel at Anchorage (PANC) and landing at Shenyang Taoxian (ZYTX), flown along great circles by
 * src/sim, and writes it as a readsb trace_full file that `flightwatch replay` (and `npm run demo`) reads.
 * The aircraft is fictional: N0DEMO cannot be a real N-number, and hex adfd5d is in the unassigned part of
 * the US block. Deterministic: the same start time gives the same file.
 *
 *   npx tsx scripts/make-demo-flight.ts [OUT_FILE] [--start ISO]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generateTrace, type SimAirport, type Trace } from '../src/sim';
import { toTraceDoc } from '../src/replay/trace-writer';

export const DEMO_HEX = 'adfd5d';
export const DEMO_REGISTRATION = 'N0DEMO';

const KAEX: SimAirport = { icao: 'KAEX', lat: 31.3274, lon: -92.5498, elevationFt: 89 };
const PANC: SimAirport = { icao: 'PANC', lat: 61.1744, lon: -149.996, elevationFt: 152 };
const ZYTX: SimAirport = { icao: 'ZYTX', lat: 41.6398, lon: 123.483, elevationFt: 198 };

/** A fixed start keeps the demo's alerts (ids, times) the same on every run. */
export const DEMO_START = Date.UTC(2026, 0, 14, 13, 0, 0);

export function makeDemoFlight(start = DEMO_START): Trace {
  return generateTrace({
    hex: DEMO_HEX,
    start,
    registration: DEMO_REGISTRATION,
    type: 'GLF5',
    callsign: 'DEMO55',
    operator: 'flightwatch demo (fictional aircraft)',
    intervalS: 30,
    sourceId: 'demo',
    legs: [
      { from: KAEX, to: PANC, groundBeforeMin: 15, cruiseAltFt: 45_000, cruiseKt: 470 },
      { from: PANC, to: ZYTX, groundBeforeMin: 75, cruiseAltFt: 43_000, cruiseKt: 470 },
    ],
    groundAfterMin: 20,
  });
}

/** Writes the trace_full JSON; returns the file and the legs (for printing). */
export function writeDemoFlight(file: string, start = DEMO_START): { file: string; trace: Trace } {
  const trace = makeDemoFlight(start);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(toTraceDoc(trace.states)));
  return { file, trace };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--start');
  const start = i >= 0 ? Date.parse(args[i + 1] ?? '') : DEMO_START;
  if (!Number.isFinite(start)) {
    process.stderr.write(`--start: ${JSON.stringify(args[i + 1])} is not an ISO time\n`);
    process.exit(2);
  }
  const out = resolve(
    args.find((a, j) => !a.startsWith('--') && args[j - 1] !== '--start') ??
      `demo-output/flight/trace_full_${DEMO_HEX}.json`,
  );
  const { trace } = writeDemoFlight(out, start);
  for (const l of trace.legs)
    process.stdout.write(
      `${l.from} → ${l.to}: ${Math.round(l.distanceNm)} nm, takeoff ${new Date(l.takeoffAt).toISOString()}, landing ${new Date(l.landingAt).toISOString()}\n`,
    );
  process.stdout.write(`${trace.states.length} positions → ${out}\n`);
}
