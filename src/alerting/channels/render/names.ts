/**
 * Names people read instead of codes: countries (ISO 3166-1 alpha-2 → English name, from the runtime's ICU
 * data), aircraft types (ICAO designator → model, for the types removal charters fly) and airports
 * ("Shenyang Taoxian (ZYTX), China").
 */
import type { AirportRef } from '../../../domain/event';
import { oneLine } from './sanitize';

let regions: Intl.DisplayNames | undefined;

export function countryName(code: string | null | undefined): string {
  if (!code) return 'unknown country';
  const c = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) return oneLine(code, 40);
  try {
    regions ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    return regions.of(c) ?? c;
  } catch {
    return c;
  }
}

/** ICAO type designators seen on government charter and removal flights (ICAO Doc 8643 names). */
const TYPES: Record<string, string> = {
  A319: 'Airbus A319',
  A320: 'Airbus A320',
  A321: 'Airbus A321',
  A332: 'Airbus A330-200',
  A333: 'Airbus A330-300',
  B712: 'Boeing 717',
  B734: 'Boeing 737-400',
  B737: 'Boeing 737-700',
  B738: 'Boeing 737-800',
  B739: 'Boeing 737-900',
  B38M: 'Boeing 737 MAX 8',
  B752: 'Boeing 757-200',
  B763: 'Boeing 767-300',
  B772: 'Boeing 777-200',
  B77W: 'Boeing 777-300ER',
  B788: 'Boeing 787-8',
  CRJ2: 'Bombardier CRJ200',
  CRJ7: 'Bombardier CRJ700',
  CRJ9: 'Bombardier CRJ900',
  E135: 'Embraer ERJ-135',
  E145: 'Embraer ERJ-145',
  E170: 'Embraer E170',
  E190: 'Embraer E190',
  MD83: 'McDonnell Douglas MD-83',
  GLF4: 'Gulfstream IV',
  GLF5: 'Gulfstream V',
  GLF6: 'Gulfstream G650',
  GLEX: 'Bombardier Global Express',
  C17: 'Boeing C-17 Globemaster III',
  C130: 'Lockheed C-130 Hercules',
  C30J: 'Lockheed C-130J Hercules',
  B350: 'Beechcraft King Air 350',
  C56X: 'Cessna Citation Excel',
  CL60: 'Bombardier Challenger 600',
};

/** "Gulfstream V" for GLF5; an unknown designator is shown as it is. */
export function typeName(designator: string | undefined): string | undefined {
  if (!designator) return undefined;
  const d = oneLine(designator, 8);
  return TYPES[d.toUpperCase()] ?? d;
}

/** "Shenyang Taoxian International Airport" → "Shenyang Taoxian": the words that tell airports apart. */
export function shortAirportName(name: string): string {
  const s = oneLine(name, 80)
    .replace(/\s+(International\s+)?(Airport|Aerodrome|Airfield)$/i, '')
    .trim();
  return s || oneLine(name, 80);
}

/** "Shenyang Taoxian (ZYTX), China". */
export function airportLabel(ap: Pick<AirportRef, 'icao' | 'name' | 'country'>): string {
  return `${shortAirportName(ap.name)} (${oneLine(ap.icao, 8)}), ${countryName(ap.country)}`;
}
