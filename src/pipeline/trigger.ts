/**
 * The poll trigger. node-cron is in-process and not durable, so the tick does nothing but enqueue a `poll`
 * job whose id is the slot time: every replica sharing the Redis computes the same id for the same slot
 * and BullMQ keeps only the first, so each slot is polled once however many replicas run. A slot missed
 * while every replica was down is simply not polled (no catch-up storm).
 */
import { schedule, type ScheduledTask } from 'node-cron';
import type { Queue } from 'bullmq';
import type { Logger } from '../util/log';
import { pollJobId, type PollJobData } from './jobs';

/** ctx.date is the scheduled slot (second precision); truncating guards against sub-second drift. */
export const slotOf = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

export async function enqueuePollSlot(queue: Queue<PollJobData>, slotTime: Date): Promise<string> {
  const slot = slotOf(slotTime);
  const jobId = pollJobId(slot);
  await queue.add('poll', { slot: slot.toISOString() }, { jobId });
  return jobId;
}

export interface PollTrigger {
  stop(): Promise<void>;
}

export function startPollTrigger(o: {
  schedule: string;
  queue: Queue<PollJobData>;
  log: Logger;
  timezone?: string;
}): PollTrigger {
  const task: ScheduledTask = schedule(
    o.schedule,
    async (ctx) => {
      try {
        await enqueuePollSlot(o.queue, ctx.date);
      } catch (e) {
        // Redis down: this slot is lost, the next tick tries again; never crash the worker.
        o.log.error({ err: (e as Error).message, slot: ctx.date.toISOString() }, 'could not enqueue poll slot');
      }
    },
    { name: 'flightwatch-poll-trigger', noOverlap: true, ...(o.timezone ? { timezone: o.timezone } : {}) },
  );
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
