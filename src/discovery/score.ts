/**
 * Scoring, pure: does an unlisted aircraft behave like a removal charter? Each feature adds (or takes away) a
 * fixed weight and says why in one sentence, so a reviewer sees the reasons, not just a number
 * (docs/discovery.md has the table). An aircraft is proposed only when it was at two or more hubs, or at a
 * hub and then in a country of return, within the window, AND its score reaches `minScore`.
 */
import type { Sighting } from './sighting';

export interface CandidateRules {
  windowDays: number;
  minScore: number;
  charterTypes: ReadonlySet<string>;
  charterCallsigns: readonly { id: string; re: RegExp }[];
  scheduledAirlines: ReadonlySet<string>;
}

/** What the aircraft did, as sets: what a rejection is compared against. */
export interface Behaviour {
  hubs: string[];
  /** Countries of return it was seen in after a hub. */
  countries: string[];
  types: string[];
  /** Ids of the charter callsign patterns its callsigns matched. */
  patterns: string[];
}

export interface Assessment {
  hex: string;
  score: number;
  reasons: string[];
  behaviour: Behaviour;
  proposed: boolean;
  /** The sightings scored (inside the window), oldest first. */
  evidence: Sighting[];
}

export const WEIGHTS = {
  twoHubs: 0.4,
  moreHubs: 0.1,
  destination: 0.3,
  charterType: 0.2,
  otherType: -0.3,
  charterCallsign: 0.3,
  scheduledCallsign: -0.6,
} as const;

const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const airlineOf = (callsign: string) => /^([A-Z]{3})\d/.exec(callsign)?.[1];

/** Scores the sightings of one aircraft inside the window that ends at its newest sighting. */
export function assess(hex: string, sightings: readonly Sighting[], rules: CandidateRules): Assessment {
  const all = [...sightings].sort((a, b) => a.at - b.at);
  const newest = all.at(-1)?.at ?? 0;
  const evidence = all.filter((s) => s.at >= newest - rules.windowDays * DAY);
  const reasons: string[] = [];
  let score = 0;

  const hubDays = new Map<string, number>();
  for (const s of evidence) if (s.hub && !hubDays.has(s.place)) hubDays.set(s.place, s.at);
  const hubs = [...hubDays.keys()];
  if (hubs.length >= 2) {
    const extra = Math.min(hubs.length - 2, 2) * WEIGHTS.moreHubs;
    score += WEIGHTS.twoHubs + extra;
    const list = [...hubDays].map(([icao, t]) => `${icao} ${day(t)}`).join(', ');
    reasons.push(`at ${hubs.length} hubs within ${rules.windowDays} days (${list})`);
  }

  const firstHubAt = Math.min(...hubDays.values());
  const abroad = evidence.filter((s) => !s.hub && s.at > firstHubAt);
  const countries = sorted(abroad.map((s) => s.country));
  if (countries.length) {
    score += WEIGHTS.destination;
    const at = abroad.map((s) => `${s.place} (${s.country}) ${day(s.at)}`);
    reasons.push(`flew from a hub to a country of return: ${sorted(at).join(', ')}`);
  }

  const types = sorted(evidence.flatMap((s) => (s.type ? [s.type] : [])));
  const charterTypes = types.filter((t) => rules.charterTypes.has(t));
  if (charterTypes.length) {
    score += WEIGHTS.charterType;
    reasons.push(`charter-capable type ${charterTypes.join(', ')}`);
  } else if (types.length) {
    score += WEIGHTS.otherType;
    reasons.push(`type ${types.join(', ')} is not one charters fly removals with`);
  }

  const callsigns = sorted(evidence.flatMap((s) => (s.callsign ? [s.callsign] : [])));
  const patterns = sorted(
    callsigns.flatMap((c) => rules.charterCallsigns.filter((p) => p.re.test(c)).map((p) => p.id)),
  );
  if (patterns.length) {
    score += WEIGHTS.charterCallsign;
    const matching = callsigns.filter((c) => rules.charterCallsigns.some((p) => p.re.test(c)));
    reasons.push(`charter callsign ${matching.join(', ')} (${patterns.join(', ')})`);
  } else {
    const scheduled = callsigns.filter((c) => rules.scheduledAirlines.has(airlineOf(c) ?? ''));
    if (scheduled.length && scheduled.length === callsigns.length) {
      score += WEIGHTS.scheduledCallsign;
      reasons.push(`scheduled airline callsign ${scheduled.slice(0, 3).join(', ')}`);
    }
  }

  score = Math.round(score * 100) / 100;
  const gate = hubs.length >= 2 || (hubs.length >= 1 && countries.length > 0);
  return {
    hex,
    score,
    reasons,
    behaviour: { hubs: sorted(hubs), countries, types, patterns },
    proposed: gate && score >= rules.minScore - 1e-9,
    evidence,
  };
}

/**
 * What the aircraft does now that it did not do when a person rejected it: new hubs, countries, types or
 * callsign patterns. Empty: the same behaviour, so it is not proposed again.
 */
export function newBehaviour(rejected: Behaviour, now: Behaviour): string[] {
  const out: string[] = [];
  const keys: [keyof Behaviour, string][] = [
    ['hubs', 'hub'],
    ['countries', 'country'],
    ['types', 'type'],
    ['patterns', 'callsign pattern'],
  ];
  for (const [k, label] of keys) {
    const had = new Set(rejected[k]);
    for (const v of now[k]) if (!had.has(v)) out.push(`${label} ${v}`);
  }
  return out;
}

/** The rules from the `discovery:` config section. */
export function candidateRules(c: {
  windowDays: number;
  minScore: number;
  charterTypes: readonly string[];
  charterCallsigns: readonly { id: string; pattern: string }[];
  scheduledAirlines: readonly string[];
}): CandidateRules {
  return {
    windowDays: c.windowDays,
    minScore: c.minScore,
    charterTypes: new Set(c.charterTypes),
    charterCallsigns: c.charterCallsigns.map((p) => ({ id: p.id, re: new RegExp(p.pattern, 'i') })),
    scheduledAirlines: new Set(c.scheduledAirlines),
  };
}
