/**
 * Redis track store for the worker. One hash per aircraft, `<prefix>track:<hex>` = {v: version, and the state
 * in fields (track-fields.ts): a JSON header, `ext`, and the window and history rings in binary}, with a TTL;
 * a sorted set `<prefix>track-deadlines` indexes running timers. Several worker replicas
 * may process the same aircraft: every write is a Lua compare-and-set on `v`, and a step that lost the race is
 * re-run on the fresh state (its events discarded), so each transition is applied, and announced, once.
 *
 * The same Lua call appends the step's events to the detection outbox stream `<prefix>detected` (see
 * detection-outbox.ts): a saved state always has its events durably queued, even when the batch fails on a
 * later aircraft or the process dies before the events reach delivery.
 *
 * Per poll, most of the cost was reading back and parsing the state this very process had written the poll
 * before. The store keeps the states it wrote (written-states.ts) and steps from them while `v` in Redis is
 * still the version it wrote: the compare-and-set finds out when it is not, and the step re-runs on the record
 * read afresh. A track is created at a version taken from the clock, not 1, so a key deleted and created
 * again does not come back to a version a remembered state was written at. Whoever edits a record by hand must
 * change `v` too (any number), or a running worker keeps stepping from the state it remembers.
 */
import type { Redis } from 'ioredis';
import type { FlightEvent } from '../../domain/event';
import { TRACK_STATE_VERSION, decodeAll, dueAt, type TrackState } from '../track-state';
import { readTrackRecord } from './track-record';
import { READ_FIELDS, readTrackFields, trackFields, type FieldMarks } from './track-fields';
import { TrackStoreConflictError, type TrackStep, type TrackStore } from './track-store';
import { RedisDetectionOutbox, outboxKey, type DetectionOutbox } from './detection-outbox';
import { WrittenStates, type WrittenState } from './written-states';
import { PackedArgs } from './packed-args';

/**
 * Compare-and-set of a whole chunk of aircraft in one call (one round trip, one script run per chunk).
 * KEYS: deadline zset, outbox stream, then one track hash per aircraft. ARGV[1]: ttl ms; ARGV[2]: the
 * aircraft's values packed (packed-args.ts), per aircraft: expected version, version to write, mode ('r':
 * replace the hash, 'u': update the fields given, 'd': delete), deadline ('' = none), hex, field count f, then f
 * (field, value) pairs, event count n, then n (event id, event JSON) pairs. A field named
 * `+name:offset:length` is a splice: its value replaces as many bytes of field `name` at `offset`, and only if
 * that field is `length` bytes long (a ring's one new slot, track-fields.ts). Returns per aircraft 1 (saved),
 * 0 (version changed, or a field to splice is not what the step read: re-run the step) or -1 (the stored
 * version is not a number: that aircraft fails, the others are still saved).
 *
 * Redis does not roll a script back, so each aircraft's checks come before its first write and its events are
 * appended before its state: if an XADD fails (e.g. out of memory) the script stops, the aircraft saved before
 * it keep their events queued, and the others re-run on retry; a partly appended step at worst queues an
 * event twice, which delivery deduplicates by event id. Never the other way round (state saved, events not).
 */
const BATCH_CAS_SCRIPT = `
local ttl, packed, pos = ARGV[1], ARGV[2], 1
local function str()
  local s
  s, pos = struct.unpack('<I4c0', packed, pos)
  return s
end
local function count()
  local n
  n, pos = struct.unpack('<I4', packed, pos)
  return n
end
-- The values of n pairs, in one list.
local function pairsOf(n)
  local list = {}
  for j = 1, 2 * n do list[j] = str() end
  return list
end
-- The HSET arguments of one aircraft's fields, splices ('+name:offset:length') applied to the stored values;
-- false when a value to splice into is not the length the step read (the step re-runs on a fresh read).
local function hsetArgs(key, nextv, fields)
  local args = {'v', nextv}
  for j = 1, #fields, 2 do
    local name, value = fields[j], fields[j + 1]
    if string.byte(name, 1) == 43 then
      local c1 = string.find(name, ':', 2, true)
      local c2 = string.find(name, ':', c1 + 1, true)
      local field = string.sub(name, 2, c1 - 1)
      local at, len = tonumber(string.sub(name, c1 + 1, c2 - 1)), tonumber(string.sub(name, c2 + 1))
      local cur = redis.call('HGET', key, field)
      if not cur or #cur ~= len or at > len then return false end
      value = string.sub(cur, 1, at) .. value .. string.sub(cur, at + #value + 1)
      name = field
    end
    args[#args + 1] = name
    args[#args + 1] = value
  end
  return args
end
local out = {}
for i = 3, #KEYS do
  local key, expect, nextv, mode, dl, hex = KEYS[i], str(), str(), str(), str(), str()
  local fields = pairsOf(count())
  local events = pairsOf(count())
  local v = redis.call('HGET', key, 'v')
  local nv = tonumber(expect)
  local same, hset = (v or '0') == expect, nil
  if same and nv and mode ~= 'd' then hset = hsetArgs(key, nextv, fields) end
  if not same or hset == false then
    out[#out + 1] = 0
  elseif not nv then
    out[#out + 1] = -1
  else
    for j = 1, #events, 2 do
      redis.call('XADD', KEYS[2], '*', 'id', events[j], 'event', events[j + 1])
    end
    if mode == 'd' then
      redis.call('DEL', key)
      redis.call('ZREM', KEYS[1], hex)
    else
      if mode == 'r' then redis.call('DEL', key) end
      redis.call('HSET', key, unpack(hset))
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

/**
 * The fields READ_FIELDS names, of every key, in one call: a chunk's reads as one command rather than one per
 * aircraft (the client's work per command — a promise, an encoding, a reply callback — was a share of the
 * store's time at 10,000 aircraft). Absent fields come back nil.
 */
const READ_SCRIPT = `
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('HMGET', KEYS[i], unpack(ARGV))
end
return out
`;

/** Aircraft per read and per write call: bounds the memory of one round (states read, JSON written). */
const DEFAULT_CHUNK = 250;
/**
 * States remembered by default: none. Since the record is read in fields with binary rings, reading a state
 * back costs less than keeping it: at 10,000 aircraft, remembering 2,000 left the rate as it was and the heap
 * 20 MB larger (remembered states outlive the young generation and are promoted, then rewritten every poll).
 */
const DEFAULT_REMEMBERED = 0;
/** A remembered state unused this long (the aircraft not heard) makes room for others; never past the TTL. */
const REMEMBER_MS = 10 * 60_000;

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
  /**
   * States this store wrote that it remembers, to step from without reading them back (default 0:
   * read every state from Redis). Each costs what the in-memory store keeps per aircraft: about 6 KB of heap
   * once its window and history are full (10,000 aircraft: about 60 MB).
   */
  rememberStates?: number;
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

/** What a step starts from: a state this store remembers writing, or the hash as read (`v` and every field). */
type Prior = WrittenState | { v: string | null; fields: (Buffer | null)[] };

/** A stored state as read, with the marks of its fields (none: a record of the older, single-field form). */
interface ReadState {
  state: TrackState;
  marks?: FieldMarks;
}

/** One aircraft of a compare-and-set call: stored version, version written, the state and marks, its events. */
interface Stepped {
  hex: string;
  v: string;
  nv: string;
  next: TrackState | undefined;
  marks?: FieldMarks;
  events: FlightEvent[];
}

type CasRedis = Redis & {
  fwTrackCasBatch(numKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<number[]>;
  fwTrackReadBuffer(numKeys: number, ...keysAndArgs: string[]): Promise<(Buffer | null)[][]>;
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
  private readonly written: WrittenStates;
  /** The compare-and-set call's values, packed as a chunk is stepped (one chunk at a time: see update()). */
  private readonly packed = new PackedArgs();
  /** Tracks this store created: with the clock, each new track's first version (nextVersion). */
  private births = Math.floor(Math.random() * 1000);

  constructor(opts: RedisTrackStoreOptions) {
    this.redis = opts.redis as CasRedis;
    if (typeof this.redis.fwTrackCasBatch !== 'function')
      this.redis.defineCommand('fwTrackCasBatch', { lua: BATCH_CAS_SCRIPT });
    if (typeof this.redis.fwTrackReadBuffer !== 'function')
      this.redis.defineCommand('fwTrackRead', { lua: READ_SCRIPT });
    this.prefix = opts.prefix ?? '';
    this.zkey = `${this.prefix}track-deadlines`;
    this.ttlMs = Math.max(1000, Math.round(opts.ttlMs));
    this.maxAttempts = opts.maxAttempts ?? 20;
    this.chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK);
    this.onCorrupt = opts.onCorrupt;
    if (opts.outbox !== false) this.outbox = new RedisDetectionOutbox(opts.redis, outboxKey(this.prefix));
    this.written = new WrittenStates(opts.rememberStates ?? DEFAULT_REMEMBERED, Math.min(this.ttlMs, REMEMBER_MS));
  }

  key(hex: string): string {
    return `${this.prefix}track:${hex}`;
  }

  /**
   * The stored state of one aircraft (the hash's fields). undefined when there is none or it is unreadable
   * (the step starts the track afresh and its write replaces the record); LEFT_FOR_NEWER when a newer release
   * wrote it (the aircraft is skipped: reading it as this release's shape could misreport a
   * flight, and overwriting it would throw away what the newer release knows).
   */
  private read(
    hex: string,
    v: string | null,
    fields: (Buffer | null)[],
  ): ReadState | undefined | typeof LEFT_FOR_NEWER {
    const [, s, h, e, w, x] = fields;
    // `s`: the whole state in one field, as releases before track-fields.ts wrote it. It wins: an older release
    // may have written it over a record of fields. The next write replaces it.
    const { rec, marks } = s
      ? { rec: readTrackRecord(s.toString()), marks: undefined }
      : h
        ? readTrackFields({ h: h.toString(), e: e?.toString(), w: w ?? undefined, x: x ?? undefined })
        : {};
    if (!rec) return undefined;
    if (rec.kind === 'state' && rec.state.hex === hex) return { state: rec.state, marks };
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
   * Chunk by chunk (bounded memory, one write round trip each, a read only for states not remembered). A
   * chunk that fails does not stop the others: the first failure is thrown once every chunk has had its turn,
   * so one bad record never holds back the rest of the batch (their events are in `out` and, with the outbox,
   * queued for delivery).
   *
   * Redis works while the detector runs: the next chunk's read is sent before this chunk is stepped, and this
   * chunk's write is still in flight while the next one is stepped (at most one write outstanding). Chunks
   * hold different aircraft: neither can see a state the other is about to write (and the compare-and-set
   * would catch it if it did).
   */
  async update(hexes: readonly string[], step: TrackStep, out: FlightEvent[]): Promise<void> {
    const all = [...new Set(hexes)];
    let failure: Error | undefined;
    const fail = (e: unknown) => void (failure ??= e instanceof Error ? e : new Error(String(e)));
    let next: Promise<Prior[]> | undefined = all.length ? this.readPriors(all.slice(0, this.chunkSize)) : undefined;
    let writing: Promise<void> | undefined;
    for (let i = 0; i < all.length; i += this.chunkSize) {
      const priors = next as Promise<Prior[]>;
      const after = all.slice(i + this.chunkSize, i + 2 * this.chunkSize);
      next = after.length ? this.readPriors(after) : undefined;
      // Awaited in its turn; until then a failed read must not count as unhandled.
      next?.catch(() => undefined);
      let chunk: Promise<void>;
      try {
        chunk = this.updateChunk(all.slice(i, i + this.chunkSize), step, out, await priors);
      } catch (e) {
        fail(e);
        continue;
      }
      chunk.catch(() => undefined);
      await writing?.catch(fail);
      writing = chunk;
    }
    await writing?.catch(fail);
    if (failure) throw failure;
  }

  /**
   * Each aircraft's prior: the state remembered (taken out: the step may change it), else its hash read, all
   * in one call. `fresh`: read them all (a re-run after a lost compare-and-set).
   */
  private async readPriors(hexes: readonly string[], fresh = false): Promise<Prior[]> {
    const now = Date.now();
    const priors: (Prior | undefined)[] = hexes.map((hex) => (fresh ? undefined : this.written.take(hex, now)));
    const missing = hexes.filter((_hex, i) => priors[i] === undefined);
    if (!missing.length) return priors as Prior[];
    const rows = await this.redis.fwTrackReadBuffer(missing.length, ...missing.map((h) => this.key(h)), ...READ_FIELDS);
    let r = 0;
    return priors.map((p) => {
      if (p) return p;
      const fields = rows[r++];
      if (!fields) throw new Error('ERR track read: fewer replies than keys');
      return { v: fields[0]?.toString() ?? null, fields };
    });
  }

  /**
   * The version a write stores: one up, or for a new track one from the clock (ms × 1000 plus a counter), far
   * above any an earlier track under the key reached, which went up by one per poll.
   */
  private nextVersion(v: string): string {
    return v === '0' ? String(Date.now() * 1000 + (this.births++ % 1000)) : String(Number(v) + 1);
  }

  /**
   * `firstPriors`: this chunk's priors, read ahead by update(); a re-run after a conflict reads afresh. Steps
   * the first attempt before its first await, so the caller can step the next chunk while this one's write
   * is in flight.
   */
  private async updateChunk(hexes: string[], step: TrackStep, out: FlightEvent[], firstPriors: Prior[]): Promise<void> {
    let pending = hexes;
    for (let attempt = 1; pending.length; attempt++) {
      if (attempt > this.maxAttempts) throw new TrackStoreConflictError(pending, this.maxAttempts);
      const priors = attempt === 1 ? firstPriors : await this.readPriors(pending, true);
      const keys: string[] = [this.zkey, this.outbox?.key ?? this.zkey];
      const args = this.packed;
      args.reset(); // a step that threw in an earlier attempt left its values behind
      /** The aircraft written in this attempt, in script order: stored version, version written, state, events. */
      const stepped: Stepped[] = [];
      pending.forEach((hex, i) => {
        const p = priors[i] as Prior;
        const prior = 'state' in p ? p : this.read(hex, p.v, p.fields);
        if (prior === LEFT_FOR_NEWER) return;
        const v = p.v ?? '0';
        const local: FlightEvent[] = [];
        const prev = prior?.state;
        const next = step(hex, prev, local);
        if (next?.extUnreadable) {
          this.report(
            hex,
            v,
            'discarded',
            `unreadable extension state (${next.extUnreadable}): the extensions restart`,
          );
          next.extUnreadable = undefined;
        }
        const nv = this.nextVersion(v);
        const deadline = next ? dueAt(next) : undefined;
        keys.push(this.key(hex));
        args.str(v);
        args.str(nv);
        if (!next) {
          stepped.push({ hex, v, nv, next, events: local });
          args.str('d');
          args.str('');
          args.str(hex);
          args.count(0);
        } else {
          // The marks describe the hash only as the state it was read or written as: a step that built a new
          // state (not the one it was given) replaces the record.
          const stored = next === prev ? prior?.marks : undefined;
          const { fields, marks } = trackFields(next, stored);
          stepped.push({ hex, v, nv, next, marks, events: local });
          args.str(stored ? 'u' : 'r');
          args.str(deadline === undefined ? '' : String(deadline));
          args.str(hex);
          args.count(fields.length / 2);
          for (const f of fields) args.value(f);
        }
        const events = this.outbox ? local : [];
        args.count(events.length);
        for (const e of events) {
          args.str(e.id);
          args.str(JSON.stringify(e));
        }
      });
      if (!stepped.length) return;
      const replies = await this.redis.fwTrackCasBatch(keys.length, ...keys, String(this.ttlMs), args.take());
      const conflicted: string[] = [];
      let failure: Error | undefined;
      const now = Date.now();
      // Look at every reply before throwing: the committed steps' events still go to `out` (and, with the
      // outbox, they are already queued for delivery whatever happens to this call).
      stepped.forEach(({ hex, v, nv, next, marks, events }, i) => {
        const ok = replies[i];
        if (ok === 1) {
          for (const e of events) out.push(e);
          this.written.put(hex, nv, next, now, marks);
        } else if (ok === 0) conflicted.push(hex);
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
    const fields = await this.redis.hmgetBuffer(this.key(hex), ...READ_FIELDS);
    const st = this.read(hex, fields[0]?.toString() ?? null, fields);
    return st === LEFT_FOR_NEWER || !st ? undefined : decodeAll(st.state); // the caller gets a plain state
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
