/**
 * The class of an aircraft, for airport inference: an airliner does not land on a grass strip or a heliport, a
 * light aircraft may. From the ICAO type designator when known; otherwise from how fast it was seen flying
 * (nothing light cruises at 200 kt).
 */
import type { Airport } from '../places/airport-index';

export type AircraftClass = 'airliner' | 'jet' | 'light' | 'helicopter' | 'unknown';

/** Type designator prefixes of airliners (transport category) and of business jets / large turboprops. */
const AIRLINER =
  /^(A3[0-9]{2}|A[0-9]{2}N|A2[0-9]N|BCS|B7[0-9]{2}|B3[0-9]M|B[0-9]{2}[A-Z]|MD[0-9]|DC[0-9]|E1[0-9]{2}|E[0-9]{2}[0-9]|CRJ|AT[0-9]{2}|DH8|B46|RJ[0-9]{2}|IL[0-9]|TU[0-9]|AN[0-9]|C17$|C5M?$|C130|C30J|K35|A400|SU9[0-9]|E75[LS])/;
const JET =
  /^(GLF|GL[0-9]|GA[0-9]|C25|C5[0-9]|C56|C68|C75|CL[0-9]|F2TH|F900|FA[0-9]|E55P|E50P|LJ|H25|BE4|PRM|HDJ|PC12|PC24|B350|BE20|BE30|BE9|SW[0-9]|D328|J328)/;
const HELICOPTER = /^(EC[0-9]|H[0-9]{2}|AS[0-9]|A1[0-9]{2}|B06|B407|B412|B429|S76|S92|R22|R44|R66|AW|UH|MI[0-9]|NH90)/;

/** Fastest ground speed (kt) above which an unknown type is at least a jet or large turboprop. */
const FAST_KT = 200;

export function aircraftClass(type: string | undefined, maxGsKt: number | undefined): AircraftClass {
  const t = type?.toUpperCase();
  if (t) {
    if (HELICOPTER.test(t)) return 'helicopter';
    if (AIRLINER.test(t)) return 'airliner';
    if (JET.test(t)) return 'jet';
  }
  if (maxGsKt !== undefined && maxGsKt >= FAST_KT) return 'jet';
  return t ? 'light' : 'unknown';
}

/**
 * Prior penalty (in log-likelihood units, higher is less likely) of landing at an airport of `kind`; Infinity
 * where it does not happen. Scheduled service is a prior only: a light aircraft prefers nothing.
 */
export function kindPenalty(cls: AircraftClass, kind: string): number {
  if (kind === 'closed') return Infinity;
  if (cls === 'helicopter') return kind === 'heliport' ? 0 : 0.5;
  if (kind === 'heliport' || kind === 'balloonport') return Infinity;
  if (kind === 'seaplane_base') return cls === 'light' ? 1 : Infinity;
  switch (cls) {
    case 'airliner':
      return { large_airport: 0, medium_airport: 1, unknown: 2.5, small_airport: 7 }[kind] ?? 7;
    case 'jet':
      return { large_airport: 0, medium_airport: 0.5, unknown: 2, small_airport: 4 }[kind] ?? 4;
    case 'light':
      return { large_airport: 1, medium_airport: 0.5, unknown: 0.5, small_airport: 0 }[kind] ?? 0.5;
    default:
      return { large_airport: 0, medium_airport: 0.5, unknown: 1.5, small_airport: 2.5 }[kind] ?? 2.5;
  }
}

/** Hard runway lengths (ft): an airliner wants ~1,500 m; regional turboprops (ATR, Dash 8) manage ~1,200 m. */
const AIRLINER_RUNWAY_FT = 4900;
const REGIONAL_RUNWAY_FT = 3900;
const JET_RUNWAY_FT = 3000;

/**
 * Penalty of an airport's longest runway for the class: 0 when the table has no runway lengths (kind alone
 * speaks then). Only surfaces not known to be soft count for airliners and jets.
 */
export function runwayLengthPenalty(
  cls: AircraftClass,
  a: Pick<Airport, 'longestRunwayFt' | 'longestHardRunwayFt'>,
): number {
  if (a.longestRunwayFt === undefined && a.longestHardRunwayFt === undefined) return 0;
  const hard = a.longestHardRunwayFt ?? 0;
  switch (cls) {
    case 'airliner':
      return hard >= AIRLINER_RUNWAY_FT ? 0 : hard >= REGIONAL_RUNWAY_FT ? 1.5 : 5;
    case 'jet':
      return hard >= JET_RUNWAY_FT ? 0 : hard >= 2000 ? 1.5 : 3;
    case 'unknown':
      return hard >= JET_RUNWAY_FT ? 0 : 0.5;
    default:
      return 0;
  }
}
