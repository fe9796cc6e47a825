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
interface Sighting {
  hex: string;
  registration?: string;
  callsign?: string;
  lat: number;
  lon: number;
  altFt?: number;
  onGround: boolean;
  at: number;
}

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

const put = (m: Map<string, Set<string>>, k: string, hex: string) => {
  const s = m.get(k);
  if (s) s.add(hex);
  else m.set(k, new Set([hex]));
};

/**
 * Remembers the last sighting of every hex it is fed (for the longest gap it bridges) and links a hex heard
 * for the first time to one that went quiet. A registration match is preferred to a callsign match, then the
 * shortest gap. Links stay known while the new hex keeps being heard, so all its events carry the evidence.
 */
export class IdentityLinker {
  private readonly last = new Map<string, Sighting>();
  private readonly byReg = new Map<string, Set<string>>();
  private readonly byCallsign = new Map<string, Set<string>>();
  private readonly links = new Map<string, IdentityLink>();
  private prunedAt = -Infinity;

  constructor(private readonly rules: IdentityRules = DEFAULT_IDENTITY_RULES) {}

  /** Feeds one step's aircraft (heard at `now`); returns the links made in this step, by new hex. */
  observe(batch: readonly AircraftState[], now: number): Map<string, IdentityLink> {
    const made = new Map<string, IdentityLink>();
    const heard = new Set(batch.map((a) => a.hex));
    for (const a of batch) {
      const s = sightingOf(a);
      if (!s) continue;
      const prev = this.last.get(a.hex);
      if (!prev) {
        const link = this.findPrevious(s, heard);
        if (link) {
          this.links.set(a.hex, link);
          made.set(a.hex, link);
        }
      }
      this.remember(s, prev);
    }
    this.prune(now);
    return made;
  }

  /** The link of this hex, if it continues another one. */
  linkOf(hex: string): IdentityLink | undefined {
    return this.links.get(hex);
  }

  private findPrevious(s: Sighting, heard: ReadonlySet<string>): IdentityLink | undefined {
    const tryKey = (index: Map<string, Set<string>>, key: string | undefined, reason: IdentityLinkReason) => {
      let best: IdentityLink | undefined;
      if (!key) return best;
      for (const hex of index.get(key) ?? []) {
        // A hex heard in the same step is another aircraft under the same name, not this one's past.
        if (hex === s.hex || heard.has(hex)) continue;
        const last = this.last.get(hex);
        const ev = last && continuity(last, s, reason, this.rules);
        if (ev && (!best || ev.gapSeconds < best.gapSeconds))
          best = { ...ev, matched: key, at: new Date(s.at).toISOString() };
      }
      return best;
    };
    return (
      tryKey(this.byReg, s.registration, 'same-registration') ??
      tryKey(this.byCallsign, meaningfulCallsign(s.callsign) ? s.callsign : undefined, 'same-callsign')
    );
  }

  private remember(s: Sighting, prev: Sighting | undefined): void {
    // Keep identity fields heard earlier when a later record lacks them (callsigns come and go).
    const merged: Sighting = {
      ...s,
      registration: s.registration ?? prev?.registration,
      callsign: s.callsign ?? prev?.callsign,
    };
    this.last.set(s.hex, merged);
    if (merged.registration) put(this.byReg, merged.registration, s.hex);
    if (meaningfulCallsign(merged.callsign)) put(this.byCallsign, merged.callsign, s.hex);
  }

  /** Forgets hexes unheard for longer than any gap bridged (memory stays bounded by the traffic of that window). */
  private prune(now: number): void {
    // Once a minute of replay/poll time: a full scan per step would cost every poll for nothing.
    if (now - this.prunedAt < 60_000) return;
    this.prunedAt = now;
    const horizon = now - Math.max(this.rules.maxAirGapS, this.rules.maxGroundGapS) * 1000;
    for (const [hex, s] of this.last) {
      if (s.at >= horizon) continue;
      this.last.delete(hex);
      this.links.delete(hex);
      for (const [index, key] of [
        [this.byReg, s.registration],
        [this.byCallsign, s.callsign],
      ] as const) {
        const set = key ? index.get(key) : undefined;
        set?.delete(hex);
        if (set && !set.size && key) index.delete(key);
      }
    }
  }
}
