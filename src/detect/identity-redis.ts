/**
 * The identity linker's memory in Redis: a restart, or another replica taking the next detect job, still
 * knows which hex went quiet where and which links were made. Bounded: every key expires after the horizon
 * (the longest gap bridged), refreshed while its hex is heard, and each name keeps at most its newest
 * MAX_PER_NAME hexes. Keys (under the deployment prefix):
 *   identity:h:<hex>    JSON sighting, last time heard
 *   identity:k:<key>    sorted set hex → time heard, per `reg:<registration>` / `cs:<callsign>`
 *   identity:l:<hex>    JSON link of a hex that continues another
 *   identity:names      sorted set key → time heard: which names are worth looking up at all
 */
import type { Redis } from 'ioredis';
import type { IdentityLink } from '../domain/event';
import { identityKeys, type IdentityMemory, type IdentitySighting } from './identity';

/** Names shared by more hexes than this (a busy callsign reused daily) keep only their newest. */
const MAX_PER_NAME = 8;

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

  constructor(
    private readonly redis: Redis,
    /** The deployment prefix with its separator, e.g. `flightwatch:`. */
    prefix: string,
    private readonly horizonMs: number,
  ) {
    this.p = `${prefix}identity:`;
  }

  async last(hexes: readonly string[]): Promise<Map<string, IdentitySighting>> {
    const out = new Map<string, IdentitySighting>();
    if (!hexes.length) return out;
    const values = await this.redis.mget(hexes.map((h) => `${this.p}h:${h}`));
    hexes.forEach((h, i) => {
      const s = parse<IdentitySighting>(values[i] ?? null);
      if (s) out.set(h, s);
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
    if (!sightings.length && !links.size) return;
    const ttl = this.horizonMs;
    const pipe = this.redis.multi();
    for (const s of sightings) {
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
}
