/**
 * The tables migration 002 adds (classification and review of legs, docs/record.md), as Kysely sees them.
 * `recordDb(archive.db)` gives a handle typed with both these and the archive's own tables.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ArchiveDatabase } from './schema';

export interface LegClassesTable {
  leg_id: string;
  /** removal · lateral · shuffle · connection · return · other (src/domain/leg-classification.ts). */
  category: string;
  /** confirmed (takeoff and landing observed) · estimated. */
  confidence: string;
  /** JSON array of sentences: why. */
  reasons: string;
  destination_country: string | null;
  border_city: string | null;
  /** Hash of the rules it was made with: a config change makes it stale. */
  rules_hash: string;
  /** legs.updated_at it was made from: a newer leg row makes it stale. */
  leg_updated_at: string;
  classified_at: string;
  /** When the leg counts: departure time, else arrival time (ISO). */
  at: string;
  hex: string;
  arrival_icao: string | null;
  /** The leg's departure airport (migration 005): the report's hubs. */
  departure_icao: string | null;
  /** The review state, copied here by reviewLeg and classifyStaleLegs. */
  review_state: ReviewState;
  /** The category the leg counts as: the reviewer's correction, else `category`; null when rejected. */
  counted_category: string | null;
}

export const REVIEW_STATES = ['unreviewed', 'confirmed', 'rejected', 'corrected'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** A person's current decision on a leg (absent = unreviewed). */
export interface LegReviewsTable {
  leg_id: string;
  state: Exclude<ReviewState, 'unreviewed'>;
  /** corrected: the category the reviewer set. */
  category: string | null;
  note: string | null;
  reviewer: string;
  reviewed_at: string;
}

/** Every change of a review: who, when, before and after (JSON), why. Never updated or deleted. */
export interface LegReviewLogTable {
  id: string;
  leg_id: string;
  at: string;
  reviewer: string;
  before: string;
  after: string;
  note: string | null;
}

/**
 * Legs counted per UTC day and report dimension (migration 009), kept by triggers on leg_classes. The
 * nullable dimensions are '' here where leg_classes has null.
 */
export interface LegClassDaysTable {
  /** YYYY-MM-DD of leg_classes.at. */
  day: string;
  /** counted_category; '' for a rejected leg. */
  category: string;
  confidence: string;
  review_state: ReviewState;
  country: string;
  airport: string;
  departure: string;
  city: string;
  n: number;
}

export type RecordTables = {
  leg_classes: LegClassesTable;
  leg_class_days: LegClassDaysTable;
  leg_reviews: LegReviewsTable;
  leg_review_log: LegReviewLogTable;
};

export type RecordDatabase = ArchiveDatabase & RecordTables;
export type LegClassRow = Selectable<LegClassesTable>;
export type LegReviewRow = Selectable<LegReviewsTable>;
export type LegReviewLogRow = Selectable<LegReviewLogTable>;

export const recordDb = (db: Kysely<ArchiveDatabase>): Kysely<RecordDatabase> => db.withTables<RecordTables>();
