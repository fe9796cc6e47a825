/**
 * Trip stitching, pure: consecutive legs of one airframe form a trip. A leg ends at a landing; a ground stop
 * shorter than trips.maxGroundStopMinutes continues the trip; the trip closes when the aircraft lands back in
 * the country it left from (after having landed abroad) or stays on the ground past that limit.
 * `trip` events go out as the trip grows (each landing) and when it closes, once the trip is worth telling
 * (it reached another country or has more than one leg; single domestic legs only with announceDomestic).
 */
import type { TripsConfig } from '../config/trips-schema';
import { isInferred, type AirportRef, type FlightEvent, type TripDetails } from '../domain/event';
import { eventId } from '../detect/event-id';
import type { Places } from '../detect/places';
import { lastSample, type Sample, type TrackState } from '../detect/track-state';
import { emitTripEvent, pointEvidence } from './event';
import type { TrackPoint, TripLegState, TripState } from './state';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** First spacing of map points; doubled as a leg grows so it never holds more than mapPointsPerLeg. */
const FIRST_GAP_MS = 2 * MIN;
/** At most this many positions across all legs in one trip event's evidence. */
const MAX_EVIDENCE = 240;

export interface TripContext {
  cfg: TripsConfig['stitch'];
  places: Places;
  bucketMs: number;
}

function newLeg(from: AirportRef | null, departedAt: number | null, src: string): TripLegState {
  return { from, departedAt, src, pts: [], gap: FIRST_GAP_MS };
}

export function openTrip(
  st: TrackState,
  from: AirportRef | null,
  departedAt: number | null,
  at: number,
  ctx: TripContext,
): TripState {
  return {
    id: eventId(st.hex, 'trip', departedAt ?? at, ctx.bucketMs),
    status: 'open',
    origin: from?.country ?? null,
    legs: [newLeg(from, departedAt, lastSample(st)?.src ?? 'unknown')],
    countries: [],
    announced: false,
  };
}

/** Keeps a thinned track of the current leg for the trip map. */
export function recordPoint(trip: TripState, s: Sample, maxPoints: number): void {
  const leg = trip.legs[trip.legs.length - 1];
  if (!leg || leg.arrivedAt !== undefined || !Number.isFinite(s.lat)) return;
  const last = leg.pts[leg.pts.length - 1];
  if (last && s.t - last[0] < leg.gap) return;
  const p: TrackPoint = [s.t, Math.round(s.lat * 1e5) / 1e5, Math.round(s.lon * 1e5) / 1e5, s.alt ?? null, s.fat];
  leg.pts.push(p);
  leg.src = s.src;
  if (leg.pts.length > maxPoints) {
    // Drop every other point (keep the first): the spacing doubles, the shape stays.
    leg.pts = leg.pts.filter((_, i) => i % 2 === 0 || i === leg.pts.length - 1);
    leg.gap *= 2;
  }
}

/** A takeoff: continues the open trip after a short ground stop, else starts a new one. */
export function onTakeoff(
  st: TrackState,
  trip: TripState | undefined,
  ev: FlightEvent,
  ctx: TripContext,
  out: FlightEvent[],
): TripState {
  const at = Date.parse(ev.time);
  const dep = ev.airport ?? null;
  const prev = trip?.legs[trip.legs.length - 1];
  if (trip && trip.status === 'open' && prev?.arrivedAt !== undefined) {
    if (at - prev.arrivedAt <= ctx.cfg.maxGroundStopMinutes * MIN) {
      trip.legs.push(newLeg(dep ?? prev.to ?? null, at, ev.source));
      return trip;
    }
    closeTrip(st, trip, prev.arrivedAt + ctx.cfg.maxGroundStopMinutes * MIN, 'ground-stop-limit', ctx, out);
  } else if (trip && trip.status === 'open' && prev && prev.arrivedAt === undefined) {
    // Airborne leg never saw its landing (lost in flight) and now a takeoff: the old trip's end is unknown.
    closeTrip(st, trip, at, 'new-trip', ctx, out);
  }
  return openTrip(st, dep, at, at, ctx);
}

/** A landing: ends the current leg; the trip grows, or closes when back in the origin country. */
export function onLanding(
  st: TrackState,
  trip: TripState,
  ev: FlightEvent,
  ctx: TripContext,
  out: FlightEvent[],
): void {
  const at = Date.parse(ev.time);
  let leg = trip.legs[trip.legs.length - 1];
  if (!leg || leg.arrivedAt !== undefined) {
    leg = newLeg(leg?.to ?? null, null, ev.source);
    trip.legs.push(leg);
  }
  const s = lastSample(st);
  if (s && Number.isFinite(s.lat))
    leg.pts.push([s.t, Math.round(s.lat * 1e5) / 1e5, Math.round(s.lon * 1e5) / 1e5, s.alt ?? null, s.fat]);
  leg.to = ev.airport ?? null;
  leg.arrivedAt = at;
  if (isInferred(ev)) leg.inferred = true;
  const country = leg.to?.country;
  if (country && country !== trip.origin && !trip.countries.includes(country)) trip.countries.push(country);
  if (country && trip.origin && country === trip.origin && trip.countries.length > 0) {
    closeTrip(st, trip, at, 'returned', ctx, out);
    return;
  }
  if (worthTelling(trip, ctx)) emitTrip(st, trip, at, ctx, out);
}

/** The ground-stop timer fired (or a takeoff came too late): the trip is over. */
export function closeTrip(
  st: TrackState,
  trip: TripState,
  at: number,
  reason: NonNullable<TripState['closeReason']>,
  ctx: TripContext,
  out: FlightEvent[],
): void {
  if (trip.status === 'closed') return;
  trip.status = 'closed';
  trip.closedAt = at;
  trip.closeReason = reason;
  if (trip.announced || worthTelling(trip, ctx)) emitTrip(st, trip, at, ctx, out);
}

function worthTelling(trip: TripState, ctx: TripContext): boolean {
  const legs = trip.legs.filter((l) => l.arrivedAt !== undefined).length;
  return trip.countries.length > 0 || legs > 1 || (ctx.cfg.announceDomestic && legs > 0);
}

/** Configured destinations the trip reached: any airport it landed at (airport, radius) or any country it reached. */
export function tripDestinations(trip: TripState, places: Places): string[] {
  const ids: string[] = [];
  const countries = new Set(trip.countries);
  for (const leg of trip.legs) {
    if (!leg.to) continue;
    for (const m of places.destinationsFor(leg.to, leg.to.lat, leg.to.lon)) {
      if (m.via === 'country' && !countries.has(leg.to.country)) continue; // the origin country is not "reached"
      if (!ids.includes(m.id)) ids.push(m.id);
    }
  }
  return ids;
}

function emitTrip(st: TrackState, trip: TripState, at: number, ctx: TripContext, out: FlightEvent[]): void {
  const legs = trip.legs.filter((l) => l.arrivedAt !== undefined || l.departedAt !== null);
  const done = legs.filter((l) => l.arrivedAt !== undefined);
  const final = done[done.length - 1]?.to ?? null;
  const dests = tripDestinations(trip, ctx.places);
  // The first trip event of a trip carries the trip id as its event id: it is the root of the e-mail thread.
  const id = trip.announced
    ? eventId(st.hex, `trip:${trip.id}:${done.length}:${trip.status}`, at, ctx.bucketMs)
    : trip.id;
  let evidence = legs.flatMap((l) =>
    l.pts.map((p, i) => pointEvidence(p, l.src, l.arrivedAt !== undefined && i === l.pts.length - 1)),
  );
  if (evidence.length > MAX_EVIDENCE) {
    const step = evidence.length / MAX_EVIDENCE;
    evidence = Array.from(
      { length: MAX_EVIDENCE },
      (_, i) => evidence[Math.min(evidence.length - 1, Math.round(i * step))]!,
    );
  }
  const details: TripDetails = {
    tripId: trip.id,
    status: trip.status,
    legs: legs.map((l) => ({
      from: l.from,
      to: l.to ?? null,
      departedAt: l.departedAt === null ? null : iso(l.departedAt),
      arrivedAt: l.arrivedAt === undefined ? null : iso(l.arrivedAt),
      ...(l.inferred ? { inferred: true } : {}),
    })),
    route: [legs[0]?.from?.icao ?? '?', ...done.map((l) => l.to?.icao ?? '?')].join(' → '),
    origin: trip.origin,
    countries: [...trip.countries],
    destinations: dests,
  };
  if (trip.status === 'closed') details.closeReason = trip.closeReason;
  const ev = emitTripEvent(
    st,
    { type: 'trip', id, time: at, sample: lastSample(st), airport: final, destination: dests[0], evidence, details },
    out,
  );
  if (ev) trip.announced = true;
}
