/**
 * The tables migration 006 adds (src/archive/migrations/006-discovery.ts), as Kysely sees them.
 * `discoveryDb(archive.db)` gives a handle typed with these and the archive's own tables.
 */
import type { Kysely, Selectable } from 'kysely';
import type { RecordDatabase } from '../archive/record-schema';

export interface DiscoverySightingsTable {
  /** `hex|at|place|callsign`: writing the same sighting twice (a retried cycle) keeps one. */
  id: string;
  hex: string;
  /** Position time, ISO. */
  at: string;
  source: string;
  place: string;
  country: string;
  /** 1 at a configured hub, 0 at an airport in a country of return. */
  hub: number;
  on_ground: number;
  alt_ft: number | null;
  lat: number;
  lon: number;
  callsign: string | null;
  registration: string | null;
  type: string | null;
  operator: string | null;
}

export const CANDIDATE_STATES = ['proposed', 'accepted', 'rejected'] as const;
export type CandidateState = (typeof CANDIDATE_STATES)[number];

export interface DiscoveryCandidatesTable {
  /** `cand-<hex>`: one candidate per airframe address. */
  id: string;
  hex: string;
  state: CandidateState;
  score: number;
  /** JSON array of sentences: why. */
  reasons: string;
  /** JSON Behaviour (score.ts): hubs, countries, types, callsign patterns. */
  behaviour: string;
  registration: string | null;
  type: string | null;
  callsign: string | null;
  first_seen: string;
  last_seen: string;
  /** When it was (last) proposed. */
  proposed_at: string;
  /** Times proposed: 2 and more after a rejected candidate changed its behaviour. */
  proposals: number;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
  /** JSON Behaviour it was rejected with (the union over rejections): only something beyond it re-proposes. */
  rejected_behaviour: string | null;
  /** The watch entry accept wrote. */
  watch_id: string | null;
}

export type DiscoveryTables = {
  discovery_sightings: DiscoverySightingsTable;
  discovery_candidates: DiscoveryCandidatesTable;
};

export type DiscoveryDatabase = RecordDatabase & DiscoveryTables;
export type SightingRow = Selectable<DiscoverySightingsTable>;
export type CandidateRow = Selectable<DiscoveryCandidatesTable>;

export const discoveryDb = (db: Kysely<RecordDatabase>): Kysely<DiscoveryDatabase> => db.withTables<DiscoveryTables>();
