/**
 * The three queues with their default job options; one Redis connection shared by the producers. How many
 * completed jobs are kept comes from `pipeline:` when given (retention, docs/operations.md).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE } from './names';
import { detectJobOptions, notifyJobOptions, pollJobOptions } from './job-options';
import type { RetryPolicy } from './backoff';
import type { DetectJobData, NotifyJobData, PollJobData } from './jobs';
import type { PipelineConfig } from '../config/pipeline-schema';

export interface Queues {
  poll: Queue<PollJobData>;
  detect: Queue<DetectJobData>;
  notify: Queue<NotifyJobData>;
  close(): Promise<void>;
}

const kept = (k: { age: number; count: number }) => ({ age: Math.round(k.age / 1000), count: k.count });

export function createQueues(
  connection: Redis,
  prefix: string,
  retry: RetryPolicy,
  retention?: Pick<PipelineConfig, 'keepCompleted' | 'keepCompletedNotify'>,
): Queues {
  const done = retention && { removeOnComplete: kept(retention.keepCompleted) };
  const poll = new Queue<PollJobData>(QUEUE.poll, {
    connection,
    prefix,
    defaultJobOptions: { ...pollJobOptions, ...done },
  });
  const detect = new Queue<DetectJobData>(QUEUE.detect, {
    connection,
    prefix,
    defaultJobOptions: { ...detectJobOptions, ...done },
  });
  const notify = new Queue<NotifyJobData>(QUEUE.notify, {
    connection,
    prefix,
    defaultJobOptions: {
      ...notifyJobOptions(retry),
      ...(retention && { removeOnComplete: kept(retention.keepCompletedNotify) }),
    },
  });
  return {
    poll,
    detect,
    notify,
    async close() {
      await Promise.all([poll.close(), detect.close(), notify.close()]);
    },
  };
}
