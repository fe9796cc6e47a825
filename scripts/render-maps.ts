/**
 * Renders event maps for a handful of real-ish cases to PNG so a person can look at them:
 * `npm run render:maps [-- OUT_DIR]` (default ./render-output/maps). Cases: an inland US hub (KAEX takeoff),
 * a coastal one (KMIA landing), Guatemala City (MGGT landing after KAEX: the trip map), Shenyang (ZYTX
 * en route) and the trip KAEX → MGGT → KAEX. Uses the airport table the worker would (data/airports.json,
 * else the npm fallback) for reference places; prints per-map render time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { renderEventMap, type MapPlaces } from '../src/alerting/channels/map';
import { loadAirportIndex } from '../src/data/load-airports';
import { fallbackDatabasePath } from '../src/data/npm-fallback';
import type { EvidencePoint, FlightEvent } from '../src/domain/event';
import { sampleAlerts } from './render-samples';

const OUT = path.resolve(process.argv[2] ?? 'render-output/maps');

/** Positions along [lon, lat] waypoints, one a minute, ending at endIso. */
function along(waypoints: [number, number][], endIso: string, perSegment = 8, altFt = 30000): EvidencePoint[] {
  const pts: [number, number][] = [];
  waypoints.slice(1).forEach(([lon, lat], i) => {
    const [lon0, lat0] = waypoints[i]!;
    for (let k = i === 0 ? 0 : 1; k <= perSegment; k++)
      pts.push([lon0 + ((lon - lon0) * k) / perSegment, lat0 + ((lat - lat0) * k) / perSegment]);
  });
  const end = Date.parse(endIso);
  return pts.map(([lon, lat], i) => {
    const t = new Date(end - (pts.length - 1 - i) * 60_000).toISOString();
    return { time: t, lat, lon, altFt, onGround: false, gsKt: 420, trackDeg: 0, source: 'adsblol', fetchedAt: t };
  });
}

function cases(): Record<string, FlightEvent> {
  const s = sampleAlerts();
  const landing = s.landing!.event; // MGGT, departure KAEX
  const trip = s.trip!.event;
  const enRoute = s.enRoute!.event;

  const takeoff = structuredClone(landing);
  takeoff.type = 'takeoff';
  takeoff.time = '2026-11-27T14:20:00Z';
  takeoff.airport = {
    icao: 'KAEX',
    iata: 'AEX',
    name: 'Alexandria International Airport',
    country: 'US',
    lat: 31.3274,
    lon: -92.5498,
  };
  takeoff.evidence = along(
    [
      [-92.5498, 31.3274],
      [-92.45, 31.2],
      [-92.2, 30.9],
    ],
    takeoff.time,
    6,
    9000,
  );
  takeoff.position = { lat: 30.9, lon: -92.2, altFt: 9000, gsKt: 300, trackDeg: 150 };
  takeoff.details = { inferred: false, reason: 'ground-to-air' };

  const miami = structuredClone(landing);
  miami.time = '2026-11-28T02:10:00Z';
  miami.airport = {
    icao: 'KMIA',
    iata: 'MIA',
    name: 'Miami International Airport',
    country: 'US',
    lat: 25.7959,
    lon: -80.287,
  };
  miami.evidence = along(
    [
      [-80.9, 24.6],
      [-80.45, 25.3],
      [-80.287, 25.7959],
    ],
    miami.time,
    8,
    4000,
  );
  miami.position = { lat: 25.7959, lon: -80.287, altFt: null, gsKt: 130, trackDeg: 10 };
  miami.details = { inferred: false, reason: 'air-to-ground', departure: null };

  // The trip event carries the whole trip's thinned track; coverage over the Gulf has gaps.
  trip.evidence = [
    ...along(
      [
        [-92.5498, 31.3274],
        [-92.0, 29.5],
        [-91.0, 26.8],
      ],
      '2026-11-27T14:45:00Z',
      10,
    ),
    ...along(
      [
        [-90.2, 19.5],
        [-90.4, 16.5],
        [-90.5275, 14.5833],
      ],
      '2026-11-27T17:01:00Z',
      10,
    ),
    ...along(
      [
        [-90.5275, 14.5833],
        [-91.0, 17.5],
        [-91.6, 21.0],
      ],
      '2026-11-27T19:20:00Z',
      10,
    ),
    ...along(
      [
        [-92.1, 28.2],
        [-92.3, 30.2],
        [-92.5498, 31.3274],
      ],
      '2026-11-27T21:40:00Z',
      10,
    ),
  ];
  // The sample's positions end at the airport; an en-route event's end where the aircraft is.
  enRoute.evidence = along(
    [
      [119.8, 44.0],
      [121.0, 43.2],
      [122.3, 42.5],
    ],
    enRoute.time,
    8,
    18000,
  );

  return { 'kaex-takeoff': takeoff, 'kmia-landing': miami, 'mggt-landing': landing, 'zytx-en-route': enRoute, trip };
}

/**
 * The airport table has no city column yet; the npm fallback's SQLite file does. This decorates the index
 * with it to show the maps as they will look once the table carries cities (the `-cities` files).
 */
async function withCities(places: MapPlaces): Promise<MapPlaces> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(fallbackDatabasePath()));
  const city = new Map<string, string>();
  const st = db.prepare('SELECT icao, city FROM airports WHERE city IS NOT NULL');
  while (st.step()) {
    const [icao, name] = st.get();
    city.set(String(icao), String(name));
  }
  st.free();
  db.close();
  return {
    byIcao: (icao) => places.byIcao(icao),
    within: (lat, lon, opts) => places.within(lat, lon, opts).map((a) => ({ ...a, city: city.get(a.icao) })),
  };
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const places = await loadAirportIndex({ warn: () => undefined });
  const cities = await withCities(places);
  const times: Record<string, number> = {};
  for (const [name, event] of Object.entries(cases())) {
    for (const [suffix, p] of [
      ['', places],
      ['-cities', cities],
      ['-no-places', null],
    ] as const) {
      renderEventMap(event, { places: p }); // warm: world outlines and fonts load once per process
      const t0 = performance.now();
      const img = renderEventMap(event, { places: p });
      times[name + suffix] = Math.round(performance.now() - t0);
      if (img) writeFileSync(path.join(OUT, `${name}${suffix}.png`), img.png);
    }
  }
  console.log(`wrote ${OUT}`);
  console.log(JSON.stringify({ renderMs: times }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
