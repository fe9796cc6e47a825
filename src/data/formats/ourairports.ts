/**
 * OurAirports airports.csv and countries.csv (public domain). Columns are read by name: upstream has added
 * columns over time (e.g. icao_code), so only the ones used are required.
 */
import { DataError } from '../errors';
import { parseNumber, readTable } from '../table-reader';

export const OURAIRPORTS_AIRPORT_COLUMNS = ['ident', 'type', 'name', 'latitude_deg', 'longitude_deg', 'iso_country'] as const;
export const OURAIRPORTS_COUNTRY_COLUMNS = ['code', 'name'] as const;

export interface OurAirport {
  ident: string;
  /** icao_code, else a gps_code that looks like one. */
  icao?: string;
  iata?: string;
  type: string;
  name: string;
  country: string;
  lat: number;
  lon: number;
  elevationFt?: number;
}

export function parseOurAirports(text: string, source: string): OurAirport[] {
  const out: OurAirport[] = [];
  for (const r of readTable(text, source, OURAIRPORTS_AIRPORT_COLUMNS)) {
    const ident = r.get('ident').toUpperCase();
    if (!ident) throw new DataError(source, r.line, 'ident is empty');
    const gps = r.get('gps_code').toUpperCase();
    out.push({
      ident,
      icao: r.get('icao_code').toUpperCase() || (/^[A-Z]{4}$/.test(gps) ? gps : undefined),
      iata: r.get('iata_code').toUpperCase() || undefined,
      type: r.get('type'),
      name: r.get('name'),
      country: r.get('iso_country').toUpperCase(),
      lat: parseNumber(r.get('latitude_deg'), 'latitude_deg', source, r.line, { min: -90, max: 90 })!,
      lon: parseNumber(r.get('longitude_deg'), 'longitude_deg', source, r.line, { min: -180, max: 180 })!,
      elevationFt: parseNumber(r.get('elevation_ft'), 'elevation_ft', source, r.line, { optional: true }),
    });
  }
  return out;
}

/** ISO2 → country name. */
export function parseOurAirportsCountries(text: string, source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of readTable(text, source, OURAIRPORTS_COUNTRY_COLUMNS)) {
    const code = r.get('code').toUpperCase();
    if (!/^[A-Z0-9]{2}$/.test(code)) throw new DataError(source, r.line, `code ${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 code`);
    out.set(code, r.get('name'));
  }
  return out;
}

export const OURAIRPORTS_RUNWAY_COLUMNS = ['airport_ident', 'length_ft', 'surface', 'closed', 'le_ident', 'le_latitude_deg', 'le_longitude_deg', 'le_heading_degT', 'he_ident', 'he_latitude_deg', 'he_longitude_deg', 'he_heading_degT'] as const;

/** One runway of OurAirports runways.csv; an end without coordinates has lat/lon undefined. */
export interface OurRunway {
  airportIdent: string;
  lengthFt?: number;
  surface: string;
  closed: boolean;
  ends: { ident: string; lat?: number; lon?: number; headingDeg?: number }[];
}

/** OurAirports runways.csv (public domain): many rows have no end coordinates; those still give lengths. */
export function parseOurRunways(text: string, source: string): OurRunway[] {
  const out: OurRunway[] = [];
  for (const r of readTable(text, source, OURAIRPORTS_RUNWAY_COLUMNS)) {
    const airportIdent = r.get('airport_ident').toUpperCase();
    if (!airportIdent) throw new DataError(source, r.line, 'airport_ident is empty');
    const end = (p: 'le' | 'he') => {
      const lat = parseNumber(r.get(`${p}_latitude_deg`), `${p}_latitude_deg`, source, r.line, { min: -90, max: 90, optional: true });
      const lon = parseNumber(r.get(`${p}_longitude_deg`), `${p}_longitude_deg`, source, r.line, { min: -180, max: 180, optional: true });
      const headingDeg = parseNumber(r.get(`${p}_heading_degT`), `${p}_heading_degT`, source, r.line, { min: -360, max: 720, optional: true });
      const placed = lat !== undefined && lon !== undefined;
      return { ident: r.get(`${p}_ident`).toUpperCase(), lat: placed ? lat : undefined, lon: placed ? lon : undefined, headingDeg };
    };
    out.push({
      airportIdent,
      lengthFt: parseNumber(r.get('length_ft'), 'length_ft', source, r.line, { min: 0, optional: true }),
      surface: r.get('surface'),
      closed: r.get('closed') === '1',
      ends: [end('le'), end('he')],
    });
  }
  return out;
}
