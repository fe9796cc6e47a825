/**
 * "Send once per period across replicas": one Redis key per (digest, period) says who is sending it, that an
 * attempt failed and when the next may start, or that it was sent. Each step is one Lua script, so two
 * replicas can never both hold a claim, and a replica only finishes or fails a claim it still holds.
 *
 *   absent ─claim─► sending (lease) ─sent─► sent
 *                        │ fail               ▲
 *                        ▼                    │
 *                     failed (retryAt) ─claim─┘ (once retryAt has passed)
 *
 * A replica that dies while sending leaves a lease that runs out; the next claim after it takes over. Times
 * are the caller's clock (the scheduler's `now`), so retries follow it, not Redis's. Older releases stored
 * the send time as plain text under the report digest's key: such a value reads as sent.
 */
import type { Redis } from 'ioredis';
import { LuaScript } from '../util/lua-script';

export type ClaimState =
  | { state: 'sending'; owner: string; until: number; attempts: number }
  | { state: 'failed'; attempts: number; retryAt: number; error: string }
  | { state: 'sent'; at: number; attempts: number };

export type ClaimResult = { claimed: true; attempts: number } | { claimed: false; current: ClaimState };

const DECODE = `
local function decode(v)
  if not v then return nil end
  local ok, s = pcall(cjson.decode, v)
  if ok and type(s) == 'table' and s.state then return s end
  return { state = 'sent', at = 0, attempts = 0 }
end
`;

// KEYS[1] claim; ARGV: owner, now, leaseUntil, keepMs, resumeOnly ("1": only a claim someone started)
const CLAIM = new LuaScript(`${DECODE}
local s = decode(redis.call('GET', KEYS[1]))
local now = tonumber(ARGV[2])
if not s then
  if ARGV[5] == '1' then return { 0, '{"state":"absent"}' } end
elseif s.state == 'sent'
  or (s.state == 'sending' and tonumber(s['until']) > now)
  or (s.state == 'failed' and tonumber(s.retryAt) > now) then
  return { 0, cjson.encode(s) }
end
local attempts = (s and tonumber(s.attempts)) or 0
redis.call('SET', KEYS[1], cjson.encode({ state = 'sending', owner = ARGV[1], ['until'] = tonumber(ARGV[3]),
  attempts = attempts }), 'PX', ARGV[4])
return { 1, tostring(attempts) }
`);

// KEYS[1] claim; ARGV: owner, new state JSON, keepMs. Replaced only while the owner still holds the lease.
const FINISH = new LuaScript(`${DECODE}
local s = decode(redis.call('GET', KEYS[1]))
if not s or s.state ~= 'sending' or s.owner ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`);

export interface ClaimOptions {
  owner: string;
  now: number;
  /** How long a claim holds without an answer before another replica may take over (a crash). */
  leaseMs: number;
  /** How long the key (sent, or failed) is kept: longer than the period's retries. */
  keepMs: number;
  /** Only take a claim some replica already started (failed, or a lease run out); never open a new one. */
  resumeOnly?: boolean;
}

export async function claimPeriod(redis: Redis, key: string, o: ClaimOptions): Promise<ClaimResult> {
  const [ok, body] = (await CLAIM.run(
    redis,
    1,
    key,
    o.owner,
    o.now,
    o.now + o.leaseMs,
    Math.round(o.keepMs),
    o.resumeOnly ? '1' : '0',
  )) as [number, string];
  if (ok === 1) return { claimed: true, attempts: Number(body) };
  return { claimed: false, current: JSON.parse(body) as ClaimState };
}

/** Marks a held claim sent. False when the lease was lost meanwhile (another replica took over). */
export async function markSent(
  redis: Redis,
  key: string,
  o: { owner: string; now: number; attempts: number; keepMs: number },
): Promise<boolean> {
  const state: ClaimState = { state: 'sent', at: o.now, attempts: o.attempts };
  return (await FINISH.run(redis, 1, key, o.owner, JSON.stringify(state), Math.round(o.keepMs))) === 1;
}

/** Records a failed attempt of a held claim; no replica claims it again before `retryAt`. */
export async function markFailed(
  redis: Redis,
  key: string,
  o: { owner: string; attempts: number; retryAt: number; error: string; keepMs: number },
): Promise<boolean> {
  const state: ClaimState = { state: 'failed', attempts: o.attempts, retryAt: o.retryAt, error: o.error };
  return (await FINISH.run(redis, 1, key, o.owner, JSON.stringify(state), Math.round(o.keepMs))) === 1;
}

/** The claim's state, or undefined when nobody claimed the period. */
export async function readClaim(redis: Redis, key: string): Promise<ClaimState | undefined> {
  const v = await redis.get(key);
  if (v === null) return undefined;
  try {
    const s = JSON.parse(v) as ClaimState;
    if (s && typeof s === 'object' && 'state' in s) return s;
  } catch {
    /* plain text from an older release */
  }
  return { state: 'sent', at: Date.parse(v) || 0, attempts: 0 };
}
