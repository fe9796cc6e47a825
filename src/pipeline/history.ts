/**
 * The event history: a Redis stream every detected event is appended to BEFORE it is routed, so a failed
 * delivery never loses the detection. Trimmed by age (XADD MINID ~, i.e. the retention) rather than by
 * count, so a burst cannot push out recent history. The append is idempotent per event id (a Lua script
 * remembers the entry id for the retention period): re-detecting or replaying an event returns the
 * existing entry instead of appending a copy.
 */
import type { Redis } from 'ioredis';
import type { FlightEvent } from '../domain/event';
import type { Keys } from '../alerting/keys';
import { LuaScript } from '../util/lua-script';

const APPEND = new LuaScript(`
local prev = redis.call('GET', KEYS[1])
if prev then return {prev, 0} end
local id = redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[2], '*', 'id', ARGV[3], 'type', ARGV[4], 'hex', ARGV[5], 'event', ARGV[6])
redis.call('SET', KEYS[1], id, 'PX', ARGV[1])
return {id, 1}`);

export interface HistoryEntry {
  /** Stream entry id (ms-seq), what notify jobs carry instead of the event body. */
  historyId: string;
  /** false when the event was already in the history. */
  appended: boolean;
}

const appendArgs = (k: Keys, e: FlightEvent, retentionMs: number, now: number) =>
  [
    2,
    k.historySeen(e.id),
    k.history,
    String(retentionMs),
    String(Math.max(0, now - retentionMs)),
    e.id,
    e.type,
    e.aircraft.hex,
    JSON.stringify(e),
  ] as const;

export async function appendEvent(
  redis: Redis,
  k: Keys,
  e: FlightEvent,
  retentionMs: number,
  now = Date.now(),
): Promise<HistoryEntry> {
  const [historyId, added] = (await APPEND.run(redis, ...appendArgs(k, e, retentionMs, now))) as [string, number];
  return { historyId, appended: added === 1 };
}

/**
 * appendEvent for many events in one round trip (a pipeline: each append stays its own atomic script, in
 * order). Throws the first error after every reply is in; the appends before it are kept, and re-appending
 * them is idempotent.
 */
export async function appendEvents(
  redis: Redis,
  k: Keys,
  events: readonly FlightEvent[],
  retentionMs: number,
  now = Date.now(),
): Promise<HistoryEntry[]> {
  if (!events.length) return [];
  const replies = await APPEND.runMany(
    redis,
    events.map((e) => appendArgs(k, e, retentionMs, now)),
  );
  return events.map((_e, i) => {
    const [err, reply] = replies[i]!;
    if (err) throw err;
    const [historyId, added] = reply as [string, number];
    return { historyId, appended: added === 1 };
  });
}

export function fieldsToEvent(fields: string[]): FlightEvent | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1];
    if (fields[i] === 'event' && value !== undefined) return JSON.parse(value) as FlightEvent;
  }
  return undefined;
}

/** The event stored at a history entry, or undefined when it was trimmed (older than the retention). */
export async function readEvent(redis: Redis, k: Keys, historyId: string): Promise<FlightEvent | undefined> {
  const [row] = (await redis.xrange(k.history, historyId, historyId)) as [string, string[]][];
  return row ? fieldsToEvent(row[1]) : undefined;
}

/** Events appended at or after `sinceMs` (oldest first), at most `count`. */
export async function listHistory(
  redis: Redis,
  k: Keys,
  sinceMs = 0,
  count = 100,
): Promise<{ historyId: string; event: FlightEvent }[]> {
  const rows = (await redis.xrange(k.history, String(sinceMs), '+', 'COUNT', count)) as [string, string[]][];
  return rows.flatMap(([historyId, fields]) => {
    const event = fieldsToEvent(fields);
    return event ? [{ historyId, event }] : [];
  });
}

/** Stream ids ("ms-seq") in stream order. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

export interface TrimResult {
  removed: number;
  /** Entries over the bound (of those looked at) that stay because the flight record has not archived them. */
  heldBack: number;
}

/**
 * Bounds the history by count as well as by age: removes the oldest entries beyond `maxEntries`, but never one
 * the flight record has not archived. `archivedUpTo` is the archive's cursor (the last entry it holds); null
 * when the archive is enabled but its cursor is not known (not open yet): then nothing is removed; undefined
 * when there is no archive. At most `step` entries go per call (one XRANGE of their ids, one XTRIM), so a
 * lowered bound is reached over several calls without one long command.
 */
export async function trimHistory(
  redis: Redis,
  k: Keys,
  maxEntries: number,
  archivedUpTo: string | null | undefined,
  step = 10_000,
): Promise<TrimResult> {
  const excess = (await redis.xlen(k.history)) - maxEntries;
  if (excess <= 0) return { removed: 0, heldBack: 0 };
  if (archivedUpTo === null) return { removed: 0, heldBack: excess };
  const rows = (await redis.xrange(k.history, '-', '+', 'COUNT', Math.min(excess, step))) as [string, string[]][];
  const ids = rows.map(([id]) => id);
  const removable = archivedUpTo === undefined ? ids : ids.filter((id) => compareStreamIds(id, archivedUpTo) <= 0);
  const last = removable.at(-1);
  // MINID removes the entries below the first one kept: the successor of the last removable one.
  const removed = last ? await redis.xtrim(k.history, 'MINID', nextStreamId(last)) : 0;
  return { removed, heldBack: ids.length - removable.length };
}

function nextStreamId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${ms}-${Number(seq) + 1}`;
}
