/**
 * The poll step: run one ingest cycle for the slot and hand the watched aircraft to detection. The ingest
 * cycle is injected (src/ingest owns it); this stores its result under the slot (by reference, positions.ts)
 * and queues a detect job with a job id derived from the slot, so a poll re-run after a stall does not feed
 * detection twice.
 */
import type { Job } from 'bullmq';
import type { MatchedAircraft } from '../../domain/watchlist';
import type { DeliveryContext } from '../context';
import { detectJobId, type PollJobData } from '../jobs';
import { stashPositions } from '../positions';

export interface PollResult {
  /** Observation time (epoch ms) for the detector. */
  now: number;
  matched: MatchedAircraft[];
}

export type PollOnce = (slot: Date) => Promise<PollResult>;

export function pollProcessor(ctx: DeliveryContext, pollOnce: PollOnce) {
  return async (job: Job<PollJobData>): Promise<{ matched: number }> => {
    const slot = new Date(job.data.slot);
    const r = await pollOnce(slot);
    const dropped = await stashPositions(
      ctx.redis,
      ctx.keys,
      { slotMs: slot.getTime(), now: r.now, matched: r.matched },
      { ttlMs: ctx.pipeline.positionsTtl, maxPendingSlots: ctx.pipeline.maxPendingSlots },
    );
    if (dropped.length)
      ctx.log.warn(
        { dropped: dropped.map((s) => new Date(s).toISOString()), maxPendingSlots: ctx.pipeline.maxPendingSlots },
        'detection is far behind: positions of the oldest waiting poll slots dropped (newer slots have these aircraft)',
      );
    await ctx.queues.detect.add(
      'detect',
      { slot: job.data.slot, count: r.matched.length },
      { jobId: detectJobId(slot) },
    );
    return { matched: r.matched.length };
  };
}
