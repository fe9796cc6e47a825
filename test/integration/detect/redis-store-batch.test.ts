/**
 * The chunked Redis track store (one compare-and-set script per chunk of aircraft, issue 17) gives exactly the
 * events of the in-memory store over many simulated flights at once, whatever the chunk size, including
 * inferred landings fired by the timer index (stored deadlines written by the batch script) and an identity
 * link; and its outbox, which delivery reads, holds exactly those events.
 */
import { RedisTrackStore, createDetector, type FlightDetector } from '../../../src/detect';
import { generateTrace, toPolls, type Poll } from '../../../src/sim';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import type { FlightEvent } from '../../../src/domain/event';
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
  const states: AircraftState[] = ROUTES.flatMap(([from, to], i) => {
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
  // A thirteenth airframe changes its address in cruise (a rotated privacy address): the new hex continues
  // the old one's track, and every event of it carries the link.
  const rotated = generateTrace({
    hex: 'b0c0ff',
    start: T0,
    registration: 'N77FW',
    type: 'GLF5',
    callsign: 'FWB77',
    legs: [{ from: simAirport('KIAH'), to: simAirport('KAEX') }],
  });
  const rotateAt = (rotated.legs[0]?.topOfClimbAt ?? T0) + 5 * MIN;
  states.push(...rotated.states.map((st) => (st.observedAt < rotateAt ? st : { ...st, hex: 'b1c1ff' })));
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
    const linked = memory.filter((e) => e.aircraft.hex === 'b1c1ff');
    expect(summary(linked)).toEqual(['seen', 'landing:KAEX']);
    for (const e of linked) expect(e.details).toMatchObject({ linked: { previousHex: 'b0c0ff' } });
  });

  it.each([4, 250])('chunks of %i aircraft give the same events as the memory store', async (chunkSize) => {
    const redis = client();
    const pfx = prefix();
    const store = new RedisTrackStore({ redis, prefix: pfx, ttlMs: 14 * 24 * HOUR, chunkSize });
    const evs = await run(detectorOn(store), ps);
    expect(evs).toEqual(memory);
    expect(await redis.zcard(`${pfx}track-deadlines`)).toBe(0); // every timer fired and was cleared
    // What delivery gets is the outbox, queued inside each compare-and-set: the very events returned, as
    // returned (an annotation made after a step, such as the identity link once was, would be missing here).
    const queued = await store.outbox!.pending(10_000);
    expect(queued.map((q) => q.event)).toEqual(JSON.parse(JSON.stringify(evs)) as FlightEvent[]);
  });
});
