/**
 * `queue:` — how fast jobs held by a worker that died (SIGKILL, OOM, power loss) run again elsewhere. A
 * running job holds a lock in Redis that its worker renews every lockDuration/2; a stall check every
 * stalledInterval moves jobs whose lock expired back to waiting. So a killed worker's jobs run again after
 * at most lockDuration + stalledInterval (BullMQ's own defaults, 30 s + 30 s, made that about a minute).
 * Too short a lock, and a worker whose event loop is blocked longer than lockDuration/2 loses jobs it is
 * still running: they run twice (harmless, alert ids absorb it) and count as stalled.
 */
import { z } from 'zod';
import { duration, formatDuration } from './alerts-schema';

export const queueSchema = z
  .strictObject({
    /** How long a job's lock lasts without renewal (renewed every half of it while the job runs). */
    lockDuration: duration({ min: 2000 }).default(8000),
    /** How often a worker looks for jobs whose lock expired (one check per interval across replicas). */
    stalledInterval: duration({ min: 1000 }).default(4000),
    /** A job found stalled more often than this fails (a dead letter for notify and detect jobs). */
    maxStalledCount: z.number().int().min(1).max(100).default(2),
  })
  .prefault({})
  .superRefine((q, ctx) => {
    if (q.stalledInterval > q.lockDuration)
      ctx.addIssue({
        code: 'custom',
        path: ['stalledInterval'],
        message: `${formatDuration(q.stalledInterval)} is longer than lockDuration (${formatDuration(q.lockDuration)}): a killed worker's jobs would wait for the check, not the lock`,
      });
  });

export type QueueConfig = z.output<typeof queueSchema>;

/** The BullMQ worker settings of the config (lockRenewTime stays BullMQ's lockDuration/2). */
export const workerRecoveryOptions = (q: QueueConfig) => ({
  lockDuration: q.lockDuration,
  stalledInterval: q.stalledInterval,
  maxStalledCount: q.maxStalledCount,
});

/** Longest time a dead worker's jobs wait before another worker runs them. */
export const worstRecoveryMs = (q: QueueConfig) => q.lockDuration + q.stalledInterval;
