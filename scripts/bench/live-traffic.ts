/**
 * Moving traffic for bench:live: N aircraft served as a readsb aircraft.json whose positions are a pure function
 * of the clock, so the worker (wall clock) and the in-memory baseline (a clock the bench steps) see the same
 * kind of positions. Every aircraft flies a straight course at cruise; one in 50 spends part of each
 * 4-minute cycle on the ground, so takeoffs and landings keep events flowing, not just the first "seen".
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

export const LIVE_TYPES = ['B738', 'A320', 'B763', 'A321', 'E190', 'MD83'] as const;

interface Plane {
  hex: string;
  lat0: number;
  lon0: number;
  dLatPerS: number;
  dLonPerS: number;
  type: string;
  grounded: boolean;
  phase: number;
}

const CYCLE_S = 240;

/** Deterministic (seeded LCG) so two runs serve the same fleet. */
export function makeFleet(n: number, seed = 17): Plane[] {
  let x = seed >>> 0;
  const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => {
    const heading = rnd() * 2 * Math.PI;
    const degPerS = (450 / 3600 / 60) * 1; // 450 kt in degrees of latitude per second
    return {
      hex: (0xa00000 + i).toString(16),
      lat0: -50 + rnd() * 110,
      lon0: -180 + rnd() * 360,
      dLatPerS: Math.cos(heading) * degPerS,
      dLonPerS: Math.sin(heading) * degPerS,
      type: LIVE_TYPES[i % LIVE_TYPES.length] ?? 'B738',
      grounded: i % 50 === 0,
      phase: Math.floor(rnd() * CYCLE_S),
    };
  });
}

const wrapLon = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
const clampLat = (lat: number) => Math.max(-80, Math.min(80, lat));

/** The aircraft.json body at `nowMs`. */
export function snapshot(fleet: readonly Plane[], nowMs: number): string {
  const t = nowMs / 1000;
  const aircraft = fleet.map((p) => {
    const onGround = p.grounded && (t + p.phase) % CYCLE_S < 60;
    // Grounded aircraft hold still on the ground; in the air everyone moves along its course.
    const s = onGround ? 0 : (t % 86_400) - 43_200;
    return {
      hex: p.hex,
      flight: `BNC${p.hex.slice(-4)} `,
      r: `N${p.hex.slice(-5).toUpperCase()}`,
      t: p.type,
      lat: clampLat(p.lat0 + p.dLatPerS * s),
      lon: wrapLon(p.lon0 + p.dLonPerS * s),
      alt_baro: onGround ? 'ground' : 35_000,
      gs: onGround ? 8 : 450,
      track: 90,
      baro_rate: 0,
      squawk: '2000',
      seen: 0.4,
      seen_pos: 0.6,
    };
  });
  return JSON.stringify({ now: t, messages: 1, aircraft });
}

export interface TrafficServer {
  url: string;
  served(): number;
  close(): Promise<void>;
}

export async function serveTraffic(fleet: readonly Plane[], clock: () => number = Date.now): Promise<TrafficServer> {
  let served = 0;
  const server: Server = createServer((_req, res) => {
    served++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(snapshot(fleet, clock()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/data/aircraft.json`,
    served: () => served,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

export interface LiveConfig {
  /** The receiver serving the traffic (serveTraffic's url). */
  sourceUrl: string;
  /** Where the worker keeps its data (airport table…). */
  dataDir: string;
  /** poll.schedule; the config default when absent. */
  schedule?: string;
  /** A webhook channel (secret from BENCH_WEBHOOK_SECRET) when given; no alert channel otherwise. */
  hookUrl?: string;
  /** archive.enabled when given: the flight record's position capture runs in the poll step. */
  archive?: boolean;
  /** detect.rememberStates when given (the config default otherwise). */
  rememberStates?: number;
}

/**
 * The worker config of the live-traffic benches, written as `flightwatch.yaml` in `dir`; returns its path.
 * One builder for bench:live and bench:store, so both watch the same aircraft the same way.
 */
export function writeLiveConfig(dir: string, c: LiveConfig): string {
  const file = join(dir, 'flightwatch.yaml');
  const lines = [
    'sources:',
    `  - { id: rx, kind: receiver, url: "${c.sourceUrl}", timeoutMs: 20000, maxResponseBytes: 100000000 }`,
    ...(c.schedule ? ['poll:', `  schedule: "${c.schedule}"`] : []),
    'watch:',
    `  - { id: broad, match: { types: [${LIVE_TYPES.join(', ')}] } }`,
    ...(c.hookUrl
      ? [
          'alerts:',
          '  channels:',
          `    - { id: hook, kind: webhook, url: "${c.hookUrl}", secretEnv: BENCH_WEBHOOK_SECRET, allowPrivate: true }`,
          'operate:',
          '  blindAfter: 1h',
        ]
      : []),
    ...(c.archive === undefined ? [] : ['archive:', `  enabled: ${c.archive}`]),
    ...(c.rememberStates === undefined ? [] : ['detect:', `  rememberStates: ${c.rememberStates}`]),
    'data:',
    `  dir: "${c.dataDir}"`,
    '',
  ];
  writeFileSync(file, lines.join('\n'));
  return file;
}
