/**
 * Airport table loader. Order: <data dir>/airports.json (from `flightwatch data update`) → the npm-packaged
 * table → an error that says what to run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createAirportIndex, type KdAirportIndex } from '../places/kd-airport-index';
import { readAirportsFile, type AirportTable } from './airports-file';
import { DataError } from './errors';
import { loadFallbackAirports } from './npm-fallback';
import { loadAirportTableApart } from './load-apart';
import type { LoadOptions } from './load-options';

export const AIRPORTS_JSON = 'airports.json';

export type { LoadOptions } from './load-options';

export interface IndexOptions extends LoadOptions {
  /** Read the table in a worker thread, so what reading needs is released (load-apart.ts): the worker does. */
  apart?: boolean;
}

export async function loadAirportTable(opts: LoadOptions = {}): Promise<AirportTable> {
  const dir = opts.dir ?? 'data';
  const file = path.resolve(dir, AIRPORTS_JSON);
  if (existsSync(file)) {
    const t = readAirportsFile(file);
    if (t.hasRunways === false)
      opts.warn?.(`${file} has no runway data (written by an older version); airport inference uses airport positions. Run \`flightwatch data update\` to add runways.`);
    return t;
  }
  if (opts.fallback === false)
    throw new DataError(file, undefined, 'no airport table; run `flightwatch data update` to download it');
  try {
    const t = await loadFallbackAirports();
    opts.warn?.(`${file} not found; using the npm-packaged airport table (${t.airports.length} airports). Run \`flightwatch data update\` for current data.`);
    return t;
  } catch (e) {
    throw new DataError(file, undefined, `no airport table (and the npm fallback failed: ${(e as Error).message}); run \`flightwatch data update\``);
  }
}

/** Loads the table and builds the spatial index (about 50 ms for 80k airports). */
export async function loadAirportIndex(opts: IndexOptions = {}): Promise<KdAirportIndex & { origin: string }> {
  const { apart, ...load } = opts;
  const t = apart ? await loadAirportTableApart(load) : await loadAirportTable(load);
  return Object.assign(createAirportIndex('columns' in t ? t.columns : t.airports, t.countries), { origin: t.origin });
}
