/**
 * Short charter hops flown by src/sim (taxi at the origin, climb, descent, taxi at the destination), turned
 * into the frames a readsb receiver would serve: frame j holds every aircraft's j-th position, the aircraft
 * staggered so takeoffs and landings spread over the run. The receiver in a test serves one frame per request,
 * so the sequence only advances while a worker polls (a killed worker misses no transition: it is still
 * visible in the next frame). Frame k is stamped k × FRAME_STEP_MS after the first request (a virtual clock
 * that runs ahead of the wall clock), so consecutive positions are as far apart in time as in flight.
 *
 * Airports are real (US removal-flight airports); aircraft, registrations and hex codes are fictional.
 */
import { generateTrace, type SimAirport } from '../../../src/sim';
import type { AircraftState } from '../../../src/domain/aircraft-state';

const A = (icao: string, lat: number, lon: number, elevationFt: number): SimAirport => ({
  icao,
  lat,
  lon,
  elevationFt,
});
const KAEX = A('KAEX', 31.325828, -92.546702, 89);
const KLFT = A('KLFT', 30.205299, -91.987602, 42);
const KHRL = A('KHRL', 26.2285, -97.6544, 36);
const KBRO = A('KBRO', 25.907238, -97.425235, 22);
const KMFE = A('KMFE', 26.176141, -98.237965, 107);
const KIAH = A('KIAH', 29.9844, -95.3414, 97);
const KHOU = A('KHOU', 29.645336, -95.276812, 46);
const KBTR = A('KBTR', 30.533199, -91.149597, 70);
const KMSY = A('KMSY', 29.993401, -90.258003, 4);
const KCRP = A('KCRP', 27.770399, -97.501198, 44);

const HOPS: [SimAirport, SimAirport][] = [
  [KAEX, KLFT],
  [KHRL, KBRO],
  [KMFE, KHRL],
  [KIAH, KHOU],
  [KBTR, KMSY],
  [KCRP, KHRL],
  [KLFT, KAEX],
  [KBRO, KMFE],
];

export interface CharterFlight {
  hex: string;
  registration: string;
  from: string;
  to: string;
}

export interface CharterFrames {
  flights: CharterFlight[];
  /** frames[j]: the states served for the j-th request (positions re-stamped when served). */
  frames: AircraftState[][];
}

/** Sim seconds per frame: one frame per poll (1 s) replays a 10-minute hop in about 15 polls. */
const STEP_S = 60;
/**
 * What a frame's reply is stamped with: the sim's step, not the poll's second. Positions 60 s of flight apart
 * stamped 1 s apart would fly at 18,000 kt, and the detector drops physically impossible positions.
 */
export const FRAME_STEP_MS = STEP_S * 1000;

export function charterFrames(opts: { stagger?: number } = {}): CharterFrames {
  const stagger = opts.stagger ?? 2;
  const start = Date.UTC(2026, 0, 14, 13, 0, 0);
  const flights: CharterFlight[] = [];
  const traces: AircraftState[][] = [];
  HOPS.forEach(([from, to], i) => {
    const hex = (0xadf0a0 + i).toString(16);
    const registration = `N${90 + i}FW`;
    flights.push({ hex, registration, from: from.icao, to: to.icao });
    const t = generateTrace({
      hex,
      start,
      registration,
      type: 'B738',
      callsign: `FWC${100 + i}`,
      intervalS: STEP_S,
      sourceId: 'rx',
      // Low cruise: short hops; 4 min taxi before and after = 4+ ground frames on each side.
      legs: [{ from, to, groundBeforeMin: 4, cruiseAltFt: 12_000, cruiseKt: 300 }],
      groundAfterMin: 4,
    });
    traces.push(t.states);
  });
  const length = Math.max(...traces.map((s, i) => s.length + i * stagger));
  const frames: AircraftState[][] = [];
  for (let j = 0; j < length; j++)
    frames.push(traces.flatMap((s, i) => (s[j - i * stagger] ? [s[j - i * stagger]] : [])));
  return { flights, frames };
}

/** A receiver's aircraft.json (readsb) for one frame, positions current as of `nowMs`. */
export function readsbAircraftJson(states: readonly AircraftState[], nowMs: number): string {
  return JSON.stringify({
    now: nowMs / 1000,
    messages: 1000,
    aircraft: states.map((s) => ({
      hex: s.hex,
      type: 'adsb_icao',
      flight: s.callsign?.padEnd(8),
      r: s.registration,
      t: s.type,
      alt_baro: s.onGround ? 'ground' : s.altFt,
      gs: s.gsKt,
      track: s.trackDeg,
      baro_rate: s.onGround ? undefined : s.vrateFpm,
      squawk: s.squawk,
      lat: s.lat,
      lon: s.lon,
      seen_pos: 0.2,
      seen: 0.1,
      messages: 100,
      rssi: -20,
    })),
  });
}
