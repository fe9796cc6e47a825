/**
 * The archive's tables as Kysely sees them: one typed schema for SQLite and PostgreSQL. Conventions that keep
 * the two engines identical: times of events and legs are ISO-8601 UTC text (sorts like time); capture times
 * (positions, replies) are epoch milliseconds in a bigint column (parsed to number on PostgreSQL, see
 * open.ts); flags are 0/1 integers; lists and documents are JSON text. Migration 001 creates these tables;
 * later migrations add columns (review state, classification) — keep this file in step with them.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';

/** 0 or 1: SQLite has no boolean, and the same integer reads back the same on both engines. */
export type Flag = 0 | 1;

export interface AircraftTable {
  /** ICAO 24-bit address, lowercase hex ("~" prefix for non-ICAO). */
  hex: string;
  registration: string | null;
  type_code: string | null;
  operator: string | null;
  /** JSON array of watch entry ids that matched this airframe (union over time). */
  watch_ids: string;
  first_seen: string;
  last_seen: string;
}

/** One leg: takeoff → landing of one airframe, observed or inferred, with what is known of each end. */
export interface LegsTable {
  /** "leg:" + the takeoff event id, or + the landing event id when the takeoff was never seen. */
  id: string;
  hex: string;
  trip_id: string | null;
  departure_icao: string | null;
  departure_country: string | null;
  arrival_icao: string | null;
  arrival_country: string | null;
  departed_at: string | null;
  arrived_at: string | null;
  /** The takeoff (landing) was concluded, not observed (details.inferred). */
  departure_inferred: Flag;
  arrival_inferred: Flag;
  /** The time is an estimate, not the time of a position (details.estimated). */
  departure_estimated: Flag;
  arrival_estimated: Flag;
  takeoff_event_id: string | null;
  landing_event_id: string | null;
  /** Longest silence (seconds) either end reported (details.gapS); null when none. */
  gap_s: number | null;
  /** The configured destination the landing matched (destination event), if any. */
  destination_id: string | null;
  /** A diversion event on this leg: the destination it was announced for. */
  diverted_from: string | null;
  callsign: string | null;
  /** JSON array of watch entry ids. */
  watch_ids: string;
  source: string | null;
  updated_at: string;
}

export interface TripsTable {
  id: string;
  hex: string;
  status: 'open' | 'closed';
  route: string;
  origin: string | null;
  /** JSON arrays, as in the trip event's details. */
  countries: string;
  destinations: string;
  legs: string;
  close_reason: string | null;
  /** Time of the trip event this row reflects (a later one replaces it). */
  event_time: string;
  updated_at: string;
}

export interface EventsTable {
  /** The event's deterministic id: the upsert key that makes archiving idempotent. */
  id: string;
  /** The detection-history stream entry it came from ("ms-seq"); null for replayed backtests. */
  history_id: string | null;
  type: string;
  hex: string;
  time: string;
  leg_id: string | null;
  trip_id: string | null;
  source: string;
  /** The whole event document (docs/events.md), JSON. */
  body: string;
  archived_at: string;
}

/** A normalized position of a watched aircraft: the track behind a leg. Kept `archive.rawRetentionDays`. */
export interface LegPositionsTable {
  hex: string;
  /** Position time, epoch ms. */
  t: number;
  lat: number;
  lon: number;
  alt_ft: number | null;
  gs_kt: number | null;
  track_deg: number | null;
  vrate_fpm: number | null;
  on_ground: Flag;
  source: string;
  /** The leg it belongs to, attached when the leg's landing is archived (or when it arrives after). */
  leg_id: string | null;
  /** raw_replies.id of the reply it was read from, when known. */
  reply_id: string | null;
}

/** A source reply that carried a watched aircraft. Kept `archive.rawRetentionDays`. */
export interface RawRepliesTable {
  /** SHA-256 of source, fetch time and body hash: the same reply captured twice is one row. */
  id: string;
  source: string;
  /** Request URL with every secret masked. */
  url: string;
  fetched_at: number;
  status: number;
  body_sha256: string;
  bytes: number;
  /** The body itself (when `archive.storeReplyBodies`), else null and only its hash is kept. */
  body: string | null;
  /** JSON array of the watched hexes in it. */
  hexes: string;
}

/** A hex that continues the track of another (migration 007; the evidence of `details.linked`). */
export interface IdentityLinksTable {
  hex: string;
  previous_hex: string;
  /** same-registration | same-callsign */
  reason: string;
  /** The registration or callsign both carried. */
  matched: string;
  gap_seconds: number;
  distance_nm: number;
  alt_diff_ft: number | null;
  /** First position of the new hex (ISO). */
  linked_at: string;
  /** The first archived event that carried the link. */
  event_id: string;
  archived_at: string;
}

/** Where each archiver consumer stands in its Redis stream; updated in the same transaction as its rows. */
export interface ArchiverCursorTable {
  /** "history" (detection history) or "captures" (positions and replies). */
  name: string;
  stream_id: string;
  updated_at: string;
}

export interface ArchiveDatabase {
  aircraft: AircraftTable;
  legs: LegsTable;
  trips: TripsTable;
  events: EventsTable;
  leg_positions: LegPositionsTable;
  raw_replies: RawRepliesTable;
  archiver_cursor: ArchiverCursorTable;
  identity_links: IdentityLinksTable;
}

export type AircraftRow = Selectable<AircraftTable>;
export type LegRow = Selectable<LegsTable>;
export type NewLeg = Insertable<LegsTable>;
export type LegUpdate = Updateable<LegsTable>;
export type TripRow = Selectable<TripsTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
export type LegPositionRow = Selectable<LegPositionsTable>;
export type RawReplyRow = Selectable<RawRepliesTable>;
export type IdentityLinkRow = Selectable<IdentityLinksTable>;
