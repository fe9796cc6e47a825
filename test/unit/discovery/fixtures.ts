/** Sightings and rules for the discovery unit tests. */
import type { Sighting } from '../../../src/discovery/sighting';
import { candidateRules } from '../../../src/discovery/score';
import { discoverySchema } from '../../../src/config/discovery-schema';

export const T0 = Date.UTC(2026, 2, 2, 8);
export const DAY = 86_400_000;

export const rules = candidateRules(discoverySchema.parse(undefined));

const COUNTRY: Record<string, string> = { MGGT: 'GT', MHTG: 'HN', MMMX: 'MX' };

/** A sighting of `hex` at `place` `days` after T0: a hub unless the place is in COUNTRY. */
export function sight(hex: string, place: string, days: number, extra: Partial<Sighting> = {}): Sighting {
  const country = COUNTRY[place] ?? 'US';
  return {
    hex,
    at: T0 + days * DAY,
    source: 'adsblol',
    place,
    country,
    hub: country === 'US',
    onGround: true,
    altFt: null,
    lat: 30,
    lon: -95,
    callsign: null,
    registration: 'N801XA',
    type: 'B738',
    operator: null,
    ...extra,
  };
}
