/**
 * The poll step: run one ingest cycle for the slot and hand the watched aircraft to detection. The ingest
 * cycle is injected (src/ingest owns it); this only moves its result onto the detect queue, with a job id
 * derived from the slot so a poll re-run after a stall does not feed detection twice.
 */
import type { Job } from 'bullmq';
import type { MatchedAircraft } from '../../domain/watchlist';
import type { DeliveryContext } from '../context';
import { detectJobId, type PollJobData } from '../jobs';

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
    await ctx.queues.detect.add(
      'detect',
      { slot: job.data.slot, now: r.now, matched: r.matched },
      { jobId: detectJobId(slot) },
    );
    return { matched: r.matched.length };
  };
}
