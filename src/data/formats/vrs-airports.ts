/** VRS standing-data airports CSV (CC0): Code,Name,ICAO,IATA,Location,CountryISO2,Latitude,Longitude,AltitudeFeet. */
import { DataError } from '../errors';
import { parseNumber, readTable } from '../table-reader';

export const VRS_AIRPORT_COLUMNS = ['Code', 'Name', 'ICAO', 'IATA', 'Location', 'CountryISO2', 'Latitude', 'Longitude', 'AltitudeFeet'] as const;

export interface VrsAirport {
  code: string;
  icao?: string;
  iata?: string;
  name: string;
  location?: string;
  country: string;
  lat: number;
  lon: number;
  elevationFt?: number;
}

export function parseVrsAirports(text: string, source: string): VrsAirport[] {
  const out: VrsAirport[] = [];
  for (const r of readTable(text, source, VRS_AIRPORT_COLUMNS)) {
    const code = r.get('Code').toUpperCase();
    if (!code) throw new DataError(source, r.line, 'Code is empty');
    out.push({
      code,
      icao: r.get('ICAO').toUpperCase() || undefined,
      iata: r.get('IATA').toUpperCase() || undefined,
      name: r.get('Name'),
      location: r.get('Location') || undefined,
      country: r.get('CountryISO2').toUpperCase(),
      lat: parseNumber(r.get('Latitude'), 'Latitude', source, r.line, { min: -90, max: 90 })!,
      lon: parseNumber(r.get('Longitude'), 'Longitude', source, r.line, { min: -180, max: 180 })!,
      elevationFt: parseNumber(r.get('AltitudeFeet'), 'AltitudeFeet', source, r.line, { optional: true }),
    });
  }
  return out;
}
