/**
 * Leg classification in the monitoring groups' vocabulary (docs/record.md): removal, lateral, domestic
 * shuffle, connection, return/positioning, other — with a confidence (confirmed: takeoff and landing observed;
 * estimated: either inferred) and the reasons, so a reviewer sees why. Pure: a trip's legs + the rules in,
 * one classification per leg out. A leg's category can depend on later legs of its trip (a domestic leg
 * becomes a connection once the removal it feeds is flown), so callers reclassify a trip when it grows.
 */

export const LEG_CATEGORIES = ['removal', 'lateral', 'shuffle', 'connection', 'return', 'other'] as const;
export type LegCategory = (typeof LEG_CATEGORIES)[number];

export const LEG_CONFIDENCES = ['confirmed', 'estimated'] as const;
export type LegConfidence = (typeof LEG_CONFIDENCES)[number];

/** The rules the config supplies (`classify:` in the config; src/config/classify-schema.ts). */
export interface ClassifyRules {
  /** ISO 3166-1 alpha-2 of the country removals leave from. */
  homeCountry: string;
  /** ICAO codes of detention hubs: a domestic leg between two of them is a shuffle. */
  hubs: readonly string[];
  /** Border cities from which people are expelled over land: a domestic leg to one is lateral. */
  borderCities: readonly { name: string; airports: readonly string[] }[];
  /** Countries of return: an international leg landing in one is a removal. Empty = every other country. */
  destinationCountries: readonly string[];
}

/** What classification needs of an airport (an `AirportRef` fits). */
export interface LegEnd {
  icao: string;
  country: string;
}

/** One leg as the archive keeps it (observed or inferred transitions). */
export interface ClassifiableLeg {
  from: LegEnd | null;
  to: LegEnd | null;
  takeoffInferred: boolean;
  landingInferred: boolean;
  /** A time computed rather than the time of a position (docs/events.md, "estimated"). */
  takeoffEstimated?: boolean;
  landingEstimated?: boolean;
}

export interface LegClassification {
  category: LegCategory;
  confidence: LegConfidence;
  /** Sentences for people, most important first: why this category, then why this confidence. */
  reasons: string[];
  /** Removal: the country of return (where it landed). */
  destinationCountry?: string;
  /** Lateral: the border city's name. */
  borderCity?: string;
}

const label = (e: LegEnd | null) => (e ? `${e.icao} (${e.country})` : 'an unknown airport');

function confidenceOf(leg: ClassifiableLeg): { confidence: LegConfidence; why: string[] } {
  const why: string[] = [];
  if (!leg.from) why.push('departure airport unknown (first seen airborne)');
  if (leg.takeoffInferred) why.push('takeoff inferred, not observed');
  else if (leg.takeoffEstimated) why.push('takeoff time estimated');
  if (!leg.to) why.push('arrival airport unknown');
  if (leg.landingInferred) why.push('landing inferred, not observed');
  else if (leg.landingEstimated) why.push('landing time estimated');
  if (why.length === 0) return { confidence: 'confirmed', why: ['takeoff and landing observed'] };
  return { confidence: 'estimated', why };
}

const upper = (e: LegEnd | null): LegEnd | null =>
  e ? { icao: e.icao.toUpperCase(), country: e.country.toUpperCase() } : null;

/**
 * Whether a later leg of the trip lands in a country of return, with a departure from home at or after leg i
 * (or before it) and no return home from abroad in between: leg i is then on the way to that removal.
 */
function feedsRemoval(
  legs: readonly ClassifiableLeg[],
  i: number,
  isReturnCountry: (country: string) => boolean,
  isHome: (e: LegEnd | null) => boolean,
): boolean {
  for (let j = i + 1; j < legs.length; j++) {
    const later = legs[j];
    if (!later) break;
    if (later.to && isReturnCountry(later.to.country.toUpperCase())) return true;
    if (!isHome(later.from) && later.from !== null && isHome(later.to)) return false; // came home first
  }
  return false;
}

/** Classifies every leg of one trip (legs in flight order). */
export function classifyTrip(legs: readonly ClassifiableLeg[], rules: ClassifyRules): LegClassification[] {
  const home = rules.homeCountry.toUpperCase();
  const hubs = new Set(rules.hubs.map((h) => h.toUpperCase()));
  const borderCityOf = new Map<string, string>();
  for (const c of rules.borderCities) for (const a of c.airports) borderCityOf.set(a.toUpperCase(), c.name);
  const returnCountries = new Set(rules.destinationCountries.map((c) => c.toUpperCase()));
  const isReturnCountry = (country: string) =>
    country !== home && (returnCountries.size === 0 || returnCountries.has(country));

  const isHome = (e: LegEnd | null) => e !== null && e.country.toUpperCase() === home;
  const isAbroad = (e: LegEnd | null) => e !== null && e.country.toUpperCase() !== home;

  const out: LegClassification[] = [];
  let leftHome = false; // a leg of this trip departed from the home country
  let removed = false; // a removal landing happened earlier on this trip
  legs.forEach((leg, i) => {
    const { confidence, why } = confidenceOf(leg);
    const done = (c: Omit<LegClassification, 'confidence'>) =>
      out.push({ ...c, confidence, reasons: [...c.reasons, ...why] });
    const from = upper(leg.from);
    const to = upper(leg.to);
    if (isHome(from)) leftHome = true;

    // Removal: lands in a country of return on a trip that left the home country (a later stop counts too).
    if (to && isReturnCountry(to.country) && leftHome) {
      const further = removed ? ' (a further stop of the same removal trip)' : '';
      removed = true;
      done({
        category: 'removal',
        destinationCountry: to.country,
        reasons: [`leg from ${label(from)} to ${label(to)}, a country of return${further}`],
      });
      return;
    }
    if (removed) {
      const where = isHome(to) ? 'back to the home country' : 'positioning';
      done({ category: 'return', reasons: [`${where} after a removal on this trip: ${label(from)} → ${label(to)}`] });
      return;
    }
    if (to && feedsRemoval(legs, i, isReturnCountry, isHome)) {
      const kind = isHome(from) && isHome(to) ? 'domestic leg' : 'leg (fuel or crew stop)';
      done({
        category: 'connection',
        reasons: [`${kind} ${label(from)} → ${label(to)} feeds a removal later on this trip`],
      });
      return;
    }
    if (from && to && isHome(from) && isHome(to)) {
      const city = borderCityOf.get(to.icao);
      if (city !== undefined) {
        done({
          category: 'lateral',
          borderCity: city,
          reasons: [`domestic leg to ${to.icao}, border city ${city} (expulsions over land)`],
        });
        return;
      }
      if (hubs.has(from.icao) && hubs.has(to.icao)) {
        done({ category: 'shuffle', reasons: [`domestic leg between detention hubs ${from.icao} and ${to.icao}`] });
        return;
      }
      const hubNote = hubs.has(from.icao) || hubs.has(to.icao) ? 'only one end is a detention hub' : 'no detention hub';
      done({ category: 'other', reasons: [`domestic leg ${from.icao} → ${to.icao}, ${hubNote}`] });
      return;
    }
    if (isAbroad(from) && isHome(to)) {
      done({
        category: 'return',
        reasons: [`back to the home country from ${label(from)}; no removal seen on this trip`],
      });
      return;
    }
    if (to && isAbroad(to) && !isReturnCountry(to.country)) {
      done({ category: 'other', reasons: [`lands in ${to.country}, not a configured country of return`] });
      return;
    }
    const unknownStart = from === null ? ': departure unknown, so not counted as a removal; review it' : '';
    done({ category: 'other', reasons: [`no rule fits ${label(from)} → ${label(to)}${unknownStart}`] });
  });
  return out;
}
