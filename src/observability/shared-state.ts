/**
 * What the workers of one deployment record in their Redis, as a console reads it: the newest valid data any
 * replica got (the blind watcher's `last-data`) and the jobs per queue. The worker's own console and
 * `flightwatch web` (no worker in its process) read it the same way, each Redis read bounded in time, so a
 * silent Redis makes the page say "unknown", never hang.
 */
import type { Redis } from 'ioredis';
import type { Queues } from '../pipeline/queues';
import { sharedLastDataAt } from './blind-watcher';

const REDIS_TIMEOUT_MS = 2000;

/** `p`'s value, or undefined when it fails or takes longer than the Redis timeout. */
export const withinRedisTimeout = <T>(p: Promise<T>): Promise<T | undefined> =>
  Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), REDIS_TIMEOUT_MS).unref())]).catch(
    () => undefined,
  );

export type PipelineQueues = Pick<Queues, 'poll' | 'detect' | 'notify'>;

export interface QueueState {
  /** Jobs per queue and state. */
  queues: Record<string, Record<string, number>>;
  /** Alerts and detect jobs that failed for good, as `flightwatch dlq list` counts them. */
  deadLetters: number;
}

/** Jobs per queue (waiting, active, delayed, failed); undefined when Redis did not answer for every queue. */
export async function readQueueState(q: PipelineQueues): Promise<QueueState | undefined> {
  const queues: Record<string, Record<string, number>> = {};
  for (const queue of [q.poll, q.detect, q.notify]) {
    const counts = await withinRedisTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'));
    if (!counts) return undefined;
    queues[queue.name] = counts;
  }
  return { queues, deadLetters: (queues[q.notify.name]?.failed ?? 0) + (queues[q.detect.name]?.failed ?? 0) };
}

export interface SharedState {
  /** Newest valid data any replica recorded; undefined when none has, or Redis did not answer. */
  lastDataAt?: number;
  /** Undefined when Redis did not answer in time. */
  queueState?: QueueState;
}

/** The deployment's shared state in `redis` under `prefix` (the workers' FLIGHTWATCH_REDIS_PREFIX). */
export async function readSharedState(redis: Redis, prefix: string, q: PipelineQueues): Promise<SharedState> {
  const [lastDataAt, queueState] = await Promise.all([
    withinRedisTimeout(sharedLastDataAt(redis, prefix)),
    readQueueState(q),
  ]);
  return {
    ...(lastDataAt !== undefined ? { lastDataAt } : {}),
    ...(queueState ? { queueState } : {}),
  };
}
