/** Builds route event documents (trip, en_route, diversion) in the shape the rules use (docs/events.md). */
import type {
  AirportRef,
  EvidencePoint,
  FlightEvent,
  FlightEventDetails,
  FlightEventOf,
  FlightEventSink,
} from '../domain/event';
import { EVENT_SCHEMA } from '../domain/event';
import { evidenceOf } from '../detect/rules';
import { rememberId, type Sample, type TrackState } from '../detect/track-state';
import type { TrackPoint } from './state';

const iso = (ms: number) => new Date(ms).toISOString();

export function pointEvidence(p: TrackPoint, src: string, onGround = false): EvidencePoint {
  const e: EvidencePoint = { time: iso(p[0]), lat: p[1], lon: p[2], onGround, source: src, fetchedAt: iso(p[4]) };
  if (p[3] !== null) e.altFt = p[3];
  return e;
}

/** The event types route prediction produces. */
export type TripEventType = 'trip' | 'en_route' | 'diversion';

export interface TripEventSpec<T extends TripEventType> {
  type: T;
  id: string;
  time: number;
  sample?: Sample;
  airport?: AirportRef | null;
  destination?: string;
  evidence: EvidencePoint[];
  details: FlightEventDetails[T];
}

/** Appends the event unless its id was emitted for this aircraft before; returns it when emitted. */
export function emitTripEvent<T extends TripEventType>(
  st: TrackState,
  spec: TripEventSpec<T>,
  out: FlightEventSink<NoInfer<T>>,
): FlightEventOf<T> | undefined {
  if (!rememberId(st, spec.id)) return undefined;
  const aircraft: FlightEvent['aircraft'] = { hex: st.hex };
  const { registration, type, callsign, operator } = st.ident;
  if (registration !== undefined) aircraft.registration = registration;
  if (type !== undefined) aircraft.type = type;
  if (callsign !== undefined) aircraft.callsign = callsign;
  if (operator !== undefined) aircraft.operator = operator;
  const s = spec.sample;
  const ev: FlightEventOf<T> = {
    schema: EVENT_SCHEMA,
    id: spec.id,
    type: spec.type,
    time: iso(spec.time),
    aircraft,
    watch: { ids: [...st.watch.ids], tags: [...st.watch.tags] },
    source: s?.src ?? spec.evidence[spec.evidence.length - 1]?.source ?? 'unknown',
    evidence: spec.evidence,
  };
  if (s && Number.isFinite(s.lat)) {
    const position: NonNullable<FlightEvent['position']> = { lat: s.lat, lon: s.lon, altFt: s.alt ?? null };
    if (s.gs !== undefined) position.gsKt = s.gs;
    if (s.trk !== undefined) position.trackDeg = s.trk;
    ev.position = position;
  }
  if (spec.airport) ev.airport = spec.airport;
  if (spec.destination) ev.destination = { id: spec.destination };
  ev.details = spec.details;
  out.push(ev);
  return ev;
}

/**
 * Marks an event of the rules as part of a trip: `details.tripId` on takeoffs, landings, destinations and
 * squawks (other types carry it already or never). A new details object, like the one it replaces.
 */
export function addTripId(ev: FlightEvent, tripId: string): void {
  switch (ev.type) {
    case 'takeoff':
      if (ev.details) ev.details = { ...ev.details, tripId };
      break;
    case 'landing':
      // A test alert (`synthetic`) is no detected landing and belongs to no trip.
      if (ev.details && !('synthetic' in ev.details)) ev.details = { ...ev.details, tripId };
      break;
    case 'destination':
      if (ev.details) ev.details = { ...ev.details, tripId };
      break;
    case 'squawk':
      if (ev.details) ev.details = { ...ev.details, tripId };
      break;
  }
}

export { evidenceOf };
