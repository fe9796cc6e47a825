/**
 * The identity linker's memory in the process: for replays, tests and a detector without Redis. A restart
 * forgets it (the worker uses it unless `detect.identity.shared` asks for `RedisIdentityMemory`). Bounded like the Redis one: hexes unheard for longer
 * than the horizon (the longest gap bridged) are forgotten with their index entries and links.
 */
import type { IdentityLink } from '../domain/event';
import { identityKeys, type IdentityMemory, type IdentitySighting } from './identity';

export class MemoryIdentityMemory implements IdentityMemory {
  private readonly byHex = new Map<string, IdentitySighting>();
  /**
   * Name key → the hexes heard under it: the hex itself while there is one, as for nearly every key, and a Set
   * only once there are more (a Set per key was 6.6 MB of heap at 10,000 aircraft).
   */
  private readonly byKey = new Map<string, string | Set<string>>();
  private readonly linkByHex = new Map<string, IdentityLink>();
  private prunedAt = -Infinity;

  constructor(readonly horizonMs: number) {}

  last(hexes: readonly string[]): Promise<Map<string, IdentitySighting>> {
    const out = new Map<string, IdentitySighting>();
    for (const h of hexes) {
      const s = this.byHex.get(h);
      if (s) out.set(h, s);
    }
    return Promise.resolve(out);
  }

  named(keys: readonly string[]): Promise<Map<string, IdentitySighting[]>> {
    const out = new Map<string, IdentitySighting[]>();
    for (const k of keys) {
      const held = this.byKey.get(k);
      const hexes = held === undefined ? [] : typeof held === 'string' ? [held] : [...held];
      out.set(
        k,
        hexes.flatMap((h) => this.byHex.get(h) ?? []),
      );
    }
    return Promise.resolve(out);
  }

  links(hexes: readonly string[]): Promise<Map<string, IdentityLink>> {
    const out = new Map<string, IdentityLink>();
    for (const h of hexes) {
      const l = this.linkByHex.get(h);
      if (l) out.set(h, l);
    }
    return Promise.resolve(out);
  }

  knownKeys(keys: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(keys.filter((k) => this.byKey.has(k))));
  }

  save(sightings: readonly IdentitySighting[], links: ReadonlyMap<string, IdentityLink>, now: number): Promise<void> {
    for (const s of sightings) {
      this.byHex.set(s.hex, s);
      for (const k of identityKeys(s)) {
        const held = this.byKey.get(k);
        if (held === undefined) this.byKey.set(k, s.hex);
        else if (typeof held !== 'string') held.add(s.hex);
        else if (held !== s.hex) this.byKey.set(k, new Set([held, s.hex]));
      }
    }
    for (const [hex, link] of links) this.linkByHex.set(hex, link);
    this.prune(now);
    return Promise.resolve();
  }

  /** Once a minute of replay/poll time: a full scan per step would cost every poll for nothing. */
  private prune(now: number): void {
    if (now - this.prunedAt < 60_000) return;
    this.prunedAt = now;
    const horizon = now - this.horizonMs;
    for (const [hex, s] of this.byHex) {
      if (s.at >= horizon) continue;
      this.byHex.delete(hex);
      this.linkByHex.delete(hex);
      for (const k of identityKeys(s)) {
        const held = this.byKey.get(k);
        if (held === hex) this.byKey.delete(k);
        else if (held instanceof Set) {
          held.delete(hex);
          if (held.size === 1) this.byKey.set(k, [...held][0]!);
        }
      }
    }
  }
}
