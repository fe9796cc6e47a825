/**
 * Digests of replayed events (`replay --deliver`): an event that matched only digest entries is not alerted on
 * its own, as in the worker, but gathered per channel and `alerts.digest.period` of its EVENT time (the worker
 * uses the arrival time; a replay's events arrive all at once), and each group is sent as one `digest` alert at
 * the end of the replay. Nothing goes into the worker's Redis buckets. Ids derive from the channel, the period
 * and the events in it: replaying the same data again sends nothing new, and a replay never replaces the
 * worker's own digest of that period.
 */
import { createHash } from 'node:crypto';
import { digestItem, periodStartOf, type DueBucket } from '../alerting/digest';
import type { FlightEvent } from '../domain/event';
import type { DeliveryContext } from './context';
import { raiseDigest } from './digest';

export class ReplayDigests {
  private readonly buckets = new Map<string, DueBucket & { ids: string[] }>();
  constructor(private readonly periodMs: number) {}

  gather(e: FlightEvent, channelIds: readonly string[]): void {
    const periodStart = periodStartOf(Date.parse(e.time), this.periodMs);
    for (const channelId of channelIds) {
      const k = `${channelId}|${periodStart}`;
      let b = this.buckets.get(k);
      if (!b) this.buckets.set(k, (b = { channelId, periodStart, periodMs: this.periodMs, items: [], ids: [] }));
      if (b.ids.includes(e.id)) continue;
      b.ids.push(e.id);
      b.items.push(digestItem(e));
    }
  }

  /** Digest-only events gathered (each counted once, however many channels). */
  get events(): number {
    return new Set([...this.buckets.values()].flatMap((b) => b.ids)).size;
  }

  /** Raises one digest per (channel, period); returns the notify job ids with their channel. */
  async raise(ctx: DeliveryContext): Promise<{ jobId: string; channelId: string; eventId: string }[]> {
    const out: { jobId: string; channelId: string; eventId: string }[] = [];
    const ordered = [...this.buckets.values()].sort(
      (a, b) => a.periodStart - b.periodStart || a.channelId.localeCompare(b.channelId),
    );
    for (const b of ordered) {
      const hash = createHash('sha256')
        .update([...b.ids].sort().join('\n'))
        .digest('hex')
        .slice(0, 16);
      const raised = await raiseDigest(ctx, b, `digest:${b.channelId}:replay:${hash}`);
      for (const [i, jobId] of raised.jobIds.entries())
        out.push({ jobId, channelId: raised.channels[i]!, eventId: raised.event.id });
    }
    return out;
  }
}
