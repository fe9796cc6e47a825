/** Shared setup for detection tests: real airports, sim traces, a detector fed poll by poll. */
import { flightEventSchema, isInferred, type EventType, type FlightEvent } from '../../../src/domain/event';
import { createDetector, type DetectorOptions, type FlightDetector } from '../../../src/detect';
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { generateTrace, toPolls, type Poll, type Trace, type TraceSpec } from '../../../src/sim';
import { simAirport, testAirportIndex } from '../../helpers/detect-airports';

export const T0 = Date.UTC(2025, 0, 31, 12, 0, 0);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const airports = testAirportIndex();
export { simAirport };

/** A detector over the test airports whose every event must be a valid document (expectDocument). */
export function detector(opts: Partial<DetectorOptions> = {}): FlightDetector {
  const d = createDetector({ airports, maxPositionAgeS: 60, ...opts });
  const process: FlightDetector['process'] = async (batch, now) => {
    const evs = await d.process(batch, now);
    for (const e of evs) expectDocument(e);
    return evs;
  };
  return { ...d, process };
}

/**
 * The event validates against the schema of its type and has no field the schema does not know (parsing drops
 * unknown fields, so they would show as a difference): the schema documents everything the detector emits.
 */
export function expectDocument(e: FlightEvent): void {
  const parsed = flightEventSchema.safeParse(e);
  if (!parsed.success) throw new Error(`${e.type} event ${e.id} breaks the schema: ${parsed.error.message}`);
  expect(parsed.data).toEqual(e);
}

export function trace(spec: Partial<TraceSpec> & Pick<TraceSpec, 'legs'>): Trace {
  return generateTrace({ hex: 'a1b2c3', start: T0, registration: 'N123XX', type: 'GLF5', callsign: 'GXA123', ...spec });
}

/** Polls every 30 s from the first position until `extraMin` after the last (empty polls included). */
export function polls(t: Trace, extraMin = 30): Poll[] {
  return toPolls(t.states, { from: t.start, to: t.end + extraMin * MIN, watch: { ids: ['glf5'], tags: ['removal'] } });
}

/** Feeds the polls in order; every event must be a valid document (detectors not made by `detector()` too). */
export async function run(d: FlightDetector, ps: readonly Poll[]): Promise<FlightEvent[]> {
  const all: FlightEvent[] = [];
  for (const p of ps) all.push(...(await d.process(p.batch, p.now)));
  for (const e of all) expectDocument(e);
  return all;
}

export const summary = (evs: readonly FlightEvent[]) =>
  evs.map(
    (e) =>
      `${e.type}${e.airport ? ':' + e.airport.icao : ''}${e.destination ? '>' + e.destination.id : ''}${isInferred(e) ? '*' : ''}`,
  );

export const ms = (iso: string) => Date.parse(iso);

type OfType<T extends EventType> = Extract<FlightEvent, { type: T }>;

/** The events of one type, typed as such (their `details` too). */
export const ofType = <T extends EventType>(evs: readonly FlightEvent[], type: T): OfType<T>[] =>
  evs.filter((e): e is OfType<T> => e.type === type);

/** The event typed as `type`; throws (fails the test) when it is another type or missing. */
export function asType<T extends EventType>(e: FlightEvent | undefined, type: T): OfType<T> {
  const [typed] = ofType(e ? [e] : [], type);
  if (!typed) throw new Error(`expected a ${type} event, got ${e?.type ?? 'none'}`);
  return typed;
}

/** One airborne position of `hex` at `at`, as a poll delivers it. */
export const airborneAt = (hex: string, at: number): MatchedAircraft => ({
  hex,
  lat: 40,
  lon: -100,
  altFt: 30000,
  gsKt: 400,
  onGround: false,
  flags: { military: false, interesting: false, pia: false, ladd: false },
  observedAt: at,
  positionAt: at,
  sourceId: 's',
  fetchedAt: at,
  watch: { ids: ['w'], tags: [] },
});
