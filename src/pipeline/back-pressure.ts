/**
 * Detection fell behind its schedule: a detect run merged several poll slots (pipeline/positions.ts). Operators
 * hear it once per incident through an operational alert; the incident lasts while runs keep coalescing and
 * ends INCIDENT_QUIET_MS after the last one, so a deployment hovering at its limit does not alert every minute.
 */
import type { DeliveryContext } from './context';
import { raiseOperational } from './operational';

const INCIDENT_QUIET_MS = 10 * 60_000;

export interface Coalesced {
  /** Slots merged into this run, oldest first (at least two). */
  slots: readonly number[];
  /** Slots whose positions had expired or were dropped before detection reached them. */
  lost: number;
}

/** Raises the alert when this run starts an incident; later runs of the same incident only extend it. */
export async function reportCoalesced(ctx: DeliveryContext, c: Coalesced, now = Date.now()): Promise<boolean> {
  const oldest = c.slots[0] ?? now;
  const behindSeconds = Math.round((now - oldest) / 1000);
  const since = new Date(oldest).toISOString();
  // NX: only the run that starts the incident sets it (detect runs one at a time across replicas).
  const started = await ctx.redis.set(ctx.keys.detectionBehind, since, 'PX', INCIDENT_QUIET_MS, 'NX');
  ctx.log.warn(
    { coalescedSlots: c.slots.length - 1, lostSlots: c.lost, behindSeconds },
    'detection is behind its schedule: poll slots coalesced (newest positions win)',
  );
  if (started !== 'OK') {
    await ctx.redis.pexpire(ctx.keys.detectionBehind, INCIDENT_QUIET_MS);
    return false;
  }
  await raiseOperational(ctx, {
    kind: 'detection-behind',
    subject: 'detection',
    at: since,
    summary:
      `Detection is ${behindSeconds} s behind the poll schedule: ${c.slots.length - 1} older poll slot(s) were ` +
      'merged into the newest (each aircraft keeps its newest position). Nothing detected is lost, but positions ' +
      'between slots are skipped; see docs/operations.md "Back-pressure" (schedule, watchlist, resources).',
    details: { since, coalescedSlots: c.slots.length - 1, behindSeconds },
  });
  return true;
}
