/**
 * The project's generated airport table, `<data dir>/airports.json`: compact rows (one array per airport)
 * plus country names and provenance. Written by `flightwatch data update`, read at worker start.
 * The `runways` column was added later: a file without it (older writer) still loads, its airports have no
 * runway data and airport inference uses airport positions (`hasRunways` tells the loader to say so).
 */
import { readFileSync } from 'node:fs';
import type { Airport, RunwayEnd } from '../places/airport-index';
import { isAirportKind } from '../places/kinds';
import { DataError } from './errors';

export const AIRPORTS_FILE_FORMAT = 'flightwatch.airports/v1';
/** Columns of files written before runways were added; still accepted. */
export const AIRPORTS_FILE_COLUMNS_NO_RUNWAYS = ['icao', 'iata', 'name', 'country', 'tz', 'lat', 'lon', 'kind', 'elevationFt'] as const;
export const AIRPORTS_FILE_COLUMNS = [...AIRPORTS_FILE_COLUMNS_NO_RUNWAYS, 'runways'] as const;

/** [longestRunwayFt, longestHardRunwayFt, [[ident, lat, lon, headingDeg], ...]], or null: no runway data. */
type CompactRunways = [number | null, number | null, [string, number, number, number][]] | null;
type CompactRow = [string, string | null, string, string, string | null, number, number, string, number | null, CompactRunways?];

export interface AirportsFile {
  format: typeof AIRPORTS_FILE_FORMAT;
  generatedAt: string;
  sources: { table: string; url?: string; rows: number; licence: string }[];
  countries: Record<string, string>;
  columns: typeof AIRPORTS_FILE_COLUMNS | typeof AIRPORTS_FILE_COLUMNS_NO_RUNWAYS;
  rows: CompactRow[];
}

export interface AirportTable {
  airports: Airport[];
  countries: Map<string, string>;
  /** Where the table came from, for logs and `data status`. */
  origin: string;
  generatedAt?: string;
  /** false: the table carries no runway data (file from an older writer). */
  hasRunways?: boolean;
}

export function toAirportsFile(airports: readonly Airport[], countries: ReadonlyMap<string, string>, sources: AirportsFile['sources'], now = new Date()): AirportsFile {
  return {
    format: AIRPORTS_FILE_FORMAT,
    generatedAt: now.toISOString(),
    sources,
    countries: Object.fromEntries([...countries].sort(([a], [b]) => a.localeCompare(b))),
    columns: AIRPORTS_FILE_COLUMNS,
    rows: airports.map((a) => [a.icao, a.iata ?? null, a.name, a.country, a.tz ?? null, round6(a.lat), round6(a.lon), a.kind, a.elevationFt ?? null, compactRunways(a)]),
  };
}

function compactRunways(a: Airport): CompactRunways {
  if (a.longestRunwayFt === undefined && a.longestHardRunwayFt === undefined && !a.runwayEnds?.length) return null;
  return [a.longestRunwayFt ?? null, a.longestHardRunwayFt ?? null, (a.runwayEnds ?? []).map((e) => [e.ident, round6(e.lat), round6(e.lon), e.headingDeg])];
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
  const cols = JSON.stringify(f.columns);
  const hasRunways = cols === JSON.stringify(AIRPORTS_FILE_COLUMNS);
  if (!hasRunways && cols !== JSON.stringify(AIRPORTS_FILE_COLUMNS_NO_RUNWAYS))
    throw new DataError(source, undefined, `columns are ${cols}, expected ${JSON.stringify(AIRPORTS_FILE_COLUMNS)}`);
  if (!Array.isArray(f.rows)) throw new DataError(source, undefined, 'rows is not an array');
  const width = hasRunways ? AIRPORTS_FILE_COLUMNS.length : AIRPORTS_FILE_COLUMNS_NO_RUNWAYS.length;
  const airports: Airport[] = f.rows.map((r, i) => {
    const malformed = (what: string) => new DataError(source, undefined, `rows[${i}]${what} is malformed: ${JSON.stringify(r)?.slice(0, 200)}`);
    if (!Array.isArray(r) || r.length !== width) throw malformed('');
    const [icao, iata, name, country, tz, lat, lon, kind, elevationFt, runways] = r;
    if (typeof icao !== 'string' || typeof lat !== 'number' || typeof lon !== 'number' || !isAirportKind(kind)) throw malformed('');
    const a: Airport = { icao, iata: iata ?? undefined, name, country, tz: tz ?? undefined, lat, lon, kind, elevationFt: elevationFt ?? undefined };
    if (runways != null && !readRunways(a, runways)) throw malformed('[9] (runways)');
    return a;
  });
  return { airports, countries: new Map(Object.entries(f.countries ?? {})), origin: source, generatedAt: f.generatedAt, hasRunways };
}

/** Fills the airport's runway fields from the compact column; false when it has the wrong shape. */
function readRunways(a: Airport, v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 3) return false;
  const [longest, hard, ends] = v as unknown[];
  const optNum = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));
  if (!optNum(longest) || !optNum(hard) || !Array.isArray(ends)) return false;
  const out: RunwayEnd[] = [];
  for (const e of ends as unknown[]) {
    if (!Array.isArray(e) || e.length !== 4) return false;
    const [ident, lat, lon, headingDeg] = e as unknown[];
    if (typeof ident !== 'string' || typeof lat !== 'number' || typeof lon !== 'number' || typeof headingDeg !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180 || headingDeg < 0 || headingDeg > 360)
      return false;
    out.push({ ident, lat, lon, headingDeg });
  }
  if (typeof longest === 'number') a.longestRunwayFt = longest;
  if (typeof hard === 'number') a.longestHardRunwayFt = hard;
  if (out.length) a.runwayEnds = out;
  return true;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
