/**
 * What the trips extension remembers per aircraft, inside TrackState.ext.trips: plain JSON, so it persists in
 * the Redis track store and commits atomically with the detector's own state. The track store validates only
 * detect's own fields; this entry is checked here, the first time a step sees it, and each part that cannot
 * be used (another release's shape, a hand edit) starts afresh instead of throwing in a detection cycle.
 */
import { z } from 'zod';
import type { AirportRef } from '../domain/event';
import { extOf, type TrackState } from '../detect/track-state';
import { airportRefSchema } from '../detect/store/track-record';
import type { HistoryLeg, HistoryPrior } from './history';
import { isLegPrediction, isTrackPoint, isTrip } from './state-check';

/** A compact track point for the trip map: [time ms, lat, lon, altFt|null, fetchedAt ms]. */
export type TrackPoint = [number, number, number, number | null, number];

export interface TripLegState {
  from: AirportRef | null;
  to?: AirportRef | null;
  departedAt: number | null;
  arrivedAt?: number;
  inferred?: boolean;
  /** Source id of the positions in `pts`. */
  src: string;
  pts: TrackPoint[];
  /** Current spacing of `pts` (ms); doubled whenever the list is thinned. */
  gap: number;
}

export interface TripState {
  id: string;
  status: 'open' | 'closed';
  /** Country the trip left from (of the first departure airport), if known. */
  origin: string | null;
  legs: TripLegState[];
  /** Countries landed in other than the origin, in order of first arrival. */
  countries: string[];
  /** A `trip` event went out for this trip (the next ones thread under it). */
  announced: boolean;
  closedAt?: number;
  closeReason?: 'returned' | 'ground-stop-limit' | 'new-trip';
}

export interface EnRouteEmitted {
  destination: string;
  icao: string;
  p: number;
  eta: number;
  at: number;
}

/** The airborne leg as the predictor sees it. */
export interface LegPrediction {
  /** Departure time (or first airborne time) identifying the leg. */
  key: number;
  dep: string | null;
  evalAt: number;
  streak: Record<string, number>;
  emitted: EnRouteEmitted[];
  /** Configured destinations the leg departed from (never announced for it). */
  from?: string[];
  /** Prior factors from where this airframe landed before, fixed at the start of the leg (history.ts). */
  prior?: HistoryPrior[];
  /** The en_route threshold of this leg when its prior comes from the fleet (fleet.threshold), else the default. */
  threshold?: number;
}

export interface TripsTrackState {
  trip?: TripState;
  leg?: LegPrediction;
  /** Landings of this airframe, oldest first (history.ts); outlives trips. */
  hist?: HistoryLeg[];
}

/** The key of this extension's entry in TrackState.ext. */
export const TRIPS_EXT_KEY = 'trips';
/** Where releases before the routes → trips rename kept it; moved to TRIPS_EXT_KEY when read. */
const LEGACY_EXT_KEY = 'routes';

// Map points are most of the entry: a plain loop (state-check.ts) checks them in half the time zod tuples take.
const trackPoints = z.custom<TrackPoint[]>(
  (v) => Array.isArray(v) && v.every(isTrackPoint),
  'not a list of track points',
);

/** Exported for the tests, which hold state-check.ts to these. */
export const tripSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  origin: z.string().nullable(),
  legs: z.array(
    z.object({
      from: airportRefSchema.nullable(),
      to: airportRefSchema.nullable().optional(),
      departedAt: z.number().nullable(),
      arrivedAt: z.number().optional(),
      inferred: z.boolean().optional(),
      src: z.string(),
      pts: trackPoints,
      gap: z.number(),
    }),
  ),
  countries: z.array(z.string()),
  announced: z.boolean(),
  closedAt: z.number().optional(),
  closeReason: z.enum(['returned', 'ground-stop-limit', 'new-trip']).optional(),
});

export const legSchema = z.object({
  key: z.number(),
  dep: z.string().nullable(),
  evalAt: z.number(),
  streak: z.record(z.string(), z.number()),
  emitted: z.array(
    z.object({ destination: z.string(), icao: z.string(), p: z.number(), eta: z.number(), at: z.number() }),
  ),
  from: z.array(z.string()).optional(),
  prior: z.array(z.tuple([z.string(), z.number(), z.number()])).optional(),
  threshold: z.number().optional(),
});

// Schemas and interfaces describe the same shapes: a field added to one and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShapes: [Same<z.infer<typeof tripSchema>, TripState>, Same<z.infer<typeof legSchema>, LegPrediction>] = [
  true,
  true,
];
void sameShapes;

/** Entries already checked: code-built ones and those read once (the memory store keeps the same object). */
const checked = new WeakSet<object>();

/**
 * This extension's state in `st`, created when absent. An entry not seen before (read from the store) is
 * checked first: the legacy `ext.routes` moves to `ext.trips`, and a trip, leg prediction or landing history
 * of a shape this release cannot use is dropped (that part starts afresh; history.ts also skips bad legs).
 */
export function tripsTrackState(st: TrackState): TripsTrackState {
  const ext = extOf(st) ?? (st.ext = {});
  const entry = ext[TRIPS_EXT_KEY];
  if (typeof entry === 'object' && entry !== null && checked.has(entry)) return entry;
  if (LEGACY_EXT_KEY in ext) {
    // An older release wrote it (or, in a rolling upgrade, still writes it): ext.trips, when present, is newer.
    if (entry === undefined) ext[TRIPS_EXT_KEY] = ext[LEGACY_EXT_KEY];
    delete ext[LEGACY_EXT_KEY];
  }
  const r = usable(ext[TRIPS_EXT_KEY]);
  ext[TRIPS_EXT_KEY] = r;
  checked.add(r);
  return r;
}

function usable(entry: unknown): TripsTrackState {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return {};
  const r = entry as Record<string, unknown>;
  const out: TripsTrackState = {};
  // The hand checks (state-check.ts) pass what the schemas would return unchanged; the rest goes to the schemas.
  if (isTrip(r.trip)) out.trip = r.trip as TripState;
  else if (r.trip !== undefined) {
    const trip = tripSchema.safeParse(r.trip);
    if (trip.success) out.trip = trip.data;
  }
  if (isLegPrediction(r.leg)) out.leg = r.leg as LegPrediction;
  else if (r.leg !== undefined) {
    const leg = legSchema.safeParse(r.leg);
    if (leg.success) out.leg = leg.data;
  }
  if (Array.isArray(r.hist)) out.hist = r.hist as HistoryLeg[]; // each leg is checked where it is used
  return out;
}
