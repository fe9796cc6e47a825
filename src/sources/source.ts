/**
 * The source port. Each adapter (readsb-v2 family, OpenSky, own receiver) turns planned queries into HTTP
 * requests and normalizes replies to AircraftState. Adapters never throw anything but SourceError.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { SourceConfig } from '../config/schema';

/** What the watchlist asks for in one cycle, independent of any source (see ingest/planner.ts). */
export interface WatchPlan {
  hex: string[];
  registrations: string[];
  types: string[];
  /** Circles polled so local-only keys (callsign prefixes, operators, patterns…) see traffic around hubs. */
  areas: { id: string; lat: number; lon: number; radiusNm: number }[];
  /** True when some watch entry can only be matched locally (callsign prefix, pattern, operator, squawk, flags). */
  needsLocalScan: boolean;
}

/** One HTTP request a source will make this cycle. */
export type SourceQuery =
  | { kind: 'hex'; values: string[] }
  | { kind: 'reg'; values: string[] }
  | { kind: 'type'; values: string[] }
  | { kind: 'callsign'; values: string[] }
  | { kind: 'point'; areaId: string; lat: number; lon: number; radiusNm: number }
  /** Everything the source serves in one reply: receiver aircraft.json, OpenSky /states/all (bbox). */
  | { kind: 'all' };

export interface PlannedRequest {
  query: SourceQuery;
  /** Path + query string relative to the source base URL (or the absolute URL for receivers). */
  path: string;
  /** OpenSky credits (or 1 request for the others) this request costs. */
  cost: number;
}

export interface FetchResult {
  states: AircraftState[];
  /** Reply's own clock (epoch ms), if it had one. */
  serverTime?: number;
  bytes: number;
  /** Records dropped during normalization (no hex, wrong types…), with reasons, for logs and metrics. */
  rejected: number;
  rejectReasons?: string[];
  /**
   * Hexes of valid records the parser did not build because `FetchOptions.select` passed them over (their
   * fields were still checked: rejects count as always). Absent when every record is in `states`.
   */
  passedOver?: string[];
}

/**
 * Which records of a reply need a full AircraftState; the rest are only counted (see `passedOver`). Gets a
 * scratch state the parser reuses for the next record: read it, never keep it.
 */
export type StateSelector = (probe: AircraftState) => boolean;

export interface FetchOptions {
  /** A hint: a parser that supports it builds only the records this selects; others build every record. */
  select?: StateSelector;
}

export type SourceErrorKind =
  | 'timeout'
  | 'network'
  | 'http' // 5xx and unexpected statuses
  | 'rate-limited' // 429
  | 'auth' // 401/403: out of rotation until config changes or backoff expires
  | 'too-large'
  | 'malformed' // not JSON, HTML error page, wrong envelope
  | 'unavailable' // skipped: in auth backoff / budget exhausted
  | 'empty'; // answered, but with no aircraft even where traffic always is (hub circles, whole feeds)

export class SourceError extends Error {
  constructor(
    readonly sourceId: string,
    readonly kind: SourceErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; path?: string } = {},
  ) {
    super(`source ${sourceId}: ${kind}: ${message}`);
    this.name = 'SourceError';
  }
}

export interface Source {
  readonly id: string;
  readonly config: SourceConfig;
  /** The requests this source makes to serve a plan (used by the poll cycle and `flightwatch plan`). */
  requestsFor(plan: WatchPlan): PlannedRequest[];
  /** Performs one request; rejects only with SourceError. */
  fetch(req: PlannedRequest, signal?: AbortSignal, opts?: FetchOptions): Promise<FetchResult>;
  /** Why the source cannot be used right now (auth backoff, 429 window, budget), or undefined. */
  unavailableReason(now: number): string | undefined;
}
