/**
 * The detect step: feed the detector one poll's matched aircraft and get the resulting events delivered.
 *
 * Durable path (the worker; a Redis track store with its detection outbox): the store saves each aircraft's
 * new state and queues that step's events in one Lua call, and this step then drains the outbox (history,
 * routing, notify jobs, then delete). Events of an attempt that failed half-way (a write error on a later
 * aircraft) or died before fan-out are still in the outbox, and the retry — or any later detect job — delivers
 * them; a retried detector run re-emits nothing for steps already saved.
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

type DetectJob = Job<DetectJobData & { events?: FlightEvent[] }>;

export interface DetectResult {
  /** Events this attempt's detector step produced. */
  events: number;
  alerts: number;
  /** Events taken from the outbox (this attempt's and any left over); durable path only. */
  drained?: number;
}

export function detectProcessor(ctx: DeliveryContext, detector: Detector, outbox?: DetectionOutbox) {
  if (outbox)
    return async (job: DetectJob): Promise<DetectResult> => {
      let events: FlightEvent[] = [];
      let failure: unknown;
      try {
        events = await detector.process(job.data.matched, job.data.now);
      } catch (e) {
        failure = e; // whatever this attempt committed is in the outbox: deliver it before the job retries
      }
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
      return { events: events.length, alerts: drained.alerts, drained: drained.events };
    };
  return async (job: DetectJob): Promise<DetectResult> => {
    let events = job.data.events;
    if (!events) {
      events = await detector.process(job.data.matched, job.data.now);
      if (events.length) await job.updateData({ ...job.data, events });
    }
    const alerts = await fanOut(ctx, events);
    return { events: events.length, alerts: alerts.length };
  };
}
