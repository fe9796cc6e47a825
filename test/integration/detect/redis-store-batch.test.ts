/**
 * The chunked Redis track store (one compare-and-set script per chunk of aircraft, issue 17) gives exactly the
 * events of the in-memory store over many simulated flights at once, whatever the chunk size, including
 * inferred landings fired by the timer index (stored deadlines written by the batch script).
 */
import { RedisTrackStore, createDetector, type FlightDetector } from '../../../src/detect';
import { generateTrace, toPolls, type Poll } from '../../../src/sim';
import { redisSuite } from '../../helpers/redis-suite';
import { HOUR, MIN, T0, airports, run, simAirport, summary } from '../../unit/detect/harness';

const ROUTES = [
  ['KAEX', 'KSAT'],
  ['KIAH', 'KHRL'],
  ['MGGT', 'MHTG'],
  ['PANC', 'PAFA'],
  ['KAEX', 'PANC'],
  ['PANC', 'ZYTX'],
  ['KSAT', 'KIAH'],
  ['KHRL', 'MGGT'],
  ['MHTG', 'KAEX'],
  ['PAFA', 'PANC'],
  ['KIAH', 'KSAT'],
  ['ZYTX', 'PANC'],
] as const;
const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };

/** Twelve flights in the air at once, departures staggered by 3 min; one poll batch holds them all. */
function fleetPolls(): Poll[] {
  const states = ROUTES.flatMap(([from, to], i) => {
    const hex = `b0c0${(i + 16).toString(16)}`;
    const t = generateTrace({
      hex,
      start: T0 + i * 3 * MIN,
      registration: `N7${i}FW`,
      type: 'GLF5',
      callsign: `FWB${i}`,
      legs: [{ from: simAirport(from), to: simAirport(to) }],
    });
    // Every third flight goes silent on final approach: its landing is inferred when the timer fires.
    const silentFrom = (t.legs[0]?.landingAt ?? Infinity) - 4 * MIN;
    return i % 3 === 0 ? t.states.filter((st) => st.observedAt < silentFrom) : t.states;
  });
  const end = Math.max(...states.map((s) => s.observedAt));
  return toPolls(states, { from: T0, to: end + 60 * MIN, watch: { ids: ['glf5'], tags: ['removal'] } });
}

const { client, prefix } = redisSuite('fwbatch');

function detectorOn(store?: RedisTrackStore): FlightDetector {
  return createDetector({ airports, maxPositionAgeS: 60, destinations: [SHENYANG], store });
}

describe('RedisTrackStore in chunks', () => {
  const ps = fleetPolls();
  let memory: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    memory = await run(detectorOn(), ps);
  });

  it('the fleet makes events of every kind the rules have for these flights', () => {
    expect(memory.length).toBeGreaterThan(ROUTES.length * 3);
    const kinds = summary(memory).map((s) => s.split(':')[0].replace(/>.*/, '') + (s.endsWith('*') ? '*' : ''));
    expect(new Set(kinds)).toEqual(new Set(['seen', 'takeoff', 'landing', 'landing*', 'destination']));
  });

  it.each([4, 250])('chunks of %i aircraft give the same events as the memory store', async (chunkSize) => {
    const redis = client();
    const pfx = prefix();
    const store = new RedisTrackStore({ redis, prefix: pfx, ttlMs: 14 * 24 * HOUR, chunkSize });
    expect(await run(detectorOn(store), ps)).toEqual(memory);
    expect(await redis.zcard(`${pfx}track-deadlines`)).toBe(0); // every timer fired and was cleared
  });
});
