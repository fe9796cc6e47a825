/** The three queues with their default job options; one Redis connection shared by the producers. */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE } from './names';
import { detectJobOptions, notifyJobOptions, pollJobOptions } from './job-options';
import type { RetryPolicy } from './backoff';
import type { DetectJobData, NotifyJobData, PollJobData } from './jobs';

export interface Queues {
  poll: Queue<PollJobData>;
  detect: Queue<DetectJobData>;
  notify: Queue<NotifyJobData>;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string, retry: RetryPolicy): Queues {
  const poll = new Queue<PollJobData>(QUEUE.poll, { connection, prefix, defaultJobOptions: pollJobOptions });
  const detect = new Queue<DetectJobData>(QUEUE.detect, { connection, prefix, defaultJobOptions: detectJobOptions });
  const notify = new Queue<NotifyJobData>(QUEUE.notify, {
    connection,
    prefix,
    defaultJobOptions: notifyJobOptions(retry),
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
