/**
 * The identity linker's memory in Redis: a restart, or another replica taking the next detect job, still
 * knows which hex went quiet where and which links were made. Bounded: every key expires after the horizon
 * (the longest gap bridged), refreshed while its hex is heard, and each name keeps at most its newest
 * MAX_PER_NAME hexes. Keys (under the deployment prefix):
 *   identity:h:<hex>    JSON sighting, last time heard
 *   identity:k:<key>    sorted set hex → time heard, per `reg:<registration>` / `cs:<callsign>`
 *   identity:l:<hex>    JSON link of a hex that continues another
 *   identity:names      sorted set key → time heard: which names are worth looking up at all
 *
 * Written behind, not every cycle: a hex heard again is rewritten only when its names or its on-ground state
 * changed, or its stored sighting is older than its share of `refreshMs` (half a minute to a minute, spread by
 * address). A stored sighting then lags the hex's true last one by at most a minute; continuity's bounds are
 * speed bounds, so an earlier point of the same track passes them too (the gap only looks longer). A landing or
 * take-off is written at once, so a parked hex is remembered on the ground. Rewriting every watched aircraft
 * each cycle cost about twelve commands per aircraft per cycle; `npm run bench:identity` measures both.
 */
import type { Redis } from 'ioredis';
import type { IdentityLink } from '../domain/event';
import { identityKeys, type IdentityMemory, type IdentitySighting } from './identity';

/** Names shared by more hexes than this (a busy callsign reused daily) keep only their newest. */
const MAX_PER_NAME = 8;

/** What this process last wrote (or read) for a hex: the write-behind's memory. */
interface Written {
  sighting: IdentitySighting;
  names: string;
}

const namesOf = (s: IdentitySighting) => identityKeys(s).join(' ');

/**
 * Each hex's share of the refresh interval, 0.5–1, fixed by its address: a cold start writes every hex at once,
 * and without this their refreshes would come due in the same cycle ever after (one slow cycle a minute).
 */
function spread(hex: string): number {
  let h = 0;
  for (let i = 0; i < hex.length; i++) h = (Math.imul(h, 31) + hex.charCodeAt(i)) >>> 0;
  return 0.5 + (h % 1024) / 2048;
}

const parse = <T>(json: string | null): T | undefined => {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined; // a damaged value is a hex not remembered, never a failed step
  }
};

export class RedisIdentityMemory implements IdentityMemory {
  private readonly p: string;
  private readonly written = new Map<string, Written>();
  private prunedAt = -Infinity;

  constructor(
    private readonly redis: Redis,
    /** The deployment prefix with its separator, e.g. `flightwatch:`. */
    prefix: string,
    readonly horizonMs: number,
    /** Longest a stored sighting may lag the hex's last one; 0 writes every sighting. */
    private readonly refreshMs = 60_000,
  ) {
    this.p = `${prefix}identity:`;
  }

  async last(hexes: readonly string[]): Promise<Map<string, IdentitySighting>> {
    const out = new Map<string, IdentitySighting>();
    // A hex this process wrote within the refresh interval is in Redis as written: no round trip for it.
    const ask: string[] = [];
    for (const h of hexes) {
      const w = this.written.get(h);
      if (w) out.set(h, w.sighting);
      else ask.push(h);
    }
    if (!ask.length) return out;
    const values = await this.redis.mget(ask.map((h) => `${this.p}h:${h}`));
    ask.forEach((h, i) => {
      const s = parse<IdentitySighting>(values[i] ?? null);
      if (!s) return;
      out.set(h, s);
      if (this.refreshMs > 0) this.written.set(h, { sighting: s, names: namesOf(s) });
    });
    return out;
  }

  async named(keys: readonly string[]): Promise<Map<string, IdentitySighting[]>> {
    const out = new Map<string, IdentitySighting[]>();
    if (!keys.length) return out;
    const pipe = this.redis.pipeline();
    for (const k of keys) pipe.zrange(`${this.p}k:${k}`, 0, -1);
    const replies = (await pipe.exec()) ?? [];
    const hexesOf = keys.map((_, i) => (replies[i]?.[1] as string[] | undefined) ?? []);
    const last = await this.last([...new Set(hexesOf.flat())]);
    keys.forEach((k, i) =>
      out.set(
        k,
        hexesOf[i]!.flatMap((h) => last.get(h) ?? []),
      ),
    );
    return out;
  }

  async links(hexes: readonly string[]): Promise<Map<string, IdentityLink>> {
    const out = new Map<string, IdentityLink>();
    if (!hexes.length) return out;
    const values = await this.redis.mget(hexes.map((h) => `${this.p}l:${h}`));
    hexes.forEach((h, i) => {
      const l = parse<IdentityLink>(values[i] ?? null);
      if (l) out.set(h, l);
    });
    return out;
  }

  async knownKeys(keys: readonly string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const scores = await this.redis.zmscore(`${this.p}names`, ...keys);
    return new Set(keys.filter((_, i) => scores[i] !== null));
  }

  async save(
    sightings: readonly IdentitySighting[],
    links: ReadonlyMap<string, IdentityLink>,
    now: number,
  ): Promise<void> {
    const due = sightings.filter((s) => this.due(s));
    this.prune(now);
    if (!due.length && !links.size) return;
    const ttl = this.horizonMs;
    const pipe = this.redis.multi();
    for (const s of due) {
      if (this.refreshMs > 0) this.written.set(s.hex, { sighting: s, names: namesOf(s) });
      pipe.set(`${this.p}h:${s.hex}`, JSON.stringify(s), 'PX', ttl);
      // A link lives as long as its hex is heard.
      if (!links.has(s.hex)) pipe.pexpire(`${this.p}l:${s.hex}`, ttl);
      for (const k of identityKeys(s)) {
        const key = `${this.p}k:${k}`;
        pipe.zadd(key, s.at, s.hex);
        pipe.zremrangebyscore(key, '-inf', `(${s.at - ttl}`);
        pipe.zremrangebyrank(key, 0, -(MAX_PER_NAME + 1));
        pipe.pexpire(key, ttl);
        pipe.zadd(`${this.p}names`, s.at, k);
      }
    }
    for (const [hex, link] of links) pipe.set(`${this.p}l:${hex}`, JSON.stringify(link), 'PX', ttl);
    // The names index is one key: trimmed by time heard (data time), and kept no longer than the horizon.
    pipe.zremrangebyscore(`${this.p}names`, '-inf', `(${now - ttl}`);
    pipe.pexpire(`${this.p}names`, ttl);
    await pipe.exec();
  }

  /** Whether a sighting must be written now: new to this process, renamed, landed or took off, or stale. */
  private due(s: IdentitySighting): boolean {
    const w = this.written.get(s.hex);
    return (
      !w ||
      s.at - w.sighting.at >= this.refreshMs * spread(s.hex) ||
      s.onGround !== w.sighting.onGround ||
      namesOf(s) !== w.names
    );
  }

  /** Forgets hexes unheard for a refresh interval: they are read from Redis again if heard again. */
  private prune(now: number): void {
    if (now - this.prunedAt < this.refreshMs) return;
    this.prunedAt = now;
    for (const [hex, w] of this.written) if (now - w.sighting.at > 2 * this.refreshMs) this.written.delete(hex);
  }
}
