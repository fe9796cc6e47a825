/**
 * The event document: what detection produces and what every channel delivers. Versioned; documented in
 * docs/events.md, defined once here as zod schemas (the types are inferred from them, and
 * docs/webhook-event.schema.json is generated from them). `id` is deterministic (aircraft, type, time bucket)
 * so re-detecting the same transition yields the same id and downstream dedup is possible.
 *
 * A FlightEvent is a union told apart by `type`; narrowing on `type` types `details`.
 */
import { z } from 'zod';
import {
  EVENT_SCHEMA,
  aircraftSchema,
  airportRefSchema,
  evidencePointSchema,
  isoTime,
  positionSchema,
  watchSchema,
} from './event-fields';
import { FLIGHT_EVENT_DETAILS } from './event-details';
import { operationalEventSchema, type OperationalEvent } from './operational-event';

export { EVENT_SCHEMA, type AirportRef, type EvidencePoint } from './event-fields';
export type * from './event-details';
export {
  OPERATIONAL_KINDS,
  operationalEventSchema,
  type OperationalEvent,
  type OperationalFacts,
  type OperationalInfo,
  type OperationalKind,
} from './operational-event';

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
  'touch_and_go',
  'go_around',
] as const;
/** A flight event type (the name predates operational events; detectors and routes use it). */
export type EventType = (typeof FLIGHT_EVENT_TYPES)[number];
/** Every `type` an event document can have: the flight types and `operational` (flightwatch about itself). */
export const EVENT_TYPES = [...FLIGHT_EVENT_TYPES, 'operational'] as const;
export type AnyEventType = (typeof EVENT_TYPES)[number];

const detailsByType: { readonly [T in EventType]: (typeof FLIGHT_EVENT_DETAILS)[T] } = FLIGHT_EVENT_DETAILS;

/** `details` of each flight event type (LandingDetails, SquawkDetails, … in event-details.ts). */
export type FlightEventDetails = { [T in EventType]: z.infer<(typeof FLIGHT_EVENT_DETAILS)[T]> };

const eventHead = {
  schema: z.literal(EVENT_SCHEMA),
  id: z.string().describe('deterministic from aircraft, event type and time bucket'),
};

const eventBody = {
  time: isoTime.describe('when the event happened, not when it was detected'),
  aircraft: aircraftSchema,
  position: positionSchema.optional(),
  airport: airportRefSchema.optional(),
  destination: z.object({ id: z.string() }).optional().describe('the matched destinations[] entry'),
  watch: watchSchema,
  source: z.string().describe('config id of the source whose record triggered the event'),
  evidence: z.array(evidencePointSchema).describe('the raw positions that triggered it, oldest first'),
};

const SCHEMA_IDS: Record<EventType, string> = {
  seen: 'SeenEvent',
  takeoff: 'TakeoffEvent',
  landing: 'LandingEvent',
  destination: 'DestinationEvent',
  squawk: 'SquawkEvent',
  trip: 'TripEvent',
  en_route: 'EnRouteEvent',
  diversion: 'DiversionEvent',
  touch_and_go: 'TouchAndGoEvent',
  go_around: 'GoAroundEvent',
};

/** Fields in document order (schema, id, type, time, …, details), as the producers build them. */
function flightEventSchemaOf<T extends EventType>(type: T, description: string) {
  return z
    .object({ ...eventHead, type: z.literal(type), ...eventBody, details: z.optional(detailsByType[type]) })
    .meta({ id: SCHEMA_IDS[type], description });
}

export const flightEventSchema = z
  .discriminatedUnion('type', [
    flightEventSchemaOf('seen', 'first record of an aircraft, or the first after the quiet period'),
    flightEventSchemaOf('takeoff', 'ground to airborne'),
    flightEventSchemaOf('landing', 'airborne to ground (observed or inferred), or a test alert'),
    flightEventSchemaOf('destination', 'a landing that matches a configured destination'),
    flightEventSchemaOf('squawk', 'a watched squawk code held'),
    flightEventSchemaOf('trip', 'consecutive legs of one airframe, announced as the trip grows and when it closes'),
    flightEventSchemaOf('en_route', 'an airborne aircraft predicted to be heading for a configured destination'),
    flightEventSchemaOf('diversion', 'a leg announced en route to a destination landed elsewhere'),
    flightEventSchemaOf(
      'touch_and_go',
      'touched down and took off again without stopping: no landing, the leg goes on',
    ),
    flightEventSchemaOf('go_around', 'an approach to an airport that climbed away without touching down'),
  ])
  .meta({ id: 'FlightEvent', description: 'a flight event: something an aircraft did (docs/events.md)' });

/** What every flight event has besides `type` and `details`. */
type FlightEventFields = Omit<z.infer<typeof flightEventSchema>, 'type' | 'details'>;

/** A flight event of type T (or of any type in T). */
export type FlightEventOf<T extends EventType> = {
  [K in T]: FlightEventFields & { type: K; details?: FlightEventDetails[K] };
}[T];
export type FlightEvent = FlightEventOf<EventType>;

// The union above is spelled out for producers (a generic FlightEventOf<T> can be built from `type: T` and
// `details: FlightEventDetails[T]`); this fails to compile when it and the schema disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type FlightEventMatchesSchema = Assert<Same<FlightEvent, z.infer<typeof flightEventSchema>>>;

/**
 * Where a producer appends events of type T. A FlightEvent[] is one; producers generic in T take this rather
 * than FlightEvent[] because TypeScript does not see a FlightEventOf<T> as a member of the union.
 */
export interface FlightEventSink<T extends EventType> {
  push(event: FlightEventOf<T>): unknown;
}

export type SeenEvent = FlightEventOf<'seen'>;
export type TakeoffEvent = FlightEventOf<'takeoff'>;
export type LandingEvent = FlightEventOf<'landing'>;
export type DestinationEvent = FlightEventOf<'destination'>;
export type SquawkEvent = FlightEventOf<'squawk'>;
export type TripEvent = FlightEventOf<'trip'>;
export type EnRouteEvent = FlightEventOf<'en_route'>;
export type DiversionEvent = FlightEventOf<'diversion'>;
export type TouchAndGoEvent = FlightEventOf<'touch_and_go'>;
export type GoAroundEvent = FlightEventOf<'go_around'>;

/** What a channel delivers: a flight event or an operational one (narrow on `type`). */
export type AlertEvent = FlightEvent | OperationalEvent;

export const alertEventSchema = z.discriminatedUnion('type', [flightEventSchema, operationalEventSchema]);

export const isOperationalEvent = (e: AlertEvent): e is OperationalEvent => e.type === 'operational';

/** Concluded rather than observed (`details.inferred`: takeoff, landing, destination, diversion). */
export function isInferred(ev: FlightEvent): boolean {
  const d = ev.details;
  return d !== undefined && 'inferred' in d && d.inferred === true;
}

/** Timed at an estimate rather than at a position (`details.estimated`: takeoff, landing, destination). */
export function isEstimated(ev: FlightEvent): boolean {
  const d = ev.details;
  return d !== undefined && 'estimated' in d && d.estimated === true;
}

/** A test alert (`flightwatch alert test`): no aircraft was detected. */
export function isTestAlert(ev: FlightEvent): boolean {
  const d = ev.details;
  return d !== undefined && 'synthetic' in d && d.synthetic === true;
}

/** The trip the event belongs to, when trips are enabled and it has one. */
export function tripIdOf(ev: FlightEvent): string | undefined {
  const d = ev.details;
  return d !== undefined && 'tripId' in d ? d.tripId : undefined;
}
