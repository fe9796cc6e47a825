/**
 * The notification log (Alertmanager nflog): what was sent, used for two decisions in the notify step.
 *  - Idempotence: an alert id marked sent is never sent again (absorbs BullMQ's at-least-once re-runs and
 *    replays after completed jobs were removed).
 *  - repeatInterval: the last alert per (channel, aircraft, event type); another alert of the same kind
 *    within the interval is suppressed. Measured on EVENT time so replaying a day of data behaves like it
 *    did live, not like everything happened in the last second.
 *
 * The repeatInterval slot is taken before the send, in the same Lua call that checks it (`reserveRepeatSlot`):
 * of several alerts of one kind delivered concurrently, exactly one sends. The reservation belongs to the
 * alert id, so the alert's own retries pass it; the send turns it into the sent record (`recordSent`); an
 * alert that ends as a dead letter gives it back (`releaseRepeatSlot`).
 */
import type { Redis } from 'ioredis';
import type { Keys } from './keys';

export interface LastNotification {
  alertId: string;
  eventTimeMs: number;
  /** Set once the alert was sent. */
  sentAt?: number;
  /** Set while the alert holds the slot but is not sent yet (being sent, or waiting for a retry). */
  reservedAt?: number;
  /** On a reservation: the record it replaced (JSON of the last sent alert), restored if the reservation is released. */
  prev?: string;
}

/** Pure: suppress when a different alert of the same kind went out within the interval (either side). */
export function suppressedByRepeat(
  last: LastNotification | undefined,
  alertId: string,
  eventTimeMs: number,
  repeatIntervalMs: number,
): boolean {
  if (!last || repeatIntervalMs <= 0 || last.alertId === alertId) return false;
  return Math.abs(eventTimeMs - last.eventTimeMs) < repeatIntervalMs;
}

export interface NotifyState {
  sent?: string;
  disabled?: { disabledAt: string; reason: string };
  /** Raw history entry fields when a history id was given (see history.ts). */
  historyRows?: [string, string[]][];
  /** Ids in the silence index (may include expired ones). */
  silenceIds: string[];
}

/**
 * Everything the notify step checks before sending, in ONE round trip: the sent marker, the channel's
 * disabled flag, the event from the history stream and the silence index. The notify step is the hot path;
 * each extra round trip is latency on every alert. The repeatInterval check is not here: it has to reserve
 * the slot in the same step that checks it (`reserveRepeatSlot`), after the silences.
 */
export async function readNotifyState(
  redis: Redis,
  k: Keys,
  alertId: string,
  channelId: string,
  historyId?: string,
): Promise<NotifyState> {
  const p = redis.pipeline().get(k.sent(alertId)).hget(k.disabledChannels, channelId).smembers(k.silenceIndex);
  if (historyId) p.xrange(k.history, historyId, historyId);
  const rows = (await p.exec()) ?? [];
  const failed = rows.find(([err]) => err);
  if (failed) throw failed[0];
  const val = (i: number) => (rows[i]?.[1] as string | null) ?? undefined;
  const disabledRaw = val(1);
  return {
    sent: val(0),
    disabled: disabledRaw ? JSON.parse(disabledRaw) : undefined,
    silenceIds: (rows[2]?.[1] as string[]) ?? [],
    historyRows: historyId ? (rows[3]?.[1] as [string, string[]][]) : undefined,
  };
}

/** The notification log key of an alert: one slot per (channel, aircraft, event type). */
export interface RepeatSlot {
  alertId: string;
  channelId: string;
  hex: string;
  type: string;
  eventTimeMs: number;
}

/** How long a log record (sent or reserved) is kept: the interval plus an hour of slack for late events. */
const logTtlMs = (repeatIntervalMs: number) => repeatIntervalMs + 3_600_000;

// A record that cannot be read (not JSON) counts as absent: it is overwritten, never fatal.
const DECODE = `local function rec(raw) if not raw then return nil end local ok, v = pcall(cjson.decode, raw) if ok and type(v) == 'table' then return v end return nil end`;

/**
 * Check and reserve, atomically. KEYS[1] nflog; ARGV: alert id, event time, interval, reservation JSON
 * (without prev), ttl. Returns {1} when this alert may send (it now holds the slot, or already did: a retry),
 * {0, record} when another alert of the same kind holds it within the interval (suppressed).
 * Replacing another alert's record keeps the last SENT record as `prev` (a JSON string), so a reservation
 * that is released puts back what was there.
 */
const RESERVE = `${DECODE}
local raw = redis.call('GET', KEYS[1])
local last = rec(raw)
local prev = nil
if last then
  if last.alertId == ARGV[1] then return {1} end
  local t = tonumber(last.eventTimeMs)
  if t and math.abs(tonumber(ARGV[2]) - t) < tonumber(ARGV[3]) then return {0, raw} end
  if last.reservedAt then prev = last.prev else prev = raw end
end
local v = ARGV[4]
if type(prev) == 'string' then v = string.sub(v, 1, -2) .. ',"prev":' .. cjson.encode(prev) .. '}' end
redis.call('SET', KEYS[1], v, 'PX', ARGV[5])
return {1}`;

/**
 * One step, no race: suppressed when another alert of the same kind was sent, or holds the slot (being sent,
 * waiting for a retry), within the interval; otherwise this alert takes the slot. Returns the record that
 * suppresses it, or undefined when it may send. A retry of the same alert finds its own reservation and
 * proceeds. Only for repeatIntervalMs > 0.
 */
export async function reserveRepeatSlot(
  redis: Redis,
  k: Keys,
  a: RepeatSlot,
  repeatIntervalMs: number,
  now = Date.now(),
): Promise<LastNotification | undefined> {
  const reservation = JSON.stringify({ alertId: a.alertId, eventTimeMs: a.eventTimeMs, reservedAt: now });
  const [ok, raw] = (await redis.eval(
    RESERVE,
    1,
    k.nflog(a.channelId, a.hex, a.type),
    a.alertId,
    String(a.eventTimeMs),
    String(repeatIntervalMs),
    reservation,
    String(logTtlMs(repeatIntervalMs)),
  )) as [number, string?];
  return ok === 1 ? undefined : (JSON.parse(raw!) as LastNotification);
}

/** KEYS[1] nflog; ARGV[1] alert id. Gives the slot back (restoring `prev`) if this alert reserved it and did not send. */
const RELEASE = `${DECODE}
local last = rec(redis.call('GET', KEYS[1]))
if not last or last.alertId ~= ARGV[1] or not last.reservedAt then return 0 end
if type(last.prev) == 'string' then redis.call('SET', KEYS[1], last.prev, 'KEEPTTL') else redis.call('DEL', KEYS[1]) end
return 1`;

/**
 * The alert will not be sent (dead letter): give the slot back, so other alerts of the same kind are judged
 * by what was actually sent. Alerts already suppressed by the reservation meanwhile stay suppressed.
 * true when a reservation of this alert was released.
 */
export async function releaseRepeatSlot(redis: Redis, k: Keys, a: Omit<RepeatSlot, 'eventTimeMs'>): Promise<boolean> {
  return (await redis.eval(RELEASE, 1, k.nflog(a.channelId, a.hex, a.type), a.alertId)) === 1;
}

/**
 * KEYS[1] sent marker, KEYS[2] nflog (absent without repeatInterval); ARGV: receipt, retention, alert id,
 * record, ttl. The record replaces whatever is there (the last sent alert wins, as before), except another
 * alert's reservation: that one stays in place with this record as the `prev` it would restore.
 */
const RECORD = `${DECODE}
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if #KEYS < 2 then return 1 end
local raw = redis.call('GET', KEYS[2])
local last = rec(raw)
if last and last.alertId ~= ARGV[3] and last.reservedAt then
  local at = string.find(raw, ',"prev":', 1, true)
  local base = at and string.sub(raw, 1, at - 1) or string.sub(raw, 1, -2)
  redis.call('SET', KEYS[2], base .. ',"prev":' .. cjson.encode(ARGV[4]) .. '}', 'KEEPTTL')
  return 1
end
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
return 1`;

export async function recordSent(
  redis: Redis,
  k: Keys,
  a: { alertId: string; channelId: string; hex: string; type: string; eventTimeMs: number; detail: string },
  repeatIntervalMs: number,
  retentionMs: number,
  now = Date.now(),
): Promise<void> {
  const receipt = JSON.stringify({ at: new Date(now).toISOString(), detail: a.detail });
  const last: LastNotification = { alertId: a.alertId, eventTimeMs: a.eventTimeMs, sentAt: now };
  if (repeatIntervalMs > 0)
    await redis.eval(
      RECORD,
      2,
      k.sent(a.alertId),
      k.nflog(a.channelId, a.hex, a.type),
      receipt,
      String(retentionMs),
      a.alertId,
      JSON.stringify(last),
      String(logTtlMs(repeatIntervalMs)),
    );
  else await redis.eval(RECORD, 1, k.sent(a.alertId), receipt, String(retentionMs));
}
