/**
 * The event document: what detection produces and what every channel delivers. Versioned; documented in
 * docs/events.md. `id` is deterministic (aircraft, type, time bucket) so re-detecting the same transition
 * yields the same id and downstream dedup is possible.
 */
export const EVENT_SCHEMA = 'flightwatch.event/v1' as const;

/** What detection (and route prediction) produces: events about an aircraft. */
export const FLIGHT_EVENT_TYPES = [
  'seen',
  'takeoff',
  'landing',
  'destination',
  'squawk',
  'trip',
  'en_route',
  'diversion',
] as const;
/** A flight event type (the name predates operational events; detectors and routes use it). */
export type EventType = (typeof FLIGHT_EVENT_TYPES)[number];
/** Every `type` an event document can have: the flight types and `operational` (flightwatch about itself). */
export const EVENT_TYPES = [...FLIGHT_EVENT_TYPES, 'operational'] as const;
export type AnyEventType = (typeof EVENT_TYPES)[number];

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

/**
 * Operational alerts: flightwatch telling its operators something needs a human (it went blind, it sees
 * again, a receiver answered 410 and its channel was disabled). No aircraft, position or watch semantics, so
 * they are a type of their own and not a FlightEvent with placeholder fields: routes, silences, maps and
 * aircraft links never apply to them.
 */
export const OPERATIONAL_KINDS = ['blind', 'recovered', 'channel-disabled'] as const;
export type OperationalKind = (typeof OPERATIONAL_KINDS)[number];

export interface OperationalInfo {
  kind: OperationalKind;
  /** One human sentence: what happened and what to do. */
  summary: string;
  /** Kind-specific facts (blind: since, blindAfterMinutes, sources; channel-disabled: channelId, reason, …). */
  [fact: string]: unknown;
}

export interface OperationalEvent {
  schema: typeof EVENT_SCHEMA;
  id: string;
  type: 'operational';
  time: string;
  /** Always "flightwatch": the pipeline itself, not an ADS-B source. */
  source: 'flightwatch';
  details: { operational: OperationalInfo };
}

/** What a channel delivers: a flight event or an operational one (narrow on `type`). */
export type AlertEvent = FlightEvent | OperationalEvent;

export const isOperationalEvent = (e: AlertEvent): e is OperationalEvent => e.type === 'operational';
