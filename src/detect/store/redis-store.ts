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
import { TRACK_STATE_VERSION, dueAt, type TrackState } from '../track-state';
import { readTrackRecord, serializeTrack } from './track-record';
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
  /**
   * Called once per stored state that cannot be used, with a TrackRecordError naming the key and the reason
   * (never the content): `discarded` when it is unreadable (the track restarts from scratch and the step's
   * write replaces it), `left` when a newer release wrote it (the aircraft is skipped, the record kept).
   */
  onCorrupt?: (hex: string, error: TrackRecordError) => void;
  /**
   * Append each committed step's events to the outbox stream `<prefix>detected` (default true). Whoever runs
   * the store must then drain it (the worker's detect job does); off only for tools that just want `out`.
   */
  outbox?: boolean;
}

/** A stored track state this release cannot use; `action` says what the store did about it. */
export class TrackRecordError extends Error {
  constructor(
    message: string,
    readonly action: 'discarded' | 'left',
  ) {
    super(message);
    this.name = 'TrackRecordError';
  }
}

/** Returned by read() for a record of a newer release: skip the aircraft. */
const LEFT_FOR_NEWER = Symbol('left for a newer release');
/** Bound on the reported-records memory (cleared when full: at worst a record is reported again). */
const MAX_REPORTED = 10_000;

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
  private readonly onCorrupt?: (hex: string, error: TrackRecordError) => void;
  /** Records already reported (key@write counter), so a re-run step or a poll loop reports each once. */
  private readonly reported = new Set<string>();
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

  /**
   * The stored state of one aircraft (`v`, `s`: the hash fields). undefined when there is none or it is
   * unreadable (the step starts the track afresh and its write replaces the record); LEFT_FOR_NEWER when a
   * newer release wrote it (the aircraft is skipped: reading it as this release's shape could misreport a
   * flight, and overwriting it would throw away what the newer release knows).
   */
  private read(hex: string, v: string | null, s: string | null): TrackState | undefined | typeof LEFT_FOR_NEWER {
    if (s === null) return undefined;
    const rec = readTrackRecord(s);
    if (rec.kind === 'state' && rec.state.hex === hex) return rec.state;
    if (rec.kind === 'newer') {
      this.report(
        hex,
        v,
        'left',
        `written by a newer release (track state version ${rec.version}, this one reads up to ${TRACK_STATE_VERSION}): left as it is, aircraft skipped`,
      );
      return LEFT_FOR_NEWER;
    }
    const reason = rec.kind === 'invalid' ? rec.reason : 'hex: not the aircraft of the key';
    this.report(hex, v, 'discarded', `unreadable track state (${reason}): the track restarts`);
    return undefined;
  }

  /** Once per stored record (key and write counter): a step re-run after a conflict re-reads it. */
  private report(hex: string, v: string | null, action: TrackRecordError['action'], what: string): void {
    const id = `${this.key(hex)}@${v ?? ''}`;
    if (this.reported.has(id)) return;
    if (this.reported.size >= MAX_REPORTED) this.reported.clear();
    this.reported.add(id);
    this.onCorrupt?.(hex, new TrackRecordError(`${this.key(hex)}: ${what}`, action));
  }

  async update(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): Promise<void> {
    let pending = [...new Set(hexes)];
    for (let attempt = 1; pending.length; attempt++) {
      if (attempt > this.maxAttempts) throw new TrackStoreConflictError(pending, this.maxAttempts);
      const read = this.redis.pipeline();
      for (const hex of pending) read.hmget(this.key(hex), 'v', 's');
      const rows = (await read.exec()) ?? [];
      const write = this.redis.pipeline();
      /** The aircraft written in this attempt, in pipeline order, with the events of their step. */
      const stepped: { hex: string; events: FlightEvent[] }[] = [];
      pending.forEach((hex, i) => {
        const [err, val] = rows[i] ?? [new Error('no reply'), null];
        if (err) throw err;
        const [v, s] = val as [string | null, string | null];
        const prev = this.read(hex, v, s);
        if (prev === LEFT_FOR_NEWER) return;
        const local: FlightEvent[] = [];
        const next = step(hex, prev, local);
        stepped.push({ hex, events: local });
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
      if (!stepped.length) return;
      const replies = (await write.exec()) ?? [];
      const conflicted: string[] = [];
      let failure: Error | undefined;
      // Look at every reply before throwing: the committed steps' events still go to `out` (and, with the
      // outbox, they are already queued for delivery whatever happens to this call).
      stepped.forEach(({ hex, events }, i) => {
        const [err, ok] = replies[i] ?? [new Error('no reply'), 0];
        if (err) failure ??= err;
        else if (ok === 1) for (const e of events) out.push(e);
        else conflicted.push(hex);
      });
      if (failure) throw failure;
      pending = conflicted;
    }
  }

  async due(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.zkey, '-inf', String(now), 'LIMIT', 0, 1000);
  }

  /** The stored state; undefined when there is none, or none this release can read (reported). */
  async get(hex: string): Promise<TrackState | undefined> {
    const [v, s] = await this.redis.hmget(this.key(hex), 'v', 's');
    const st = this.read(hex, v ?? null, s ?? null);
    return st === LEFT_FOR_NEWER ? undefined : st;
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
