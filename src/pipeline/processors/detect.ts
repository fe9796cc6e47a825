/**
 * The detect step: feed the detector one poll's matched aircraft and get the resulting events delivered.
 *
 * Durable path (the worker; a Redis track store with its detection outbox): the store saves each aircraft's
 * new state and queues that step's events in one Lua call, and this step then drains the outbox (history,
 * routing, notify jobs, then delete). Events of an attempt that failed half-way (a write error on a later
 * aircraft) or died before fan-out are still in the outbox, and the retry — or any later detect job — delivers
 * them; a retried detector run re-emits nothing for steps already saved.
 *
 * The batch is read by reference (positions.ts): this job's slot and every newer slot already waiting, merged
 * so the newest position of each aircraft wins. When detection falls behind, one run thus catches up on every
 * waiting slot (back-pressure.ts raises the operational alert), and the jobs of the slots it took complete
 * at once. The slots are released after the detector step: a crash before it re-reads them on retry.
 *
 * Without an outbox (in-memory store: tests, replay-style runs) the events are saved into the job before
 * fan-out, so a failed fan-out is retried with them. That path is at-most-once if the process dies between
 * the detector step and `updateData`; the worker never uses it.
 */
import type { Job } from 'bullmq';
import type { Detector } from '../../detect/types';
import type { DetectionOutbox } from '../../detect/store/detection-outbox';
import type { FlightEvent } from '../../domain/event';
import type { DeliveryContext } from '../context';
import type { DetectJobData } from '../jobs';
import { fanOut } from '../fan-out';
import { drainDetections } from '../drain-detections';
import { releasePositions, takePositions } from '../positions';
import { reportCoalesced } from '../back-pressure';
import type { MatchedAircraft } from '../../domain/watchlist';

type DetectJob = Job<DetectJobData & { events?: FlightEvent[] }>;

interface Batch {
  matched: MatchedAircraft[];
  now: number;
  /** Stored slots this batch was read from (released after the detector step); none for inline jobs. */
  slots: number[];
  lost: number[];
}

/**
 * This job's batch: inline (jobs of older releases) or read by reference; undefined when an earlier run
 * already took this slot (coalesced) or its positions expired.
 */
async function batchOf(ctx: DeliveryContext, job: DetectJob): Promise<Batch | undefined> {
  const { matched, now } = job.data;
  if (matched && now !== undefined) return { matched, now, slots: [], lost: [] };
  const slotMs = Date.parse(job.data.slot);
  const taken = await takePositions(ctx.redis, ctx.keys, slotMs, ctx.log);
  if (!taken) return undefined;
  if (taken.lost.includes(slotMs))
    ctx.log.warn({ slot: job.data.slot }, 'positions of a poll slot expired before detection reached them');
  if (taken.slots.length > 1)
    await reportCoalesced(ctx, { slots: taken.slots, lost: taken.lost.length }).catch((e: unknown) =>
      ctx.log.warn({ err: (e as Error).message }, 'could not raise the detection-behind alert'),
    );
  if (!taken.slots.length) {
    await releasePositions(ctx.redis, ctx.keys, taken.lost);
    return undefined;
  }
  return taken;
}

/** What a detect job whose slot a previous run took (or that had nothing left) returns. */
const COALESCED: DetectResult = { events: 0, alerts: 0, positions: 0, coalesced: true };

export interface DetectResult {
  /** Events this attempt's detector step produced. */
  events: number;
  alerts: number;
  /** Events taken from the outbox (this attempt's and any left over); durable path only. */
  drained?: number;
  /** Positions handed to the detector and the time its step took (the live-path bench reads both). */
  positions?: number;
  detectorMs?: number;
  /**
   * The process's CPU time over the same span (all threads, and whatever else ran meanwhile): on a shared
   * host wall time stretches with others' work, CPU time much less.
   */
  detectorCpuMs?: number;
  /** An earlier run took this job's slot (back-pressure): nothing was left for it. */
  coalesced?: boolean;
  /** Poll slots merged into this run (1 when it was on schedule), and the newest of them (ISO). */
  slots?: number;
  newestSlot?: string;
}

/** What the detector step over a job's batch leaves for the result: counts, not the events or the batch. */
interface DetectorStep {
  events: number;
  positions: number;
  detectorMs: number;
  detectorCpuMs: number;
  slots: number[];
}

/**
 * The durable path's detector step: no step when an earlier run took this job's slot, a failure to rethrow
 * after the drain. Only counts come back: the events are in the outbox by then, and holding them and the
 * batch through the drain kept them live for its whole length (a cold start at 10,000 aircraft: one `seen`
 * event each, ~20 MB of heap, while 10,000 notify jobs are queued).
 */
async function detectorStep(
  ctx: DeliveryContext,
  job: DetectJob,
  detector: Detector,
): Promise<{ step?: DetectorStep; failure?: unknown }> {
  const batch = await batchOf(ctx, job);
  if (!batch) return {};
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const events = await detector.process(batch.matched, batch.now);
    await releasePositions(ctx.redis, ctx.keys, [...batch.slots, ...batch.lost]);
    const detectorMs = Math.round(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    const detectorCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const positions = batch.matched.length;
    return { step: { events: events.length, positions, detectorMs, detectorCpuMs, slots: batch.slots } };
  } catch (e) {
    return { failure: e }; // whatever this attempt committed is in the outbox: deliver it before the job retries
  }
}

export function detectProcessor(ctx: DeliveryContext, detector: Detector, outbox?: DetectionOutbox) {
  if (outbox)
    return async (job: DetectJob): Promise<DetectResult> => {
      const { step, failure } = await detectorStep(ctx, job, detector);
      let drained: Awaited<ReturnType<typeof drainDetections>> | undefined;
      try {
        drained = await drainDetections(ctx, outbox);
      } catch (e) {
        if (!failure) throw e;
        ctx.log.warn(
          { err: (e as Error).message },
          'detection outbox drain failed after a failed detector step (left for the retry)',
        );
      }
      if (failure || !drained) throw failure; // no failure means the drain returned
      if (!step) return { ...COALESCED, drained: drained.events, alerts: drained.alerts };
      return {
        events: step.events,
        alerts: drained.alerts,
        drained: drained.events,
        positions: step.positions,
        detectorMs: step.detectorMs,
        detectorCpuMs: step.detectorCpuMs,
        slots: Math.max(1, step.slots.length),
        newestSlot: new Date(step.slots.at(-1) ?? Date.parse(job.data.slot)).toISOString(),
      };
    };
  return async (job: DetectJob): Promise<DetectResult> => {
    let events = job.data.events;
    if (!events) {
      const batch = await batchOf(ctx, job);
      if (!batch) return COALESCED;
      events = await detector.process(batch.matched, batch.now);
      if (events.length) await job.updateData({ ...job.data, events });
      await releasePositions(ctx.redis, ctx.keys, [...batch.slots, ...batch.lost]);
    }
    const alerts = await fanOut(ctx, events);
    return { events: events.length, alerts: alerts.length };
  };
}
