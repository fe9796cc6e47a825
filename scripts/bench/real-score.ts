/**
 * Runs a detector over a real-data case (scripts/bench/real-cases.ts) the way `flightwatch replay` does — each
 * position its own step, then the clock running on for an hour so timers fire — and scores its takeoffs and
 * landings against the case's truth.
 */
import type { FlightEvent } from '../../src/domain/event';
import type { Detector } from '../../src/detect/types';
import { GAP_MS, type RealCase, type Truth } from './real-cases';

const MIN = 60_000;
/** A detected event answers a truth event of its type within this time (inferred landings are estimates). */
const MATCH_WINDOW_MS = 30 * MIN;
const TAIL_MS = 60 * MIN;

export async function runCase(detector: Detector, c: RealCase): Promise<FlightEvent[]> {
  const out: FlightEvent[] = [];
  let now = 0;
  for (const r of c.records) {
    now = Math.max(now, r.observedAt);
    out.push(...(await detector.process([r], now)));
  }
  for (const end = now + TAIL_MS; now < end;) {
    now += MIN;
    out.push(...(await detector.process([], now)));
  }
  return out;
}

export interface CaseScore {
  expected: number;
  /** Truth events answered by a detected event of the same type. */
  right: number;
  /** …of which at the right airport (truth events with a known airport only). */
  airportsExpected: number;
  airportsRight: number;
  /** Takeoffs and landings that answer no truth event. */
  falseEvents: number;
  /** |detected − truth| in seconds, for timed truth events. */
  timingErrorsS: number[];
  /** Unmatched events inside a gap of the data (a landing nobody received): neither right nor false. */
  unverifiable: number;
  /** Takeoff after takeoff (or landing after landing) among the detected events: a transition lost. */
  unclosedLegs: number;
  misses: string[];
}

export function scoreCase(c: RealCase, events: readonly FlightEvent[]): CaseScore {
  const detected = events.filter((e) => e.type === 'takeoff' || e.type === 'landing');
  const used = new Set<FlightEvent>();
  const s: CaseScore = {
    expected: c.truth.length,
    right: 0,
    airportsExpected: 0,
    airportsRight: 0,
    falseEvents: 0,
    timingErrorsS: [],
    unclosedLegs: 0,
    unverifiable: 0,
    misses: [],
  };
  const lastTime = c.records.length ? c.records[c.records.length - 1]!.observedAt : 0;
  for (const t of c.truth) {
    const ref = t.time ?? lastTime;
    let best: FlightEvent | undefined;
    for (const e of detected) {
      if (used.has(e) || e.type !== t.type) continue;
      const dt = Math.abs(Date.parse(e.time) - ref);
      if (dt <= MATCH_WINDOW_MS && (!best || dt < Math.abs(Date.parse(best.time) - ref))) best = e;
    }
    if (t.airport) s.airportsExpected++;
    if (!best) {
      s.misses.push(describe(t, 'missed'));
      continue;
    }
    used.add(best);
    s.right++;
    if (t.airport && best.airport?.icao === t.airport) s.airportsRight++;
    else if (t.airport) s.misses.push(`${describe(t, 'wrong airport')}: got ${best.airport?.icao ?? 'none'}`);
    if (t.time !== undefined && !t.untimed) s.timingErrorsS.push(Math.abs(Date.parse(best.time) - t.time) / 1000);
  }
  for (const e of detected) {
    if (used.has(e)) continue;
    if (covered(c, Date.parse(e.time))) s.falseEvents++;
    else s.unverifiable++;
  }
  for (let i = 1; i < detected.length; i++) if (detected[i]!.type === detected[i - 1]!.type) s.unclosedLegs++;
  return s;
}

/** The data shows the aircraft within GAP_MS before and after `t` (so an event there can be checked). */
function covered(c: RealCase, t: number): boolean {
  let before = false;
  let after = false;
  for (const r of c.records) {
    if (r.observedAt <= t && t - r.observedAt <= GAP_MS) before = true;
    if (r.observedAt >= t && r.observedAt - t <= GAP_MS) after = true;
  }
  return before && after;
}

function describe(t: Truth, what: string): string {
  return `${what}: ${t.type} ${t.airport ?? '?'} ${t.time !== undefined ? new Date(t.time).toISOString() : '(untimed)'}`;
}
