/**
 * Job payloads. Thin by design: a notify job names the alert and points at the event in the history stream
 * instead of carrying it, so Redis holds each event once however many channels it goes to.
 *
 * The detect job carries only its poll slot: the matched aircraft (megabytes for a broad watch) wait in a
 * Redis key with a TTL (positions.ts), read by the detect step and deleted once detected. Job ids are derived from content (slot time, alert id), so every
 * producer — several replicas, a re-run after a crash, a replay — collapses onto one job.
 */
import type { MatchedAircraft } from '../domain/watchlist';
import type { OperationalEvent } from '../domain/event';

export interface PollJobData {
  /** ISO time of the cron slot this poll belongs to. */
  slot: string;
}

export interface DetectJobData {
  slot: string;
  /** Aircraft the poll matched (stored by reference under the slot, positions.ts). */
  count?: number;
  /** Jobs queued by releases before positions went by reference carried them inline. */
  now?: number;
  matched?: MatchedAircraft[];
}

export interface NotifyJobData {
  alertId: string;
  channelId: string;
  eventId: string;
  eventType: string;
  /** Aircraft hex; "" for operational alerts (no aircraft). */
  hex: string;
  /** Event time (epoch ms): repeatInterval is measured on it. */
  eventTimeMs: number;
  /** Entry in the history stream holding the event. */
  historyId?: string;
  /** Inline event, only for operational alerts (they are not flight history). */
  event?: OperationalEvent;
  operational?: boolean;
  repeatIntervalMs: number;
  route: number;
  /** Start of the retry horizon when it is not the job's creation (set by `dlq retry`). */
  horizonFrom?: number;
}

/** What a completed notify job returns. */
export interface NotifyResult {
  outcome: 'delivered' | 'duplicate' | 'silenced' | 'suppressed';
  detail: string;
}

export const pollJobId = (slot: Date) => `poll-${slot.getTime()}`;
export const detectJobId = (slot: Date | string) => `detect-${new Date(slot).getTime()}`;
