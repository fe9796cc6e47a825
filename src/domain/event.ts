/**
 * The event document: what detection produces and what every channel delivers. Versioned; documented in
 * docs/events.md. `id` is deterministic (aircraft, type, time bucket) so re-detecting the same transition
 * yields the same id and downstream dedup is possible.
 */
export const EVENT_SCHEMA = 'flightwatch.event/v1' as const;

export const EVENT_TYPES = ['seen', 'takeoff', 'landing', 'destination', 'squawk', 'trip', 'en_route', 'diversion'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface AirportRef {
  icao: string;
  iata?: string;
  name: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** IANA time zone, e.g. Asia/Shanghai */
  tz?: string;
  lat: number;
  lon: number;
  /** Distance from the aircraft position to the airport, nautical miles. */
  distanceNm?: number;
}

export interface EvidencePoint {
  time: string; // ISO-8601 UTC of the position
  lat?: number;
  lon?: number;
  altFt?: number | null;
  onGround: boolean;
  gsKt?: number;
  trackDeg?: number;
  positionAgeS?: number;
  source: string;
  fetchedAt: string; // ISO-8601 UTC
}

export interface FlightEvent {
  schema: typeof EVENT_SCHEMA;
  id: string;
  type: EventType;
  time: string;
  aircraft: { hex: string; registration?: string; type?: string; callsign?: string; operator?: string };
  position?: { lat: number; lon: number; altFt: number | null; gsKt?: number; trackDeg?: number };
  airport?: AirportRef;
  destination?: { id: string };
  watch: { ids: string[]; tags: string[] };
  source: string;
  evidence: EvidencePoint[];
  /** Type-specific facts: inferred landing, squawk code, trip legs, ETA and confidence, … */
  details?: Record<string, unknown>;
}
