/**
 * Airport names for the report ("MGGT La Aurora International Airport, Guatemala"): the record keeps ICAO codes
 * only, the airport table has the names. Loaded once per process (the table is tens of thousands of rows) and
 * optional everywhere: a missing table leaves the codes, never fails a report.
 */
import { loadAirportTable } from '../data/load-airports';

export interface AirportName {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** ICAO → name and country; undefined when the table does not know it. */
export type AirportNamer = (icao: string) => AirportName | undefined;

const loaded = new Map<string, Promise<AirportNamer>>();

/** The namer for a data dir (config `data.dir`), falling back to the packaged table; codes only if neither loads. */
export function loadAirportNamer(dir = 'data', warn?: (msg: string) => void): Promise<AirportNamer> {
  let p = loaded.get(dir);
  if (!p) {
    p = loadAirportTable({ dir, ...(warn ? { warn } : {}) }).then(
      (t) => {
        const byIcao = new Map(t.airports.map((a) => [a.icao.toUpperCase(), { name: a.name, country: a.country }]));
        return (icao: string) => byIcao.get(icao.toUpperCase());
      },
      (e: unknown) => {
        warn?.(`airport names unavailable, the report shows ICAO codes: ${(e as Error).message}`);
        return () => undefined;
      },
    );
    loaded.set(dir, p);
  }
  return p;
}
