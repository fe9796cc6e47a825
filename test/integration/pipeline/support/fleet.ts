/**
 * Four simulated GLF5 flights taking off at the same time from different airports, as one detect batch (the
 * first 40 minutes of every trace), and a detector on a Redis track store. Processing the batch once gives
 * eight events: a `seen` and a `takeoff` per aircraft.
 */
import type { Redis } from 'ioredis';
import { createDetector, RedisTrackStore, type FlightDetector } from '../../../../src/detect';
import { generateTrace, toPolls } from '../../../../src/sim';
import type { MatchedAircraft } from '../../../../src/domain/watchlist';
import { simAirport, testAirportIndex } from '../../../helpers/detect-airports';

export const T0 = Date.UTC(2025, 0, 31, 12, 0, 0);
export const FLEET = [
  ['a1b2c1', 'KAEX', 'KSAT'],
  ['a1b2c2', 'KIAH', 'KHRL'],
  ['a1b2c3', 'MGGT', 'MHTG'],
  ['a1b2c4', 'PANC', 'PAFA'],
] as const;
export const FLEET_EVENTS = FLEET.length * 2;

export function fleetBatch(minutes = 40): { now: number; matched: MatchedAircraft[] } {
  const states = FLEET.flatMap(
    ([hex, from, to]) =>
      generateTrace({
        hex,
        start: T0,
        registration: `N9${hex.slice(-2)}XA`,
        type: 'GLF5',
        callsign: `GXA${hex.slice(-2)}`,
        legs: [{ from: simAirport(from), to: simAirport(to) }],
      }).states,
  );
  const now = T0 + minutes * 60_000;
  const polls = toPolls(states, { from: T0, to: now, watch: { ids: ['glf5'], tags: ['removal'] } });
  return { now, matched: polls.flatMap((p) => p.batch) };
}

const airports = testAirportIndex();

/** `prefix` as the worker passes it to the store (queue prefix + ':'). */
export function fleetDetector(redis: Redis, storePrefix: string, maxAttempts?: number): FlightDetector {
  return createDetector({
    airports,
    maxPositionAgeS: 60,
    store: new RedisTrackStore({ redis, prefix: storePrefix, ttlMs: 86_400_000, maxAttempts }),
  });
}

/** The batch's event ids as the in-memory detector (replay) finds them: what delivery must deliver. */
export async function fleetEventIds(): Promise<string[]> {
  const b = fleetBatch();
  return (await createDetector({ airports, maxPositionAgeS: 60 }).process(b.matched, b.now)).map((e) => e.id);
}
