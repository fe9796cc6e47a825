/**
 * OpenFlights airports.dat (ODbL 1.0): no header; id,name,city,country,IATA,ICAO,lat,lon,alt,utcOffset,DST,tz,
 * type,source with \N for null. Used only for its IANA time zones (by ICAO).
 */
import { DataError } from '../errors';
import { parseNumber, readDataCsv } from '../table-reader';

export interface OpenFlightsAirport {
  icao?: string;
  iata?: string;
  name: string;
  lat: number;
  lon: number;
  tz?: string;
}

const nul = (s: string | undefined) => (s === undefined || s === '\\N' || s.trim() === '' ? undefined : s.trim());

export function parseOpenFlightsAirports(text: string, source: string): OpenFlightsAirport[] {
  const out: OpenFlightsAirport[] = [];
  for (const { line, fields } of readDataCsv(text, source)) {
    // 12 fields in older releases (no type/source), 14 since 2017.
    if (fields.length !== 12 && fields.length !== 14) throw new DataError(source, line, `expected 14 fields, found ${fields.length}`);
    if (!/^\d+$/.test(fields[0]!)) throw new DataError(source, line, `airport id ${JSON.stringify(fields[0])} is not a number (a header row or a shifted column?)`);
    out.push({
      name: fields[1]!,
      iata: nul(fields[4])?.toUpperCase(),
      icao: nul(fields[5])?.toUpperCase(),
      lat: parseNumber(fields[6]!, 'latitude', source, line, { min: -90, max: 90 })!,
      lon: parseNumber(fields[7]!, 'longitude', source, line, { min: -180, max: 180 })!,
      tz: nul(fields[11]),
    });
  }
  return out;
}
