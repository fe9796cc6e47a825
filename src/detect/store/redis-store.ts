/**
 * Redis track store for the worker. One hash per aircraft, `<prefix>track:<hex>` = {v: version, s: JSON
 * state}, with a TTL; a sorted set `<prefix>track-deadlines` indexes running timers. Several worker replicas
 * may process the same aircraft: every write is a Lua compare-and-set on `v`, and a step that lost the race is
 * re-run on the fresh state (its events discarded), so each transition is applied, and announced, once.
 *
 * The same Lua call appends the step's events to the detection outbox stream `<prefix>detected` (see
 * detection-outbox.ts): a saved state always has its events durably queued, even when the batch fails on a
 * later aircraft or the process dies before the events reach delivery.
 */
import type { Redis } from 'ioredis';
import type { FlightEvent } from '../../domain/event';
import { deserializeTrack, dueAt, serializeTrack, type TrackState } from '../track-state';
import { TrackStoreConflictError, type TrackStep, type TrackStore } from './track-store';
import { RedisDetectionOutbox, outboxKey, type DetectionOutbox } from './detection-outbox';

/**
 * KEYS: track hash, deadline zset, outbox stream. ARGV: expected version, state JSON ('' = delete), ttl ms,
 * deadline ('' = none), hex, then (event id, event JSON) pairs. Redis does not roll a script back, so checks
 * come before the first write and the events are appended before the state: if an XADD fails (e.g. out of
 * memory) the state is not saved and the step re-runs; a partly appended step at worst queues an event
 * twice, which delivery deduplicates by event id. Never the other way round (state saved, events not).
 */
const CAS_SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return 0 end
local nv = tonumber(ARGV[1])
if not nv then return redis.error_reply('ERR ' .. KEYS[1] .. ': track version ' .. ARGV[1] .. ' is not a number') end
for i = 6, #ARGV, 2 do
  redis.call('XADD', KEYS[3], '*', 'id', ARGV[i], 'event', ARGV[i + 1])
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[5])
  return 1
end
redis.call('HSET', KEYS[1], 'v', tostring(nv + 1), 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[2], ARGV[5])
else
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
end
return 1
`;

export interface RedisTrackStoreOptions {
  redis: Redis;
  /** Key prefix, e.g. "fw:" (keys become fw:track:<hex>). */
  prefix?: string;
  /** TTL of a track hash; refreshed on every write. */
  ttlMs: number;
  /** Attempts per aircraft before giving up with TrackStoreConflictError. */
  maxAttempts?: number;
  /** Called when a stored state cannot be parsed (the track restarts from scratch). */
  onCorrupt?: (hex: string, error: Error) => void;
  /**
   * Append each committed step's events to the outbox stream `<prefix>detected` (default true). Whoever runs
   * the store must then drain it (the worker's detect job does); off only for tools that just want `out`.
   */
  outbox?: boolean;
}

type CasRedis = Redis & {
  fwTrackCasOutbox(
    trackKey: string,
    zsetKey: string,
    outboxKey: string,
    v: string,
    s: string,
    ttl: string,
    deadline: string,
    hex: string,
    ...events: string[]
  ): Promise<number>;
};

export class RedisTrackStore implements TrackStore {
  readonly kind = 'redis' as const;
  private readonly redis: CasRedis;
  private readonly prefix: string;
  private readonly zkey: string;
  private readonly ttlMs: number;
  private readonly maxAttempts: number;
  private readonly onCorrupt?: (hex: string, error: Error) => void;
  /** The outbox the store appends to; undefined when `outbox: false`. */
  readonly outbox?: DetectionOutbox;

  constructor(opts: RedisTrackStoreOptions) {
    this.redis = opts.redis as CasRedis;
    if (typeof this.redis.fwTrackCasOutbox !== 'function')
      this.redis.defineCommand('fwTrackCasOutbox', { numberOfKeys: 3, lua: CAS_SCRIPT });
    this.prefix = opts.prefix ?? '';
    this.zkey = `${this.prefix}track-deadlines`;
    this.ttlMs = Math.max(1000, Math.round(opts.ttlMs));
    this.maxAttempts = opts.maxAttempts ?? 20;
    this.onCorrupt = opts.onCorrupt;
    if (opts.outbox !== false) this.outbox = new RedisDetectionOutbox(opts.redis, outboxKey(this.prefix));
  }

  key(hex: string): string {
    return `${this.prefix}track:${hex}`;
  }

  private parse(hex: string, s: string | null): TrackState | undefined {
    if (s === null) return undefined;
    try {
      return deserializeTrack(s);
    } catch (e) {
      this.onCorrupt?.(hex, new Error(`${this.key(hex)}: unreadable track state: ${(e as Error).message}`));
      return undefined;
    }
  }

  async update(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): Promise<void> {
    let pending = [...new Set(hexes)];
    for (let attempt = 1; pending.length; attempt++) {
      if (attempt > this.maxAttempts) throw new TrackStoreConflictError(pending, this.maxAttempts);
      const read = this.redis.pipeline();
      for (const hex of pending) read.hmget(this.key(hex), 'v', 's');
      const rows = (await read.exec()) ?? [];
      const write = this.redis.pipeline();
      const results: FlightEvent[][] = [];
      pending.forEach((hex, i) => {
        const [err, val] = rows[i] ?? [new Error('no reply'), null];
        if (err) throw err;
        const [v, s] = val as [string | null, string | null];
        const local: FlightEvent[] = [];
        const next = step(hex, this.parse(hex, s), local);
        results.push(local);
        const deadline = next ? dueAt(next) : undefined;
        const events = this.outbox ? local.flatMap((e) => [e.id, JSON.stringify(e)]) : [];
        // Queued on the pipeline (its reply comes from write.exec()), not a promise of its own.
        void (write as unknown as CasRedis).fwTrackCasOutbox(
          this.key(hex),
          this.zkey,
          this.outbox?.key ?? '',
          v ?? '0',
          next ? serializeTrack(next) : '',
          String(this.ttlMs),
          deadline === undefined ? '' : String(deadline),
          hex,
          ...events,
        );
      });
      const replies = (await write.exec()) ?? [];
      const conflicted: string[] = [];
      let failure: Error | undefined;
      // Look at every reply before throwing: the committed steps' events still go to `out` (and, with the
      // outbox, they are already queued for delivery whatever happens to this call).
      pending.forEach((hex, i) => {
        const [err, ok] = replies[i] ?? [new Error('no reply'), 0];
        if (err) failure ??= err;
        else if (ok === 1) for (const e of results[i] ?? []) out.push(e);
        else conflicted.push(hex);
      });
      if (failure) throw failure;
      pending = conflicted;
    }
  }

  async due(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.zkey, '-inf', String(now), 'LIMIT', 0, 1000);
  }

  async get(hex: string): Promise<TrackState | undefined> {
    return this.parse(hex, await this.redis.hget(this.key(hex), 's'));
  }

  async size(): Promise<number> {
    let n = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}track:*`, 'COUNT', 1000);
      n += keys.length;
      cursor = next;
    } while (cursor !== '0');
    return n;
  }

  /** The store does not own the connection; the caller quits it. */
  async close(): Promise<void> {}
}
