/** Airports, config and flown airframes for the discovery integration tests (the sim's hub traffic model). */
import { configSchema, type Config } from '../../../src/config/schema';
import { LinearAirportIndex } from '../../../src/places/linear-airport-index';
import {
  HUB_PLACES,
  RETURN_PLACES,
  stateAt,
  type TrafficAirframe,
  type TrafficPlace,
} from '../../../src/sim/hub-traffic';
import type { CandidateFinder } from '../../../src/discovery';
import type { CandidateRow } from '../../../src/discovery/tables';

export const T0 = Date.UTC(2026, 2, 2, 6);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const airports = new LinearAirportIndex(
  [...HUB_PLACES, ...RETURN_PLACES].map((p) => ({ ...p, name: `${p.icao} airport`, kind: 'large_airport' })),
);

export const place = (icao: string): TrafficPlace => {
  const p = [...HUB_PLACES, ...RETURN_PLACES].find((x) => x.icao === icao);
  if (!p) throw new Error(`no place ${icao}`);
  return p;
};

export function testConfig(): Config {
  return configSchema.parse({
    sources: [{ id: 'sim', kind: 'receiver', url: 'http://127.0.0.1:1/aircraft.json' }],
    watch: [{ id: 'known-charter', match: { hex: ['c0ffee'] } }],
    classify: { hubs: HUB_PLACES.map((p) => p.icao) },
  });
}

/** An airframe flying `legs`: [from, to, departure hours after T0, callsign]; two hours a leg. */
export function airframe(hex: string, type: string, legs: [string, string, number, string | null][]): TrafficAirframe {
  return {
    hex,
    kind: 'charter',
    type,
    registration: `N${hex.slice(0, 3).toUpperCase()}X`,
    legs: legs.map(([from, to, h, callsign]) => ({
      from: place(from),
      to: place(to),
      departAt: T0 + h * HOUR,
      arriveAt: T0 + (h + 2) * HOUR,
      callsign,
    })),
  };
}

/** Polls every 5 minutes from..to through the finder; the candidates proposed on the way. */
export async function fly(
  finder: CandidateFinder,
  fleet: TrafficAirframe[],
  from: number,
  to: number,
): Promise<CandidateRow[]> {
  const proposed: CandidateRow[] = [];
  for (let t = from; t <= to; t += 5 * 60_000) {
    const states = fleet.flatMap((a) => stateAt(a, t) ?? []);
    proposed.push(...(await finder.feed(states, t)).proposed);
  }
  return proposed;
}
