/**
 * Identity continuity, pure: when a hex goes quiet and another appears with the same registration or callsign
 * where the first could have flown to in the time between (distance within a speed bound, altitude close), the
 * two are one airframe. The FAA's PIA programme rotates privacy ICAO addresses, and a re-registration changes
 * an airframe's hex; without this the airframe's history (trips, en-route priors) restarts from nothing.
 *
 * Never a silent merge: each hex keeps its own track, and the link is reported with its evidence (`linked` on
 * the new hex's events, an identity_links row in the archive) for a person to check.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { IdentityLink } from '../domain/event';
import { haversineNm } from '../geo/sphere';
import { normReg } from '../domain/watchlist';

export type { IdentityLink };
export type IdentityLinkReason = IdentityLink['reason'];

export interface IdentityRules {
  /** Longest airborne gap bridged (s): a hex change in flight shows up within minutes. */
  maxAirGapS: number;
  /** Longest ground gap bridged (s): a PIA address may rotate between legs while the aircraft is parked. */
  maxGroundGapS: number;
  /** Fastest plausible ground speed across the gap (kt). */
  maxSpeedKt: number;
  /** Distance allowed on top of the speed bound (nm): position noise, the poll interval. */
  slackNm: number;
  /** Largest altitude change across an airborne gap, per minute of gap (ft/min), plus `altSlackFt`. */
  maxVerticalFpm: number;
  altSlackFt: number;
}

export const DEFAULT_IDENTITY_RULES: IdentityRules = {
  maxAirGapS: 30 * 60,
  maxGroundGapS: 12 * 3600,
  maxSpeedKt: 600,
  slackNm: 5,
  maxVerticalFpm: 3000,
  altSlackFt: 1500,
};

/** What the linker keeps of a hex: its identity and where and when it was last (or first) heard. */
export interface IdentitySighting {
  hex: string;
  registration?: string;
  callsign?: string;
  lat: number;
  lon: number;
  altFt?: number;
  onGround: boolean;
  at: number;
}
type Sighting = IdentitySighting;

/**
 * Callsigns that say nothing about an airframe (blank, a bare designator, the registration-less "TEST"): never
 * evidence of identity. A callsign must carry a number or be a registration-style N-number to count.
 */
const meaningfulCallsign = (cs: string | undefined): cs is string => !!cs && cs.length >= 4 && /\d/.test(cs);

function sightingOf(a: AircraftState): Sighting | undefined {
  if (a.lat === undefined || a.lon === undefined) return undefined;
  return {
    hex: a.hex,
    registration: a.registration ? normReg(a.registration) : undefined,
    callsign: a.callsign?.trim().toUpperCase() || undefined,
    lat: a.lat,
    lon: a.lon,
    altFt: a.onGround ? 0 : a.altFt,
    onGround: a.onGround,
    at: a.positionAt ?? a.observedAt,
  };
}

/**
 * Whether `next` (first position of a new hex) can be the airframe last heard as `last`: the evidence, or
 * undefined when time, distance or altitude rule it out.
 */
export function continuity(
  last: Sighting,
  next: Sighting,
  reason: IdentityLinkReason,
  rules: IdentityRules = DEFAULT_IDENTITY_RULES,
): Omit<IdentityLink, 'matched' | 'at'> | undefined {
  const gapS = (next.at - last.at) / 1000;
  if (gapS <= 0) return undefined; // heard together: two aircraft, not one
  const bothGround = last.onGround && next.onGround;
  if (gapS > (bothGround ? rules.maxGroundGapS : rules.maxAirGapS)) return undefined;
  const distanceNm = haversineNm(last.lat, last.lon, next.lat, next.lon);
  // Parked across the gap: it must still be where it was, however long the gap.
  const reach = bothGround ? rules.slackNm : (rules.maxSpeedKt * gapS) / 3600 + rules.slackNm;
  if (distanceNm > reach) return undefined;
  let altDiffFt: number | undefined;
  if (last.altFt !== undefined && next.altFt !== undefined) {
    altDiffFt = Math.abs(next.altFt - last.altFt);
    if (altDiffFt > (rules.maxVerticalFpm * gapS) / 60 + rules.altSlackFt) return undefined;
  }
  return {
    previousHex: last.hex,
    reason,
    gapSeconds: Math.round(gapS),
    distanceNm: Math.round(distanceNm * 10) / 10,
    ...(altDiffFt !== undefined ? { altDiffFt: Math.round(altDiffFt) } : {}),
  };
}

/** The index keys of a sighting: its registration and a callsign that says something about the airframe. */
export function identityKeys(s: Pick<Sighting, 'registration' | 'callsign'>): string[] {
  const keys: string[] = [];
  if (s.registration) keys.push(`reg:${s.registration}`);
  if (meaningfulCallsign(s.callsign)) keys.push(`cs:${s.callsign}`);
  return keys;
}

/**
 * Where the linker's memory lives: in the process (`MemoryIdentityMemory`, replays and tests) or in Redis
 * (`RedisIdentityMemory`: kept across restarts, shared by replicas). Bounded by the longest gap bridged: a hex
 * unheard for longer, its index entries and its link are forgotten.
 */
export interface IdentityMemory {
  /** The last sightings of those hexes it remembers. */
  last(hexes: readonly string[]): Promise<Map<string, Sighting>>;
  /** For each index key (`identityKeys`), the last sightings of the hexes heard under it. */
  named(keys: readonly string[]): Promise<Map<string, Sighting[]>>;
  /** The links of those hexes that continue another one. */
  links(hexes: readonly string[]): Promise<Map<string, IdentityLink>>;
  /** Which of these keys it has heard within the horizon (a cheap pre-check before `named`). */
  knownKeys(keys: readonly string[]): Promise<Set<string>>;
  /** Remembers the sightings and new links; keeps the links of the heard hexes alive. */
  save(sightings: readonly Sighting[], links: ReadonlyMap<string, IdentityLink>, now: number): Promise<void>;
}

/**
 * Links a hex heard for the first time to one that went quiet, with the evidence. A registration match is
 * preferred to a callsign match, then the shortest gap. Links stay known while the new hex keeps being heard
 * (and within the memory's horizon), so all its events carry the evidence — across a restart and on every
 * replica when the memory is Redis.
 */
export class IdentityLinker {
  constructor(
    private readonly memory: IdentityMemory,
    private readonly rules: IdentityRules = DEFAULT_IDENTITY_RULES,
  ) {}

  /** Feeds one step's aircraft (heard at `now`); returns the links made in this step, by new hex. */
  async observe(batch: readonly AircraftState[], now: number): Promise<Map<string, IdentityLink>> {
    const seen = batch.flatMap((a) => sightingOf(a) ?? []);
    if (!seen.length) {
      await this.memory.save([], new Map(), now); // lets the memory forget what went quiet
      return new Map();
    }
    const last = await this.memory.last([...new Set(seen.map((s) => s.hex))]);
    const heard = new Set(batch.map((a) => a.hex));
    const made = await this.linkNew(
      seen.filter((s) => !last.has(s.hex)),
      heard,
    );
    await this.memory.save(mergeIdentity(seen, last), made, now);
    return made;
  }

  /**
   * Unwatched aircraft that continue a watched hex whose entry names it only by hex (PIA rotation,
   * re-registration): each with the hex it continues (following earlier links) and the link, made now or
   * before. The link is remembered, so the new hex's events carry it; nothing else of the cycle is kept.
   */
  async follow(
    unwatched: readonly AircraftState[],
    watchedHex: (hex: string) => boolean,
    now: number,
  ): Promise<Map<string, { watchedHex: string; link: IdentityLink }>> {
    const out = new Map<string, { watchedHex: string; link: IdentityLink }>();
    const seen = unwatched.flatMap((a) => sightingOf(a) ?? []);
    if (!seen.length) return out;
    const hexes = [...new Set(seen.map((s) => s.hex))];
    const linked = await this.memory.links(hexes);
    // Only aircraft heard under a name the memory knows can continue a watched hex: one round trip filters the feed.
    const known = await this.memory.knownKeys([...new Set(seen.flatMap((s) => identityKeys(s)))]);
    const fresh = seen.filter((s) => !linked.has(s.hex) && identityKeys(s).some((k) => known.has(k)));
    const last = fresh.length ? await this.memory.last(fresh.map((s) => s.hex)) : new Map<string, Sighting>();
    const made = await this.linkNew(
      fresh.filter((s) => !last.has(s.hex)),
      new Set(hexes),
    );
    for (const [hex, link] of made) linked.set(hex, link);
    const keep: Sighting[] = [];
    for (const s of seen) {
      const link = linked.get(s.hex);
      const root = link && (await this.watchedRoot(link, watchedHex));
      if (!link || !root || out.has(s.hex)) continue;
      out.set(s.hex, { watchedHex: root, link });
      keep.push(s);
    }
    const newLinks = new Map([...made].filter(([hex]) => out.has(hex)));
    if (keep.length) await this.memory.save(keep, newLinks, now);
    return out;
  }

  /** The links of these hexes (those that continue another one). */
  linksOf(hexes: readonly string[]): Promise<Map<string, IdentityLink>> {
    return this.memory.links(hexes);
  }

  /** The watched hex a chain of links leads back to (a hex may rotate more than once), if any. */
  private async watchedRoot(link: IdentityLink, watchedHex: (hex: string) => boolean): Promise<string | undefined> {
    let hex = link.previousHex;
    for (let hop = 0; hop < 4; hop++) {
      if (watchedHex(hex)) return hex;
      const prev = (await this.memory.links([hex])).get(hex);
      if (!prev) return undefined;
      hex = prev.previousHex;
    }
    return undefined;
  }

  private async linkNew(fresh: readonly Sighting[], heard: ReadonlySet<string>): Promise<Map<string, IdentityLink>> {
    const made = new Map<string, IdentityLink>();
    if (!fresh.length) return made;
    const keys = [...new Set(fresh.flatMap((s) => identityKeys(s)))];
    const named = keys.length ? await this.memory.named(keys) : new Map<string, Sighting[]>();
    for (const s of fresh) {
      if (made.has(s.hex)) continue;
      const link = findPrevious(s, named, heard, this.rules);
      if (link) made.set(s.hex, link);
    }
    return made;
  }
}

/** The quiet hex a new one continues: by registration first, then by callsign; the shortest gap wins. */
function findPrevious(
  s: Sighting,
  named: ReadonlyMap<string, readonly Sighting[]>,
  heard: ReadonlySet<string>,
  rules: IdentityRules,
): IdentityLink | undefined {
  const tryKey = (key: string | undefined, reason: IdentityLinkReason) => {
    let best: IdentityLink | undefined;
    if (!key) return best;
    for (const last of named.get(key) ?? []) {
      // A hex heard in the same step is another aircraft under the same name, not this one's past.
      if (last.hex === s.hex || heard.has(last.hex)) continue;
      const ev = continuity(last, s, reason, rules);
      if (ev && (!best || ev.gapSeconds < best.gapSeconds))
        best = { ...ev, matched: key.slice(key.indexOf(':') + 1), at: new Date(s.at).toISOString() };
    }
    return best;
  };
  return (
    tryKey(s.registration ? `reg:${s.registration}` : undefined, 'same-registration') ??
    tryKey(meaningfulCallsign(s.callsign) ? `cs:${s.callsign}` : undefined, 'same-callsign')
  );
}

/**
 * One sighting per hex (the latest), keeping identity fields heard earlier when a later record lacks them
 * (callsigns come and go).
 */
export function mergeIdentity(seen: readonly Sighting[], last: ReadonlyMap<string, Sighting>): Sighting[] {
  const out = new Map<string, Sighting>();
  for (const s of seen) {
    const prev = out.get(s.hex) ?? last.get(s.hex);
    out.set(s.hex, {
      ...s,
      registration: s.registration ?? prev?.registration,
      callsign: s.callsign ?? prev?.callsign,
    });
  }
  return [...out.values()];
}

/** How long the memory keeps a hex: the longest gap it bridges. */
export const identityHorizonMs = (rules: IdentityRules) => Math.max(rules.maxAirGapS, rules.maxGroundGapS) * 1000;
