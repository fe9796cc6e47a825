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
 * Compare-and-set of a whole chunk of aircraft in one call (one round trip, one script run per chunk).
 * KEYS: deadline zset, outbox stream, then one track hash per aircraft. ARGV: ttl ms, then per aircraft:
 * expected version, state JSON ('' = delete), deadline ('' = none), hex, event count n, then n (event id,
 * event JSON) pairs. Returns per aircraft 1 (saved), 0 (version changed: re-run the step) or -1 (the stored
 * version is not a number: that aircraft fails, the others are still saved).
 *
 * Redis does not roll a script back, so each aircraft's checks come before its first write and its events are
 * appended before its state: if an XADD fails (e.g. out of memory) the script stops, the aircraft saved before
 * it keep their events queued, and the others re-run on retry; a partly appended step at worst queues an
 * event twice, which delivery deduplicates by event id. Never the other way round (state saved, events not).
 */
const BATCH_CAS_SCRIPT = `
local ttl = ARGV[1]
local out = {}
local a = 2
for i = 3, #KEYS do
  local key, expect, s, dl, hex, n = KEYS[i], ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4])
  local first = a + 5
  a = first + 2 * n
  local v = redis.call('HGET', key, 'v')
  local nv = tonumber(expect)
  if (v or '0') ~= expect then
    out[#out + 1] = 0
  elseif not nv then
    out[#out + 1] = -1
  else
    for j = first, a - 1, 2 do
      redis.call('XADD', KEYS[2], '*', 'id', ARGV[j], 'event', ARGV[j + 1])
    end
    if s == '' then
      redis.call('DEL', key)
      redis.call('ZREM', KEYS[1], hex)
    else
      redis.call('HSET', key, 'v', tostring(nv + 1), 's', s)
      redis.call('PEXPIRE', key, ttl)
      if dl == '' then
        redis.call('ZREM', KEYS[1], hex)
      else
        redis.call('ZADD', KEYS[1], dl, hex)
      end
    end
    out[#out + 1] = 1
  end
end
return out
`;

/** Aircraft per read and per write call: bounds the memory of one round (states read, JSON written). */
const DEFAULT_CHUNK = 250;

export interface RedisTrackStoreOptions {
  redis: Redis;
  /** Key prefix, e.g. "fw:" (keys become fw:track:<hex>). */
  prefix?: string;
  /** TTL of a track hash; refreshed on every write. */
  ttlMs: number;
  /** Attempts per aircraft before giving up with TrackStoreConflictError. */
  maxAttempts?: number;
  /** Aircraft per round trip (read, then one compare-and-set call); default 250. */
  chunkSize?: number;
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

/** Replies of a pipeline of HMGET v s: [error, [v, s]] per aircraft. */
type Rows = [Error | null, unknown][];

type CasRedis = Redis & {
  fwTrackCasBatch(numKeys: number, ...keysAndArgs: string[]): Promise<number[]>;
};

export class RedisTrackStore implements TrackStore {
  readonly kind = 'redis' as const;
  private readonly redis: CasRedis;
  private readonly prefix: string;
  private readonly zkey: string;
  private readonly ttlMs: number;
  private readonly maxAttempts: number;
  private readonly chunkSize: number;
  private readonly onCorrupt?: (hex: string, error: TrackRecordError) => void;
  /** Records already reported (key@write counter), so a re-run step or a poll loop reports each once. */
  private readonly reported = new Set<string>();
  /** The outbox the store appends to; undefined when `outbox: false`. */
  readonly outbox?: DetectionOutbox;

  constructor(opts: RedisTrackStoreOptions) {
    this.redis = opts.redis as CasRedis;
    if (typeof this.redis.fwTrackCasBatch !== 'function')
      this.redis.defineCommand('fwTrackCasBatch', { lua: BATCH_CAS_SCRIPT });
    this.prefix = opts.prefix ?? '';
    this.zkey = `${this.prefix}track-deadlines`;
    this.ttlMs = Math.max(1000, Math.round(opts.ttlMs));
    this.maxAttempts = opts.maxAttempts ?? 20;
    this.chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK);
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

  /**
   * Chunk by chunk (bounded memory, one read and one write round trip each). A chunk that fails does not stop
   * the others: the first failure is thrown once every chunk has had its turn, so one bad record never holds
   * back the rest of the batch (their events are in `out` and, with the outbox, queued for delivery).
   *
   * The next chunk's read is sent before this chunk is stepped, so Redis reads while the detector runs and a
   * chunk waits for one round trip instead of two. Chunks hold different aircraft: reading one early cannot
   * see a state the chunk before it is about to write (and the compare-and-set would catch it if it did).
   */
  async update(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): Promise<void> {
    const all = [...new Set(hexes)];
    let failure: Error | undefined;
    let next: Promise<Rows> | undefined = all.length ? this.readRows(all.slice(0, this.chunkSize)) : undefined;
    for (let i = 0; i < all.length; i += this.chunkSize) {
      const rows = next as Promise<Rows>;
      const after = all.slice(i + this.chunkSize, i + 2 * this.chunkSize);
      next = after.length ? this.readRows(after) : undefined;
      // Awaited in its turn; until then a failed read must not count as unhandled.
      next?.catch(() => undefined);
      try {
        await this.updateChunk(all.slice(i, i + this.chunkSize), step, out, rows);
      } catch (e) {
        failure ??= e instanceof Error ? e : new Error(String(e));
      }
    }
    if (failure) throw failure;
  }

  /** `v` and `s` of each aircraft, in one pipelined round trip. */
  private async readRows(hexes: readonly string[]): Promise<Rows> {
    const read = this.redis.pipeline();
    for (const hex of hexes) read.hmget(this.key(hex), 'v', 's');
    return (await read.exec()) ?? [];
  }

  /** `firstRows`: this chunk's records, read ahead by update(); a re-run after a conflict reads afresh. */
  private async updateChunk(
    hexes: string[],
    step: TrackStep,
    out: FlightEvent[],
    firstRows: Promise<Rows>,
  ): Promise<void> {
    let pending = hexes;
    for (let attempt = 1; pending.length; attempt++) {
      if (attempt > this.maxAttempts) throw new TrackStoreConflictError(pending, this.maxAttempts);
      const rows = attempt === 1 ? await firstRows : await this.readRows(pending);
      const keys: string[] = [this.zkey, this.outbox?.key ?? this.zkey];
      const args: string[] = [String(this.ttlMs)];
      /** The aircraft written in this attempt, in script order, with their stored version and step events. */
      const stepped: { hex: string; v: string; events: FlightEvent[] }[] = [];
      pending.forEach((hex, i) => {
        const [err, val] = rows[i] ?? [new Error('no reply'), null];
        if (err) throw err;
        const [v, s] = val as [string | null, string | null];
        const prev = this.read(hex, v, s);
        if (prev === LEFT_FOR_NEWER) return;
        const local: FlightEvent[] = [];
        const next = step(hex, prev, local);
        stepped.push({ hex, v: v ?? '0', events: local });
        const deadline = next ? dueAt(next) : undefined;
        keys.push(this.key(hex));
        args.push(v ?? '0', next ? serializeTrack(next) : '', deadline === undefined ? '' : String(deadline), hex);
        if (!this.outbox) args.push('0');
        else {
          args.push(String(local.length));
          for (const e of local) args.push(e.id, JSON.stringify(e));
        }
      });
      if (!stepped.length) return;
      const replies = await this.redis.fwTrackCasBatch(keys.length, ...keys, ...args);
      const conflicted: string[] = [];
      let failure: Error | undefined;
      // Look at every reply before throwing: the committed steps' events still go to `out` (and, with the
      // outbox, they are already queued for delivery whatever happens to this call).
      stepped.forEach(({ hex, v, events }, i) => {
        const ok = replies[i];
        if (ok === 1) for (const e of events) out.push(e);
        else if (ok === 0) conflicted.push(hex);
        else failure ??= new Error(`ERR ${this.key(hex)}: track version ${v} is not a number`);
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
