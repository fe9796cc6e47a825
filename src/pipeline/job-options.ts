/**
 * Default job options per queue. Completed jobs are kept for a while because BullMQ's jobId deduplication
 * only holds while the job exists (a poll slot enqueued by a late replica must still collide). Failed notify
 * and detect jobs are never removed: they are the dead letters `flightwatch dlq` lists and retries.
 */
import type { DefaultJobOptions } from 'bullmq';
import { attemptsForHorizon, type RetryPolicy } from './backoff';

/** Name of the custom backoff strategy the notify worker implements (see deliver/processors/notify.ts). */
export const NOTIFY_BACKOFF = 'flightwatch-horizon';

const HOUR_S = 3600;

export const pollJobOptions: DefaultJobOptions = {
  attempts: 2,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: HOUR_S, count: 2000 },
  removeOnFail: { age: 7 * 24 * HOUR_S, count: 5000 },
};

export const detectJobOptions: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: HOUR_S, count: 2000 },
  removeOnFail: false,
};

export function notifyJobOptions(retry: RetryPolicy): DefaultJobOptions {
  return {
    attempts: attemptsForHorizon(retry),
    backoff: { type: NOTIFY_BACKOFF },
    removeOnComplete: { age: 24 * HOUR_S, count: 10_000 },
    removeOnFail: false,
  };
}
