/**
 * The detect step: feed the detector one poll's matched aircraft and fan the resulting events out. The
 * detector is stateful (it has now seen this batch), so its events are saved into the job before fan-out:
 * if fan-out fails and the job is retried, the saved events are used instead of asking the detector again
 * (which would not re-emit them).
 */
import type { Job } from 'bullmq';
import type { Detector } from '../../detect/types';
import type { FlightEvent } from '../../domain/event';
import type { DeliveryContext } from '../context';
import type { DetectJobData } from '../jobs';
import { fanOut } from '../fan-out';

type DetectJob = Job<DetectJobData & { events?: FlightEvent[] }>;

export function detectProcessor(ctx: DeliveryContext, detector: Detector) {
  return async (job: DetectJob): Promise<{ events: number; alerts: number }> => {
    let events = job.data.events;
    if (!events) {
      events = await detector.process(job.data.matched, job.data.now);
      if (events.length) await job.updateData({ ...job.data, events });
    }
    const alerts = await fanOut(ctx, events);
    return { events: events.length, alerts: alerts.length };
  };
}
