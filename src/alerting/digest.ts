/**
 * Digest delivery: events of digest entries (operator-wide ones by default) are not alerted one by one but
 * gathered per channel and period in Redis, and sent as one summary when the period is over. Kept in Redis
 * so a restart loses nothing: a bucket is deleted only after its summary alert was enqueued (idempotent ids).
 *
 * Layout: a sorted set of open buckets ("<channel>|<periodStart>" scored by periodStart), one hash per bucket
 * (event id → a compact line), so re-collecting the same event (a re-run detect job) adds nothing, and the
 * period length each bucket was opened with (a reload may change `alerts.digest.period`; a bucket keeps its
 * own, so its summary names the span it really covers). Buckets of older releases have none: the current one.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { FlightEvent } from '../domain/event';
import type { OperationalFacts } from '../domain/operational-event';
import type { Logger } from '../util/log';

export function digestKeys(prefix: string) {
  return {
    buckets: `${prefix}:digest:buckets`,
    bucket: (channelId: string, periodStart: number) => `${prefix}:digest:${channelId}:${periodStart}`,
    /** Hash "<channel>|<periodStart>" → period length (ms) the bucket was opened with. */
    periods: `${prefix}:digest:periods`,
    /** The send-once claim of one bucket (pipeline/period-claim.ts). */
    claim: (channelId: string, periodStart: number) => `${prefix}:digest-claim:${channelId}:${periodStart}`,
  };
}

/** An event gathered for a digest: what the summary shows of it. */
const itemSchema = z.object({
  time: z.string(),
  type: z.string(),
  hex: z.string(),
  registration: z.string().optional(),
  callsign: z.string().optional(),
  airport: z.string().optional(),
  watch: z.array(z.string()),
});
export type DigestItem = z.infer<typeof itemSchema>;

/** True when every entry the event matched is delivered by digest: one instant entry makes it an alert. */
export function isDigestOnly(e: FlightEvent, digestIds: ReadonlySet<string>): boolean {
  return e.watch.ids.length > 0 && e.watch.ids.every((id) => digestIds.has(id));
}

/** Start of the UTC-aligned period holding `t` (a day period starts at 00:00 UTC). */
export const periodStartOf = (t: number, periodMs: number) => Math.floor(t / periodMs) * periodMs;

export function digestItem(e: FlightEvent): DigestItem {
  const a = e.aircraft;
  return {
    time: e.time,
    type: e.type,
    hex: a.hex,
    ...(a.registration ? { registration: a.registration } : {}),
    ...(a.callsign ? { callsign: a.callsign } : {}),
    ...(e.airport ? { airport: e.airport.icao } : {}),
    watch: e.watch.ids,
  };
}

/** Adds the event to the open bucket of each channel (the period it arrived in, so none lands in a sent one). */
export async function collectForDigest(
  redis: Redis,
  prefix: string,
  o: { event: FlightEvent; channelIds: readonly string[]; periodMs: number; now: number },
): Promise<void> {
  const k = digestKeys(prefix);
  const start = periodStartOf(o.now, o.periodMs);
  const line = JSON.stringify(digestItem(o.event));
  const m = redis.multi();
  for (const c of o.channelIds) {
    m.hsetnx(k.bucket(c, start), o.event.id, line);
    m.zadd(k.buckets, 'NX', start, `${c}|${start}`);
    m.hsetnx(k.periods, `${c}|${start}`, String(o.periodMs));
  }
  await m.exec();
}

export interface DueBucket {
  channelId: string;
  periodStart: number;
  /** The period length the bucket was opened with. */
  periodMs: number;
  items: DigestItem[];
}

/**
 * Buckets whose period ended at or before `now`, with their items (a line that does not parse is logged and
 * left out). `periodMs` is the configured period, used for buckets that did not record their own.
 */
export async function dueBuckets(
  redis: Redis,
  prefix: string,
  o: { periodMs: number; now: number; log: Logger },
): Promise<DueBucket[]> {
  const k = digestKeys(prefix);
  // Every open bucket started before now; few (channels × open periods), so all are read and each is judged by
  // its own period length.
  const members = await redis.zrangebyscore(k.buckets, '-inf', o.now - 1);
  const lengths = members.length ? await redis.hmget(k.periods, ...members) : [];
  const out: DueBucket[] = [];
  for (const [i, m] of members.entries()) {
    const cut = m.lastIndexOf('|');
    const channelId = m.slice(0, cut);
    const periodStart = Number(m.slice(cut + 1));
    const periodMs = Number(lengths[i]) > 0 ? Number(lengths[i]) : o.periodMs;
    if (periodStart + periodMs > o.now) continue;
    const raw = await redis.hgetall(k.bucket(channelId, periodStart));
    const items: DigestItem[] = [];
    for (const [eventId, line] of Object.entries(raw)) {
      const parsed = itemSchema.safeParse(safeJson(line));
      if (parsed.success) items.push(parsed.data);
      else o.log.warn({ key: k.bucket(channelId, periodStart), eventId }, 'unreadable digest entry left out');
    }
    out.push({ channelId, periodStart, periodMs, items });
  }
  return out;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Forgets a bucket once its summary is enqueued. */
export async function dropBucket(redis: Redis, prefix: string, b: Pick<DueBucket, 'channelId' | 'periodStart'>) {
  const k = digestKeys(prefix);
  await redis
    .multi()
    .del(k.bucket(b.channelId, b.periodStart))
    .zrem(k.buckets, `${b.channelId}|${b.periodStart}`)
    .hdel(k.periods, `${b.channelId}|${b.periodStart}`)
    .exec();
}

const RECENT = 5;
const TOP = 12;

/** "a: 3; b: 1" — counts, most first, then by name; the rest summed as "+N more". */
function tally(keys: readonly string[]): string {
  const n = new Map<string, number>();
  for (const k of keys) n.set(k, (n.get(k) ?? 0) + 1);
  const sorted = [...n].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, TOP).map(([k, c]) => `${k}: ${c}`);
  if (sorted.length > TOP) shown.push(`+${sorted.length - TOP} more`);
  return shown.join('; ');
}

const aircraftName = (i: DigestItem) => {
  const id = i.registration ?? i.hex.toUpperCase();
  return i.callsign && i.callsign !== i.registration ? `${id} (${i.callsign})` : id;
};

/** The summary sentence and facts of one period's items (the digest operational alert). */
export function summarizeDigest(
  items: readonly DigestItem[],
  periodStart: number,
  periodMs: number,
): { summary: string; details: OperationalFacts['digest'] } {
  const sorted = [...items].sort((a, b) => a.time.localeCompare(b.time));
  const from = new Date(periodStart).toISOString();
  const to = new Date(periodStart + periodMs).toISOString();
  const airframes = new Set(sorted.map((i) => i.hex)).size;
  const recent = sorted
    .slice(-RECENT)
    .reverse()
    .map((i) => `${i.time.slice(11, 16)} ${i.type} ${aircraftName(i)}${i.airport ? ` at ${i.airport}` : ''}`);
  return {
    summary:
      `${sorted.length} event${sorted.length === 1 ? '' : 's'} of ${airframes} aircraft matched only operator-wide ` +
      `watch entries between ${from.slice(0, 16).replace('T', ' ')} and ${to.slice(0, 16).replace('T', ' ')} UTC; ` +
      'they were gathered here instead of alerting one by one.',
    details: {
      periodStart: from,
      periodEnd: to,
      events: sorted.length,
      entries: tally(sorted.flatMap((i) => i.watch)),
      aircraft: tally(sorted.map((i) => i.registration ?? i.hex.toUpperCase())),
      recent: recent.join('; '),
    },
  };
}
