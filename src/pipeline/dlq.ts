/**
 * Dead letters: failed notify jobs (permanent errors, retries past the horizon, disabled channels) and
 * failed detect jobs. They are never auto-removed; `retry` moves one back to wait with fresh attempts and a
 * fresh retry horizon, and the normal notify checks (sent before? silenced?) still apply.
 */
import type { Job } from 'bullmq';
import type { Queues } from './queues';
import type { NotifyJobData } from './jobs';
import { bound, redact } from '../util/redact';

export interface DeadLetter {
  queue: 'notify' | 'detect';
  id: string;
  channel: string;
  event: string;
  reason: string;
  attempts: number;
  failedAt?: string;
}

function toDeadLetter(queue: DeadLetter['queue'], job: Job): DeadLetter {
  const d = job.data as Partial<NotifyJobData> & { slot?: string };
  return {
    queue,
    id: String(job.id),
    channel: d.channelId ?? '-',
    event:
      queue === 'notify'
        ? [d.eventType ?? '?', d.hex, d.eventId].filter(Boolean).join(' ')
        : `detect slot ${d.slot ?? '?'}`,
    // Stored masked by the notify step; masked again for entries written before that (or by another release).
    reason: bound(redact((job.failedReason ?? '').replace(/\s+/g, ' ')), 2000),
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
  };
}

export async function listDeadLetters(q: Pick<Queues, 'notify' | 'detect'>, limit = 1000): Promise<DeadLetter[]> {
  const [n, d] = await Promise.all([q.notify.getFailed(0, limit - 1), q.detect.getFailed(0, limit - 1)]);
  return [
    ...n.filter(Boolean).map((j) => toDeadLetter('notify', j)),
    ...d.filter(Boolean).map((j) => toDeadLetter('detect', j)),
  ];
}

async function retryJob(job: Job, now: number): Promise<void> {
  if (job.queueName.endsWith('notify')) await job.updateData({ ...(job.data as NotifyJobData), horizonFrom: now });
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
}

export type RetryOutcome = { id: string; ok: true } | { id: string; ok: false; reason: string };

export async function retryDeadLetter(
  q: Pick<Queues, 'notify' | 'detect'>,
  id: string,
  now = Date.now(),
): Promise<RetryOutcome> {
  for (const queue of [q.notify, q.detect]) {
    const job = await queue.getJob(id);
    if (!job) continue;
    const state = await job.getState();
    if (state !== 'failed') return { id, ok: false, reason: `job is ${state}, not a dead letter` };
    await retryJob(job, now);
    return { id, ok: true };
  }
  return { id, ok: false, reason: 'no such job' };
}

export async function retryAllDeadLetters(
  q: Pick<Queues, 'notify' | 'detect'>,
  now = Date.now(),
): Promise<RetryOutcome[]> {
  const out: RetryOutcome[] = [];
  for (const dl of await listDeadLetters(q, 100_000)) out.push(await retryDeadLetter(q, dl.id, now));
  return out;
}
