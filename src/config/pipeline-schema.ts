/**
 * `pipeline:` — how much the live path (poll → detect → notify) keeps in Redis, and how it behaves when
 * detection falls behind its schedule (docs/operations.md "Sizing, retention and back-pressure"). Durations as
 * in `alerts:`. Every key has a default so the section may be omitted.
 */
import { z } from 'zod';
import { duration } from './alerts-schema';

const keep = (age: number, count: number) =>
  z
    .strictObject({
      /** Completed jobs older than this are removed. */
      age: duration({ min: 1000 }).default(age),
      /** At most this many completed jobs are kept (the newest). */
      count: z.number().int().min(10).max(1_000_000).default(count),
    })
    .prefault({});

export const pipelineSchema = z
  .strictObject({
    /**
     * A poll slot's positions wait for detection in Redis this long at most (a key with this TTL; the detect
     * job carries only its slot). Detection that is further behind coalesces slots long before.
     */
    positionsTtl: duration({ min: 10_000 }).default(10 * 60_000),
    /**
     * At most this many poll slots wait for detection; the poll step drops the oldest beyond it (their
     * aircraft are in the newer slots). Bounds the Redis memory of waiting positions.
     */
    maxPendingSlots: z.number().int().min(1).max(1000).default(12),
    /**
     * Completed poll and detect jobs kept (BullMQ's job-id deduplication of a slot holds while its job exists,
     * so keep at least one schedule period's worth of slots across replicas).
     */
    keepCompleted: keep(3_600_000, 1000),
    /** Completed notify jobs kept (the notification log, not these, is what stops a repeat send). */
    keepCompletedNotify: keep(24 * 3_600_000, 10_000),
    /**
     * At most about this many events stay in the history stream (~1.5 kB each), on top of its age bound
     * (alerts.historyRetention): the oldest beyond it are trimmed once a minute, except those the flight record
     * has not archived yet. Keep it above the alerts a delivery backlog can hold (a notify job reads its event
     * there).
     */
    historyMaxEntries: z.number().int().min(1000).max(100_000_000).default(100_000),
  })
  .prefault({});

export type PipelineConfig = z.output<typeof pipelineSchema>;
