/**
 * Reject bookkeeping shared by the source parsers (readsb family, OpenSky): a bad record or field is counted
 * and named, never thrown, and the reply's result carries the first few reasons. Only the reporting lives
 * here; each parser keeps its own per-field guards, whose messages name fields in the reply's own shape.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { FetchResult } from './source';

/** How many rejection reasons a result keeps (the count is always complete). */
export const MAX_REJECT_REASONS = 10;

/**
 * Longest accepted string per aircraft field, from the standards: an ADS-B identification (callsign) is 8
 * characters (DO-260B), an ICAO type designator 4 (Doc 8643), a registration mark at most 10 with its dash
 * (Annex 7; the longest in the real captures is 10). Operator names have no standard: 100 is generous for a
 * registrant's name. A longer value is rejected like any other bad field (counted, named) and never reaches
 * detection or an alert.
 */
export const STRING_MAX = {
  callsign: 8,
  registration: 10,
  type: 4,
  operator: 100,
  squawk: 4,
  /** readsb's position source type ("adsb_icao", "mlat", …). */
  sourceType: 32,
} as const;

/** Any other string field. */
export const DEFAULT_STRING_MAX = 64;

/** The reason for a string over its bound (a short preview, never the whole value). */
export function tooLong(where: string, v: string, max: number): string {
  return `${where}: ${v.length} characters, at most ${max} allowed (${JSON.stringify(v.slice(0, 12))}…)`;
}

/** "a string", "an array", "null"… for messages that say what was found instead. */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  return t === 'object' || t === 'undefined' ? `an ${t}` : `a ${t}`;
}

/** Collects per-record problems: counts records, keeps the first few reasons verbatim. */
export class RejectLog {
  records = 0;
  notes = 0;
  readonly reasons: string[] = [];
  note(reason: string): void {
    this.notes++;
    if (this.reasons.length < MAX_REJECT_REASONS) this.reasons.push(reason);
  }
  /** Reasons for the result, with a tail line when some were left out. */
  finish(): string[] | undefined {
    if (this.notes === 0) return undefined;
    const left = this.notes - this.reasons.length;
    return left > 0 ? [...this.reasons, `… and ${left} more problem(s)`] : this.reasons;
  }
}

/** A parsed reply's result: envelope problems (`extra`, e.g. a bad clock) come before the per-record ones. */
export function replyResult(
  states: AircraftState[],
  serverTime: number | undefined,
  bytes: number,
  rejects: RejectLog,
  extra: string[],
  passedOver?: string[],
): FetchResult {
  const reasons = rejects.finish();
  const rejectReasons = extra.length ? [...extra, ...(reasons ?? [])] : reasons;
  const result: FetchResult = { states, serverTime, bytes, rejected: rejects.records };
  if (rejectReasons) result.rejectReasons = rejectReasons;
  if (passedOver) result.passedOver = passedOver;
  return result;
}
