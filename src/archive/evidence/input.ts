/**
 * What an evidence bundle is built from: plain records the archive loads for one leg, trip or event
 * (src/archive/evidence/load.ts). Kept free of the store so the bundle is a pure function of them.
 */
import type { AirportRef, FlightEvent } from '../../domain/event';
import type { LegClassification } from '../../domain/leg-classification';

export type EvidenceSubjectKind = 'leg' | 'trip' | 'event';

export interface EvidencePosition {
  /** Epoch ms, position time. */
  time: number;
  lat: number;
  lon: number;
  /** Barometric feet; null on the ground or unknown. */
  altFt: number | null;
  gsKt?: number | null;
  trackDeg?: number | null;
  onGround?: boolean;
  source?: string | null;
}

export interface EvidenceRawReply {
  source: string;
  /** Without secrets (the archive strips keys from query strings before storing). */
  url: string;
  fetchedAt: string;
  status: number | string;
  sha256: string;
  /** The stored body, when kept; otherwise only its hash is in the archive (retention). */
  body?: string | null;
}

export interface EvidenceReview {
  state: 'unreviewed' | 'confirmed' | 'rejected' | 'corrected';
  category?: string | null;
  note?: string | null;
  reviewer?: string | null;
  at?: string | null;
  history: { at: string; reviewer: string; before: unknown; after: unknown; note: string | null }[];
}

export interface EvidenceLeg {
  id: string;
  tripId: string | null;
  from: AirportRef | null;
  to: AirportRef | null;
  departedAt: string | null;
  arrivedAt: string | null;
  takeoffInferred: boolean;
  landingInferred: boolean;
  takeoffEstimated: boolean;
  landingEstimated: boolean;
  /** Known coverage gaps (epoch ms); gaps are also found in the positions. */
  gaps: { from: number; to: number }[];
  positions: EvidencePosition[];
  classification?: LegClassification;
  review?: EvidenceReview;
}

export interface EvidenceWatchEntry {
  id: string;
  note?: string | null;
  source?: string | null;
  added?: string | null;
  tags?: string[];
  match?: unknown;
}

export interface EvidenceInput {
  subject: { kind: EvidenceSubjectKind; id: string };
  aircraft: { hex: string; registration?: string | null; type?: string | null; operator?: string | null };
  legs: EvidenceLeg[];
  events: FlightEvent[];
  rawReplies: EvidenceRawReply[];
  watchEntries: EvidenceWatchEntry[];
}
