/**
 * `flightwatch export legs`: one row per leg, the columns documented for researchers in docs/record.md
 * ("Export columns"). The row is built once and written as CSV, JSON or GeoJSON, so the three formats always
 * carry the same values.
 */

/** A leg as exported. Times ISO-8601 UTC; booleans true/false; lists joined with "; " in CSV. */
export interface ExportedLeg {
  leg_id: string;
  trip_id: string | null;
  hex: string;
  registration: string | null;
  aircraft_type: string | null;
  operator: string | null;
  callsign: string | null;
  departure_icao: string | null;
  departure_country: string | null;
  departure_lat: number | null;
  departure_lon: number | null;
  departed_at: string | null;
  takeoff_inferred: boolean;
  departure_time_estimated: boolean;
  arrival_icao: string | null;
  arrival_country: string | null;
  arrival_lat: number | null;
  arrival_lon: number | null;
  arrived_at: string | null;
  landing_inferred: boolean;
  arrival_time_estimated: boolean;
  max_gap_s: number | null;
  category: string | null;
  classified_category: string | null;
  confidence: string | null;
  reasons: string[];
  destination_country: string | null;
  border_city: string | null;
  review_state: string;
  reviewer: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  counted: boolean;
  count_method: string;
  configured_destination: string | null;
  diverted_from: string | null;
  watch_ids: string[];
  evidence_id: string;
  permalink: string | null;
}

export const EXPORT_COLUMNS: readonly (keyof ExportedLeg)[] = [
  'leg_id',
  'trip_id',
  'hex',
  'registration',
  'aircraft_type',
  'operator',
  'callsign',
  'departure_icao',
  'departure_country',
  'departure_lat',
  'departure_lon',
  'departed_at',
  'takeoff_inferred',
  'departure_time_estimated',
  'arrival_icao',
  'arrival_country',
  'arrival_lat',
  'arrival_lon',
  'arrived_at',
  'landing_inferred',
  'arrival_time_estimated',
  'max_gap_s',
  'category',
  'classified_category',
  'confidence',
  'reasons',
  'destination_country',
  'border_city',
  'review_state',
  'reviewer',
  'reviewed_at',
  'review_note',
  'counted',
  'count_method',
  'configured_destination',
  'diverted_from',
  'watch_ids',
  'evidence_id',
  'permalink',
];

/** "Count method" in the volunteers' sense: how the flight is known, and whether a person checked it. */
export function countMethod(confidence: string | null, reviewState: string): string {
  const how =
    confidence === 'confirmed' ? 'confirmed: takeoff and landing observed in ADS-B' : 'estimated: inferred from ADS-B';
  const who =
    reviewState === 'unreviewed'
      ? 'not reviewed'
      : reviewState === 'rejected'
        ? 'rejected by a reviewer'
        : `${reviewState} by a reviewer`;
  return `${how}; ${who}`;
}
