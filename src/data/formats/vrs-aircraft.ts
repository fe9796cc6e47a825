/**
 * VRS standing-data aircraft CSV (CC0). `data update` only validates and stores it as <dir>/vrs-aircraft.csv;
 * the enrichment loader (src/enrich) reads it.
 */
import { DataError } from '../errors';
import { readTable } from '../table-reader';

export const VRS_AIRCRAFT_COLUMNS = ['ICAO', 'Registration', 'ModelICAO', 'Manufacturer', 'Model', 'Operator'] as const;

/** Validates every row and returns the row count. */
export function validateVrsAircraft(text: string, source: string): number {
  let n = 0;
  for (const r of readTable(text, source, VRS_AIRCRAFT_COLUMNS)) {
    const hex = r.get('ICAO');
    if (!/^[0-9A-Fa-f]{6}$/.test(hex)) throw new DataError(source, r.line, `ICAO ${JSON.stringify(hex)} is not a 24-bit hex address`);
    n++;
  }
  return n;
}
