/**
 * The poll step: run one ingest cycle for the slot and hand the watched aircraft to detection. The ingest
 * cycle is injected (src/ingest owns it); this stores its result under the slot (by reference, positions.ts)
 * and queues a detect job with a job id derived from the slot, so a poll re-run after a stall does not feed
 * detection twice.
 *
 * The batch is packed into its stored form before the Redis write and not held past it: that write shares the
 * connection with the detect step's track-store traffic and can wait behind it for seconds, and the parsed
 * batch (~5–11 MB of heap at 10,000 aircraft, against ~4 MB packed) then sat in the worker's peak.
 */
import type { Job } from 'bullmq';
import type { MatchedAircraft } from '../../domain/watchlist';
import type { DeliveryContext } from '../context';
import { detectJobId, type PollJobData } from '../jobs';
import { packPositions, stashPacked } from '../positions';

export interface PollResult {
  /** Observation time (epoch ms) for the detector. */
  now: number;
  matched: MatchedAircraft[];
}

export type PollOnce = (slot: Date) => Promise<PollResult>;

/** One ingest cycle, packed: the parsed batch is garbage once this returns. */
async function pollPacked(pollOnce: PollOnce, slot: Date): Promise<{ count: number; pieces: string[] }> {
  const r = await pollOnce(slot);
  return { count: r.matched.length, pieces: packPositions(r.now, r.matched) };
}

export function pollProcessor(ctx: DeliveryContext, pollOnce: PollOnce) {
  return async (job: Job<PollJobData>): Promise<{ matched: number }> => {
    const slot = new Date(job.data.slot);
    const { count, pieces } = await pollPacked(pollOnce, slot);
    const dropped = await stashPacked(ctx.redis, ctx.keys, slot.getTime(), pieces, {
      ttlMs: ctx.pipeline.positionsTtl,
      maxPendingSlots: ctx.pipeline.maxPendingSlots,
    });
    if (dropped.length)
      ctx.log.warn(
        { dropped: dropped.map((s) => new Date(s).toISOString()), maxPendingSlots: ctx.pipeline.maxPendingSlots },
        'detection is far behind: positions of the oldest waiting poll slots dropped (newer slots have these aircraft)',
      );
    await ctx.queues.detect.add('detect', { slot: job.data.slot, count }, { jobId: detectJobId(slot) });
    return { matched: count };
  };
}
