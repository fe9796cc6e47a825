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
 *
 * A record is JSON with a shape `version` (NFLOG_VERSION; absent in records written before: the same
 * fields), checked by the Lua scripts that read it. One this release cannot use (unreadable, or of a newer
 * version) counts as none: the alert is sent and its reservation replaces the record, which is logged
 * (stored-record.ts) — a repeated alert costs less than a lost one.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { disabledOrIgnored } from './channel-state';
import type { Keys } from './keys';
import { logUnusableRecord, type RecordLog } from './stored-record';
import { LuaScript } from '../util/lua-script';

/** Shape version of a notification log record. */
export const NFLOG_VERSION = 1;

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

const lastNotification = z.object({
  alertId: z.string(),
  eventTimeMs: z.number(),
  sentAt: z.number().optional(),
  reservedAt: z.number().optional(),
  prev: z.string().optional(),
});

// The schema and the interface describe the same shape: a field added to one and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<z.infer<typeof lastNotification>, LastNotification> = true;
void sameShape;

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
 * KEYS: sent marker, disabled channels, silence index, history; ARGV: channel id, history id ('' for none). One
 * command rather than four: each command is a write to the socket, and a pipeline costs more (ioredis copies
 * every script defined on the connection, BullMQ's dozens, onto each pipeline it makes).
 */
const READ_STATE = new LuaScript(`local entry = false
if ARGV[2] ~= '' then entry = redis.call('XRANGE', KEYS[4], ARGV[2], ARGV[2]) end
return {redis.call('GET', KEYS[1]), redis.call('HGET', KEYS[2], ARGV[1]), redis.call('SMEMBERS', KEYS[3]), entry}`);

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
  log?: RecordLog,
): Promise<NotifyState> {
  const [sent, disabled, silenceIds, historyRows] = (await READ_STATE.run(
    redis,
    4,
    k.sent(alertId),
    k.disabledChannels,
    k.silenceIndex,
    k.history,
    channelId,
    historyId ?? '',
  )) as [string | null, string | null, string[], [string, string[]][] | null];
  return {
    sent: sent ?? undefined,
    disabled: disabledOrIgnored(k, channelId, disabled ?? undefined, log),
    silenceIds,
    historyRows: historyId ? (historyRows ?? []) : undefined,
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

/**
 * rec(raw) → record, or nil and why not. A record that cannot be used (not JSON, a field of another type, a
 * newer version) counts as absent: it is overwritten, never fatal. The reasons name fields, never values.
 */
const DECODE = `local function rec(raw)
  if not raw then return nil, nil end
  local ok, v = pcall(cjson.decode, raw)
  if not ok or type(v) ~= 'table' then return nil, 'not a JSON object' end
  local ver = v.version
  if ver ~= nil and (type(ver) ~= 'number' or ver < 1 or ver % 1 ~= 0) then return nil, 'version is not a positive integer' end
  if ver ~= nil and ver > ${NFLOG_VERSION} then
    return nil, 'version ' .. ver .. ' is newer than this release reads (${NFLOG_VERSION})'
  end
  if type(v.alertId) ~= 'string' then return nil, 'alertId: not a string' end
  if type(v.eventTimeMs) ~= 'number' then return nil, 'eventTimeMs: not a number' end
  if v.sentAt ~= nil and type(v.sentAt) ~= 'number' then return nil, 'sentAt: not a number' end
  if v.reservedAt ~= nil and type(v.reservedAt) ~= 'number' then return nil, 'reservedAt: not a number' end
  if v.prev ~= nil and type(v.prev) ~= 'string' then return nil, 'prev: not a string' end
  return v, nil
end`;

/**
 * Check and reserve, atomically. KEYS[1] nflog; ARGV: alert id, event time, interval, reservation JSON
 * (without prev), ttl. Returns {1} when this alert may send (it now holds the slot, or already did: a retry),
 * {1, why} when it took the slot over a record it could not use, {0, record} when another alert of the same
 * kind holds it within the interval (suppressed).
 * Replacing another alert's record keeps the last SENT record as `prev` (a JSON string), so a reservation
 * that is released puts back what was there.
 */
const RESERVE = new LuaScript(`${DECODE}
local raw = redis.call('GET', KEYS[1])
local last, unusable = rec(raw)
local prev = nil
if last then
  if last.alertId == ARGV[1] then return {1} end
  if math.abs(tonumber(ARGV[2]) - last.eventTimeMs) < tonumber(ARGV[3]) then return {0, raw} end
  if last.reservedAt then prev = last.prev else prev = raw end
end
local v = ARGV[4]
if type(prev) == 'string' then v = string.sub(v, 1, -2) .. ',"prev":' .. cjson.encode(prev) .. '}' end
redis.call('SET', KEYS[1], v, 'PX', ARGV[5])
if unusable then return {1, unusable} end
return {1}`);

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
  log?: RecordLog,
): Promise<LastNotification | undefined> {
  const key = k.nflog(a.channelId, a.hex, a.type);
  const reservation = encode({ alertId: a.alertId, eventTimeMs: a.eventTimeMs, reservedAt: now });
  const [ok, detail = ''] = (await RESERVE.run(
    redis,
    1,
    key,
    a.alertId,
    String(a.eventTimeMs),
    String(repeatIntervalMs),
    reservation,
    String(logTtlMs(repeatIntervalMs)),
  )) as [number, string?];
  if (ok === 1) {
    if (detail) logUnusableRecord(log, key, detail, "counted as none: replaced by this alert's reservation");
    return undefined;
  }
  return heldBy(detail, a);
}

/** The record that suppresses an alert. The script checked the same fields; should it still not parse, the
 * alert stays suppressed (the script decided) and the detail says less. */
function heldBy(raw: string, a: RepeatSlot): LastNotification {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  const parsed = lastNotification.safeParse(v);
  return parsed.success ? parsed.data : { alertId: 'another alert', eventTimeMs: a.eventTimeMs };
}

/** A record as stored: the version first, then the fields (RECORD appends `prev` before the closing brace). */
const encode = (r: Omit<LastNotification, 'prev'>) => JSON.stringify({ version: NFLOG_VERSION, ...r });

/** KEYS[1] nflog; ARGV[1] alert id. Gives the slot back (restoring `prev`) if this alert reserved it and did not send. */
const RELEASE = new LuaScript(`${DECODE}
local last = rec(redis.call('GET', KEYS[1]))
if not last or last.alertId ~= ARGV[1] or not last.reservedAt then return 0 end
if type(last.prev) == 'string' then redis.call('SET', KEYS[1], last.prev, 'KEEPTTL') else redis.call('DEL', KEYS[1]) end
return 1`);

/**
 * The alert will not be sent (dead letter): give the slot back, so other alerts of the same kind are judged
 * by what was actually sent. Alerts already suppressed by the reservation meanwhile stay suppressed.
 * true when a reservation of this alert was released.
 */
export async function releaseRepeatSlot(redis: Redis, k: Keys, a: Omit<RepeatSlot, 'eventTimeMs'>): Promise<boolean> {
  return (await RELEASE.run(redis, 1, k.nflog(a.channelId, a.hex, a.type), a.alertId)) === 1;
}

/**
 * KEYS[1] sent marker, KEYS[2] nflog (absent without repeatInterval); ARGV: receipt, retention, alert id,
 * record, ttl. The record replaces whatever is there (the last sent alert wins, as before), except another
 * alert's reservation: that one stays in place with this record as the `prev` it would restore.
 */
const RECORD = new LuaScript(`${DECODE}
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
return 1`);

export async function recordSent(
  redis: Redis,
  k: Keys,
  a: { alertId: string; channelId: string; hex: string; type: string; eventTimeMs: number; detail: string },
  repeatIntervalMs: number,
  retentionMs: number,
  now = Date.now(),
): Promise<void> {
  const receipt = JSON.stringify({ at: new Date(now).toISOString(), detail: a.detail });
  const last = encode({ alertId: a.alertId, eventTimeMs: a.eventTimeMs, sentAt: now });
  if (repeatIntervalMs > 0)
    await RECORD.run(
      redis,
      2,
      k.sent(a.alertId),
      k.nflog(a.channelId, a.hex, a.type),
      receipt,
      String(retentionMs),
      a.alertId,
      last,
      String(logTtlMs(repeatIntervalMs)),
    );
  else await RECORD.run(redis, 1, k.sent(a.alertId), receipt, String(retentionMs));
}
