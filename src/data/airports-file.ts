/**
 * The project's generated airport table, `<data dir>/airports.json`: compact rows (one array per airport)
 * plus country names and provenance. Written by `flightwatch data update`, read at worker start.
 */
import { readFileSync } from 'node:fs';
import type { Airport } from '../places/airport-index';
import { isAirportKind } from '../places/kinds';
import { DataError } from './errors';

export const AIRPORTS_FILE_FORMAT = 'flightwatch.airports/v1';
export const AIRPORTS_FILE_COLUMNS = ['icao', 'iata', 'name', 'country', 'tz', 'lat', 'lon', 'kind', 'elevationFt'] as const;

type CompactRow = [string, string | null, string, string, string | null, number, number, string, number | null];

export interface AirportsFile {
  format: typeof AIRPORTS_FILE_FORMAT;
  generatedAt: string;
  sources: { table: string; url?: string; rows: number; licence: string }[];
  countries: Record<string, string>;
  columns: typeof AIRPORTS_FILE_COLUMNS;
  rows: CompactRow[];
}

export interface AirportTable {
  airports: Airport[];
  countries: Map<string, string>;
  /** Where the table came from, for logs and `data status`. */
  origin: string;
  generatedAt?: string;
}

export function toAirportsFile(airports: readonly Airport[], countries: ReadonlyMap<string, string>, sources: AirportsFile['sources'], now = new Date()): AirportsFile {
  return {
    format: AIRPORTS_FILE_FORMAT,
    generatedAt: now.toISOString(),
    sources,
    countries: Object.fromEntries([...countries].sort(([a], [b]) => a.localeCompare(b))),
    columns: AIRPORTS_FILE_COLUMNS,
    rows: airports.map((a) => [a.icao, a.iata ?? null, a.name, a.country, a.tz ?? null, round6(a.lat), round6(a.lon), a.kind, a.elevationFt ?? null]),
  };
}

/** One row per line keeps the file diffable and grep-able while staying compact. */
export function serializeAirportsFile(f: AirportsFile): string {
  const { rows, ...head } = f;
  const headJson = JSON.stringify(head);
  return `${headJson.slice(0, -1)},"rows":[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
}

export function readAirportsFile(file: string): AirportTable {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, undefined, `cannot read: ${(e as Error).message}`);
  }
  return parseAirportsFile(doc, file);
}

export function parseAirportsFile(doc: unknown, source: string): AirportTable {
  const f = doc as Partial<AirportsFile>;
  if (!f || typeof f !== 'object' || f.format !== AIRPORTS_FILE_FORMAT)
    throw new DataError(source, undefined, `format is ${JSON.stringify(f?.format)}, expected ${AIRPORTS_FILE_FORMAT} (run \`flightwatch data update\`)`);
  if (JSON.stringify(f.columns) !== JSON.stringify(AIRPORTS_FILE_COLUMNS))
    throw new DataError(source, undefined, `columns are ${JSON.stringify(f.columns)}, expected ${JSON.stringify(AIRPORTS_FILE_COLUMNS)}`);
  if (!Array.isArray(f.rows)) throw new DataError(source, undefined, 'rows is not an array');
  const airports: Airport[] = f.rows.map((r, i) => {
    const [icao, iata, name, country, tz, lat, lon, kind, elevationFt] = r;
    if (!Array.isArray(r) || r.length !== AIRPORTS_FILE_COLUMNS.length || typeof icao !== 'string' || typeof lat !== 'number' || typeof lon !== 'number' || !isAirportKind(kind))
      throw new DataError(source, undefined, `rows[${i}] is malformed: ${JSON.stringify(r)?.slice(0, 200)}`);
    return { icao, iata: iata ?? undefined, name, country, tz: tz ?? undefined, lat, lon, kind, elevationFt: elevationFt ?? undefined };
  });
  return { airports, countries: new Map(Object.entries(f.countries ?? {})), origin: source, generatedAt: f.generatedAt };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
