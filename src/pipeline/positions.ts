/**
 * Poll → detect handoff by reference. A poll slot's matched aircraft (megabytes for a broad watch) go into one
 * Redis key with a TTL, `<prefix>:positions:<slot ms>`, listed in the sorted set `<prefix>:positions:pending`;
 * the detect job carries only the slot. As BullMQ job data they were written into the job hash, copied through
 * every job move and kept with each completed job; here they are written once and deleted once detected.
 *
 * Back-pressure: a detect run takes every pending slot up to the newest, not just its own, and merges them so
 * the newest positions of each aircraft win (an aircraft seen only in an older slot keeps those). A detect
 * job whose slot an earlier run already took completes at once. So detection that falls behind catches up in
 * one run instead of queueing without end; the caller raises the operational alert. The poll step also drops
 * the oldest pending slots beyond `maxPendingSlots`, which bounds the Redis memory if detection stops.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../alerting/keys';
import type { MatchedAircraft } from '../domain/watchlist';
import type { Logger } from '../util/log';

export interface StashOptions {
  ttlMs: number;
  maxPendingSlots: number;
}

/** Stores a slot's positions and lists it as pending; returns the slots dropped beyond `maxPendingSlots`. */
export async function stashPositions(
  redis: Redis,
  k: Keys,
  slot: { slotMs: number; now: number; matched: readonly MatchedAircraft[] },
  o: StashOptions,
): Promise<number[]> {
  const body = JSON.stringify({ now: slot.now, matched: slot.matched });
  const [, , , ranked] = ((await redis
    .multi()
    .set(k.positions(slot.slotMs), body, 'PX', o.ttlMs)
    .zadd(k.positionsPending, slot.slotMs, String(slot.slotMs))
    // Members whose key has expired by now are gone for good.
    .zremrangebyscore(k.positionsPending, '-inf', `(${slot.slotMs - o.ttlMs}`)
    .zrange(k.positionsPending, 0, -1)
    .exec()) ?? []) as [Error | null, unknown][];
  const pending = ((ranked?.[1] as string[] | undefined) ?? []).map(Number);
  const drop = pending.slice(0, Math.max(0, pending.length - o.maxPendingSlots));
  if (drop.length)
    await redis
      .multi()
      .zrem(k.positionsPending, ...drop.map(String))
      .del(...drop.map((s) => k.positions(s)))
      .exec();
  return drop;
}

export interface TakenPositions {
  /** Merged batch: each aircraft's positions from the newest taken slot that has it. */
  matched: MatchedAircraft[];
  /** Observation time of the newest taken slot. */
  now: number;
  /** Slots taken, oldest first (their keys are deleted by `releasePositions`). */
  slots: number[];
  /** Pending slots whose key had expired (or was unreadable): nothing to detect for them. */
  lost: number[];
}

/** Reads every pending slot up to the newest (at least `fromSlotMs` on); undefined when none is left. */
export async function takePositions(
  redis: Redis,
  k: Keys,
  fromSlotMs: number,
  log: Logger,
): Promise<TakenPositions | undefined> {
  const slots = (await redis.zrangebyscore(k.positionsPending, String(fromSlotMs), '+inf')).map(Number);
  if (!slots.length) return undefined;
  const bodies = await redis.mget(...slots.map((s) => k.positions(s)));
  const read: { slotMs: number; matched: MatchedAircraft[] }[] = [];
  const lost: number[] = [];
  let now = 0;
  slots.forEach((slotMs, i) => {
    const parsed = parseBody(bodies[i] ?? null);
    if (!parsed) {
      lost.push(slotMs);
      if (bodies[i] != null) log.error({ key: k.positions(slotMs) }, 'unreadable positions of a poll slot dropped');
      return;
    }
    read.push({ slotMs, matched: parsed.matched });
    now = Math.max(now, parsed.now);
  });
  return { matched: newestPerAircraft(read), now, slots: read.map((r) => r.slotMs), lost };
}

/**
 * Each aircraft's positions from the newest slot that has it (all of them: a source may report several per
 * poll); older slots only add aircraft the newer ones lack. One slot is returned as it is.
 */
export function newestPerAircraft(slots: readonly { matched: MatchedAircraft[] }[]): MatchedAircraft[] {
  if (slots.length <= 1) return slots[0]?.matched ?? [];
  const taken = new Set<string>();
  const out: MatchedAircraft[] = [];
  for (let i = slots.length - 1; i >= 0; i--) {
    const here = new Set<string>();
    for (const a of slots[i]?.matched ?? [])
      if (!taken.has(a.hex)) {
        here.add(a.hex);
        out.push(a);
      }
    for (const h of here) taken.add(h);
  }
  return out;
}

/** Deletes taken (and lost) slots: after the detector step, so a crash before it re-reads them on retry. */
export async function releasePositions(redis: Redis, k: Keys, slots: readonly number[]): Promise<void> {
  if (!slots.length) return;
  await redis
    .multi()
    .zrem(k.positionsPending, ...slots.map(String))
    .del(...slots.map((s) => k.positions(s)))
    .exec();
}

function parseBody(body: string | null): { now: number; matched: MatchedAircraft[] } | undefined {
  if (body === null) return undefined;
  try {
    const v = JSON.parse(body) as { now?: unknown; matched?: unknown };
    if (typeof v.now !== 'number' || !Array.isArray(v.matched)) return undefined;
    // Written by this module; checked only as far as the merge and the detector's grouping rely on it.
    const matched = (v.matched as unknown[]).filter(isAircraft);
    return { now: v.now, matched };
  } catch {
    return undefined;
  }
}

const isAircraft = (a: unknown): a is MatchedAircraft =>
  typeof a === 'object' && a !== null && typeof (a as { hex?: unknown }).hex === 'string';
