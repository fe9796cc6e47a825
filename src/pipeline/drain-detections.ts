/**
 * Detection outbox → history → notify jobs → delete from the outbox. Runs in every detect job, after the
 * detector step, and takes everything pending: this attempt's events, those of an earlier attempt that died
 * after its state was saved, and those of another replica. Each chunk is fanned out before its entries are
 * deleted, so a crash in between only means the chunk is fanned out again, which adds nothing: the history
 * append is idempotent per event id and notify job ids are alert ids (and the notify step skips alerts the
 * notification log has as sent).
 */
import { byTime } from '../detect/detector';
import type { DetectionOutbox } from '../detect/store/detection-outbox';
import type { FlightEvent } from '../domain/event';
import type { DeliveryContext } from './context';
import { fanOut } from './fan-out';

export interface DrainResult {
  /** Events taken from the outbox into the history (including already known ones). */
  events: number;
  alerts: number;
  /** Entries whose JSON could not be read: logged in full at error level, then removed. */
  unreadable: number;
}

export async function drainDetections(
  ctx: DeliveryContext,
  outbox: DetectionOutbox,
  chunk = 200,
): Promise<DrainResult> {
  const r: DrainResult = { events: 0, alerts: 0, unreadable: 0 };
  let after: string | undefined;
  for (;;) {
    const rows = await outbox.pending(chunk, after);
    if (!rows.length) return r;
    const events: FlightEvent[] = [];
    for (const p of rows) {
      if (p.event) events.push(p.event);
      else {
        r.unreadable++;
        ctx.log.error(
          { entry: p.entryId, event: p.eventId, raw: p.raw },
          'detection outbox: unreadable entry removed (its text is in this log line)',
        );
      }
    }
    const alerts = await fanOut(ctx, events.sort(byTime));
    await outbox.ack(rows.map((p) => p.entryId));
    r.events += events.length;
    r.alerts += alerts.length;
    const last = rows.at(-1);
    if (!last || rows.length < chunk) return r;
    after = last.entryId;
  }
}
