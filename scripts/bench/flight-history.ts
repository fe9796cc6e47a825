/**
 * A deterministic, generated year of detection history for benches and tests: `airframes` watched aircraft
 * flying removal-style trips (US hub shuffles, removal legs abroad, returns), each leg a takeoff, a landing
 * and a trip event, in time order as the history stream would hold them. About 1.7 legs per
 * airframe per day: 170 airframes × 365 days ≈ 107,000 legs (~320,000 events). Reused by bench-archive.ts
 * and the archive tests; add fields here, not copies elsewhere.
 */
import { EVENT_SCHEMA, type AirportRef, type FlightEvent } from '../../src/domain/event';

const A = (icao: string, name: string, country: string, lat: number, lon: number): AirportRef => ({
  icao,
  name,
  country,
  lat,
  lon,
});

export const HUBS: AirportRef[] = [
  A('KAEX', 'Alexandria International', 'US', 31.3274, -92.5486),
  A('KIWA', 'Phoenix-Mesa Gateway', 'US', 33.3078, -111.6555),
  A('KHRL', 'Valley International', 'US', 26.2285, -97.6544),
  A('KMIA', 'Miami International', 'US', 25.7932, -80.2906),
];
export const BORDER: AirportRef[] = [
  A('KELP', 'El Paso International', 'US', 31.8072, -106.3778),
  A('KSAN', 'San Diego International', 'US', 32.7336, -117.1897),
  A('KBRO', 'Brownsville/South Padre Island', 'US', 25.9068, -97.4259),
];
export const ABROAD: AirportRef[] = [
  A('MGGT', 'La Aurora International', 'GT', 14.5833, -90.5275),
  A('MHSO', 'Palmerola International', 'HN', 14.3824, -87.6211),
  A('MSLP', 'El Salvador International', 'SV', 13.4409, -89.0557),
  A('SKBO', 'El Dorado International', 'CO', 4.7016, -74.1469),
  A('MDSD', 'Las Américas International', 'DO', 18.4297, -69.6689),
  A('MMMX', 'Mexico City International', 'MX', 19.4363, -99.0721),
];

export interface HistoryOptions {
  airframes?: number;
  days?: number;
  /** First day (UTC midnight, epoch ms). */
  start?: number;
  seed?: number;
}

/** Small deterministic PRNG (mulberry32): the same options give the same history on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function base(hex: string, i: number, time: number, source = 'bench') {
  return {
    schema: EVENT_SCHEMA,
    time: new Date(time).toISOString(),
    aircraft: { hex, registration: `N${100 + i}FW`, type: i % 3 ? 'B738' : 'GLF5', operator: 'Bench Air' },
    watch: { ids: [i % 2 ? 'ice-air' : 'charter'], tags: ['removal-charter'] },
    source,
    evidence: [],
  };
}

/** One airframe's year: a list of trips, each a list of legs; legs as takeoff, landing, trip events. */
function* airframeEvents(i: number, o: Required<HistoryOptions>): Generator<FlightEvent> {
  const r = rng(o.seed * 1000 + i);
  const hex = (0xa10000 + i).toString(16);
  let t = o.start + Math.floor(r() * 6 * 3_600_000);
  const end = o.start + o.days * 86_400_000;
  let trip = 0;
  while (t < end) {
    const tripId = `trip-${hex}-${++trip}`;
    const home = pick(r, HUBS);
    const route: AirportRef[] = [home];
    const kind = r();
    if (kind < 0.55)
      route.push(
        pick(
          r,
          HUBS.filter((h) => h !== home),
        ),
        pick(r, ABROAD),
        home,
      );
    else if (kind < 0.75) route.push(pick(r, BORDER), home);
    else if (kind < 0.9)
      route.push(
        pick(
          r,
          HUBS.filter((h) => h !== home),
        ),
      );
    else route.push(pick(r, ABROAD), home);
    const legs: { from: AirportRef; to: AirportRef; departedAt: string; arrivedAt: string }[] = [];
    for (let k = 0; k + 1 < route.length && t < end; k++) {
      const from = route[k] as AirportRef;
      const to = route[k + 1] as AirportRef;
      const dep = t;
      const arr = dep + Math.floor((1.5 + r() * 3) * 3_600_000);
      const inferred = r() < 0.1;
      const takeoff: FlightEvent = {
        ...base(hex, i, dep),
        id: `${hex}-takeoff-${dep}`,
        type: 'takeoff',
        airport: from,
        details: { inferred: false, reason: 'ground-to-air', tripId },
      };
      const landing: FlightEvent = {
        ...base(hex, i, arr),
        id: `${hex}-landing-${arr}`,
        type: 'landing',
        airport: to,
        details: inferred
          ? { inferred: true, reason: 'signal-lost-low-slow', departure: from.icao, gapS: 600, tripId }
          : { inferred: false, reason: 'air-to-ground', departure: from.icao, tripId },
      };
      yield takeoff;
      yield landing;
      legs.push({ from, to, departedAt: takeoff.time, arrivedAt: landing.time });
      const closing = k + 2 === route.length;
      yield {
        ...base(hex, i, arr + 1000),
        id: `${hex}-trip-${tripId}-${legs.length}`,
        type: 'trip',
        details: {
          tripId,
          status: closing ? 'closed' : 'open',
          legs: legs.map((l) => ({ from: l.from, to: l.to, departedAt: l.departedAt, arrivedAt: l.arrivedAt })),
          route: [legs[0]?.from.icao, ...legs.map((l) => l.to.icao)].join(' → '),
          origin: 'US',
          countries: [...new Set(legs.map((l) => l.to.country).filter((c) => c !== 'US'))],
          destinations: [],
          ...(closing ? { closeReason: 'returned' as const } : {}),
        },
      };
      t = arr + Math.floor((1 + r() * 4) * 3_600_000);
    }
    t += Math.floor((4 + r() * 30) * 3_600_000);
  }
}

/** The whole history in time order (merged across airframes), lazily. */
export function* generateHistory(opts: HistoryOptions = {}): Generator<FlightEvent> {
  const o: Required<HistoryOptions> = {
    airframes: opts.airframes ?? 170,
    days: opts.days ?? 365,
    start: opts.start ?? Date.UTC(2025, 0, 1),
    seed: opts.seed ?? 13,
  };
  const its = Array.from({ length: o.airframes }, (_, i) => airframeEvents(i, o));
  const heads = its.map((it) => it.next());
  for (;;) {
    let best = -1;
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k];
      if (!h || h.done) continue;
      const bh = heads[best];
      if (best < 0 || (bh && !bh.done && h.value.time < bh.value.time)) best = k;
    }
    if (best < 0) return;
    const h = heads[best] as IteratorYieldResult<FlightEvent>;
    yield h.value;
    heads[best] = (its[best] as Generator<FlightEvent>).next();
  }
}
