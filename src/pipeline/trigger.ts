/**
 * The poll trigger. node-cron is in-process and not durable, so the tick does nothing but enqueue a `poll`
 * job whose id is the slot time: every replica sharing the Redis computes the same id for the same slot
 * and BullMQ keeps only the first, so each slot is polled once however many replicas run. A slot missed
 * while every replica was down is simply not polled (no catch-up storm).
 */
import { schedule, type ScheduledTask, type TaskContext } from 'node-cron';
import type { Queue } from 'bullmq';
import type { Logger } from '../util/log';
import { pollJobId, type PollJobData } from './jobs';
import { isConnectionError, type RedisWatch } from './connection';
import { IncidentLog } from '../ingest/incident-log';

/** ctx.date is the scheduled slot (second precision); truncating guards against sub-second drift. */
export const slotOf = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

export async function enqueuePollSlot(queue: Queue<PollJobData>, slotTime: Date): Promise<string> {
  const slot = slotOf(slotTime);
  const jobId = pollJobId(slot);
  await queue.add('poll', { slot: slot.toISOString() }, { jobId });
  return jobId;
}

export interface PollTrigger {
  /** Slots not enqueued: node-cron missed them (blocked loop) or the previous enqueue still ran (Redis slow). */
  skippedSlots(): number;
  stop(): Promise<void>;
}

export function startPollTrigger(o: {
  schedule: string;
  queue: Queue<PollJobData>;
  log: Logger;
  timezone?: string;
  /** Where a failed enqueue's Redis error goes (once per incident); default: logged here, once per incident. */
  redisWatch?: Pick<RedisWatch, 'report'>;
}): PollTrigger {
  const incidents = new IncidentLog();
  const owner = {};
  let skipped = 0;
  const skip = (ctx: TaskContext, why: string) => {
    skipped++;
    incidents.fail(o.log, owner, 'poll slots', {
      level: 'warn',
      reason: why,
      fields: { slot: ctx.date.toISOString(), skippedTotal: skipped },
      message: `poll slot ${ctx.date.toISOString()} skipped: ${why}`,
    });
  };
  const task: ScheduledTask = schedule(
    o.schedule,
    async (ctx) => {
      try {
        await enqueuePollSlot(o.queue, ctx.date);
        incidents.ok(o.log, owner, 'poll slots', { skippedTotal: skipped });
        incidents.ok(o.log, owner, 'enqueue poll slot');
      } catch (e) {
        // Redis down: this slot is lost, the next tick tries again; never crash the worker.
        const err = e instanceof Error ? e : new Error(String(e));
        if (o.redisWatch && isConnectionError(err)) o.redisWatch.report(err, { slot: ctx.date.toISOString() });
        incidents.fail(o.log, owner, 'enqueue poll slot', {
          level: 'error',
          reason: err.message,
          fields: { slot: ctx.date.toISOString() },
          message: 'could not enqueue poll slot',
        });
      }
    },
    {
      name: 'flightwatch-poll-trigger',
      noOverlap: true,
      // node-cron writes its notices as plain text by default; here they become JSON lines (debug: the
      // skipped slots they announce are counted and logged per incident below).
      logger: cronLogger(o.log),
      suppressMissedWarning: true,
      ...(o.timezone ? { timezone: o.timezone } : {}),
    },
  );
  task.on('execution:missed', (ctx) => skip(ctx, 'missed (the event loop was blocked)'));
  task.on('execution:overlap', (ctx) => skip(ctx, 'the previous enqueue is still waiting for Redis'));
  return {
    skippedSlots: () => skipped,
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}

/** node-cron's logger interface onto pino. */
export function cronLogger(log: Logger) {
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (m: string) => log.debug({ from: 'node-cron' }, m),
    warn: (m: string) => log.debug({ from: 'node-cron' }, m),
    error: (m: string | Error, err?: Error) =>
      log.error({ from: 'node-cron', err: err?.message ?? (m instanceof Error ? m.message : undefined) }, text(m)),
    debug: (m: string | Error) => log.debug({ from: 'node-cron' }, text(m)),
  };
}
