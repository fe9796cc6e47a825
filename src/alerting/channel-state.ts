/**
 * Disabled channels, persisted in Redis so every replica and every restart agrees: a receiver that answered
 * 410 Gone stays disabled until an operator re-enables it (`flightwatch alert enable <channel>`).
 *
 * One hash field per disabled channel, its value JSON `{version, disabledAt, reason}` (CHANNEL_STATE_VERSION;
 * absent in records written before: the same fields). A value this release cannot use (unreadable, or of a
 * newer version) is ignored — the channel counts as enabled, so alerts are tried rather than dead-lettered on
 * a flag nobody can read — and logged (stored-record.ts). An unreadable one is replaced when the receiver is
 * found gone again; a newer one is left to the release that wrote it.
 */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { LuaScript } from '../util/lua-script';
import type { Keys } from './keys';
import { checkVersion, issueReason, logUnusableRecord, type RecordLog } from './stored-record';

/** Shape version of a disabled-channel record. */
export const CHANNEL_STATE_VERSION = 1;

export interface DisabledChannel {
  channelId: string;
  disabledAt: string;
  reason: string;
}

const disabledRecord = z.object({
  disabledAt: z.string().refine((t) => Number.isFinite(Date.parse(t)), 'not a time'),
  reason: z.string(),
});

type Disabled = Omit<DisabledChannel, 'channelId'>;
export type DisabledRead = { kind: 'disabled'; value: Disabled } | { kind: 'newer' | 'invalid'; reason: string };

/** Reads one stored value; never throws. */
export function readDisabledRecord(raw: string): DisabledRead {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' }; // the parser's message would quote the value
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { kind: 'invalid', reason: 'not a JSON object' };
  const version = checkVersion((v as { version?: unknown }).version, CHANNEL_STATE_VERSION);
  if (version.kind !== 'known') return version;
  const parsed = disabledRecord.safeParse(v);
  return parsed.success
    ? { kind: 'disabled', value: parsed.data }
    : { kind: 'invalid', reason: issueReason(parsed.error) };
}

/**
 * The channel's record for readers: undefined when absent or unusable (then logged once, and the channel
 * counts as enabled).
 */
export function disabledOrIgnored(
  k: Keys,
  channelId: string,
  raw: string | null | undefined,
  log?: RecordLog,
): Disabled | undefined {
  if (raw === null || raw === undefined) return undefined;
  const read = readDisabledRecord(raw);
  if (read.kind === 'disabled') return read.value;
  logUnusableRecord(log, `${k.disabledChannels} ${channelId}`, read.reason, 'the channel counts as enabled');
  return undefined;
}

const encode = (d: Disabled) => JSON.stringify({ version: CHANNEL_STATE_VERSION, ...d });

/** KEYS[1] hash; ARGV: channel id, the value expected there, the new value. Compare-and-set on the value. */
const REPLACE = new LuaScript(`if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`);

/** true when this call disabled it (false: it already was), so only one operational alert is raised. */
export async function disableChannel(
  redis: Redis,
  k: Keys,
  channelId: string,
  reason: string,
  now = Date.now(),
  log?: RecordLog,
): Promise<{ newly: boolean; disabledAt: string }> {
  const disabledAt = new Date(now).toISOString();
  const record = encode({ disabledAt, reason });
  // Another replica or operator may change the field between the calls: look again (a few times at most).
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await redis.hsetnx(k.disabledChannels, channelId, record)) === 1) return { newly: true, disabledAt };
    const raw = await redis.hget(k.disabledChannels, channelId);
    if (raw === null) continue; // re-enabled meanwhile
    const read = readDisabledRecord(raw);
    if (read.kind === 'disabled') return { newly: false, disabledAt: read.value.disabledAt };
    if (read.kind === 'newer') {
      logUnusableRecord(log, `${k.disabledChannels} ${channelId}`, read.reason, 'left to the release that wrote it');
      return { newly: false, disabledAt };
    }
    // Unreadable: readers ignored it, so this is the first time the channel is known to be disabled.
    if ((await REPLACE.run(redis, 1, k.disabledChannels, channelId, raw, record)) === 1) {
      logUnusableRecord(log, `${k.disabledChannels} ${channelId}`, read.reason, 'replaced');
      return { newly: true, disabledAt };
    }
  }
  return { newly: false, disabledAt };
}

export async function enableChannel(redis: Redis, k: Keys, channelId: string): Promise<boolean> {
  return (await redis.hdel(k.disabledChannels, channelId)) === 1;
}

/** Disabled channels; a record this release cannot use is left out (logged once). */
export async function listDisabledChannels(redis: Redis, k: Keys, log?: RecordLog): Promise<DisabledChannel[]> {
  const h = await redis.hgetall(k.disabledChannels);
  return Object.entries(h).flatMap(([channelId, raw]) => {
    const d = disabledOrIgnored(k, channelId, raw, log);
    return d ? [{ channelId, ...d }] : [];
  });
}
