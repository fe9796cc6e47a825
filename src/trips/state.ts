/**
 * What routes remember per aircraft, inside TrackState.ext.routes: plain JSON, so it persists in the Redis
 * track store and commits atomically with the detector's own state.
 */
import type { AirportRef } from '../domain/event';
import type { TrackState } from '../detect/track-state';
import type { HistoryLeg, HistoryPrior } from './history';

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
}

export interface TripsTrackState {
  trip?: TripState;
  leg?: LegPrediction;
  /** Landings of this airframe, oldest first (history.ts); outlives trips. */
  hist?: HistoryLeg[];
}

export function tripsTrackState(st: TrackState): TripsTrackState {
  const ext = (st.ext ??= {});
  let r = ext.routes as TripsTrackState | undefined;
  if (!r || typeof r !== 'object') ext.routes = r = {};
  return r;
}
