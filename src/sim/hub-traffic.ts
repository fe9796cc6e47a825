/**
 * A generated month of traffic at the removal hubs, for the candidates bench and tests: scheduled airline
 * rotations (some of them to the countries of return), cargo, general aviation, business jets hopping
 * between US airports, and injected unlisted charter airframes that shuttle between hubs and fly removals.
 * What an area poll around the airports would return: aircraft on the ground there, taxiing, taking off and
 * landing (airborne positions up to 12 minutes from the field). Deterministic per seed.
 */
import type { AircraftState } from '../domain/aircraft-state';
import { NO_FLAGS } from '../domain/aircraft-state';
import { bearingDeg, destinationPoint, distanceNm } from '../geo/great-circle';
import { mulberry32 } from './random';

export interface TrafficPlace {
  icao: string;
  lat: number;
  lon: number;
  country: string;
}

export type AirframeKind = 'scheduled' | 'cargo' | 'ga' | 'bizjet' | 'charter';

export interface TrafficLeg {
  from: TrafficPlace;
  to: TrafficPlace;
  departAt: number;
  arriveAt: number;
  callsign: string | null;
}

export interface TrafficAirframe {
  hex: string;
  kind: AirframeKind;
  type: string;
  registration: string;
  legs: TrafficLeg[];
}

const P = (icao: string, lat: number, lon: number, country: string): TrafficPlace => ({ icao, lat, lon, country });

export const HUB_PLACES: readonly TrafficPlace[] = [
  P('KAEX', 31.3274, -92.5498, 'US'),
  P('KHRL', 26.2285, -97.6544, 'US'),
  P('KIWA', 33.3078, -111.655, 'US'),
  P('KELP', 31.8072, -106.378, 'US'),
  P('KMIA', 25.7932, -80.2906, 'US'),
  P('KSAT', 29.5337, -98.4698, 'US'),
  P('KBRO', 25.9068, -97.4259, 'US'),
];

/** Airports in the countries of return the injected charters fly to (GT, HN, SV, CO, MX). */
export const RETURN_PLACES: readonly TrafficPlace[] = [
  P('MGGT', 14.5833, -90.5275, 'GT'),
  P('MHTG', 14.0608, -87.2172, 'HN'),
  P('MHSC', 14.3824, -87.6212, 'HN'),
  P('MSLP', 13.4409, -89.0557, 'SV'),
  P('SKBO', 4.7016, -74.1469, 'CO'),
  P('MMMX', 19.4363, -99.0721, 'MX'),
  P('MMGL', 20.5218, -103.311, 'MX'),
];

/** Other US airports the hubs' traffic comes from and goes to. */
export const OTHER_PLACES: readonly TrafficPlace[] = [
  P('KDFW', 32.8998, -97.0403, 'US'),
  P('KIAH', 29.9844, -95.3414, 'US'),
  P('KPHX', 33.4343, -112.0116, 'US'),
  P('KATL', 33.6407, -84.4277, 'US'),
  P('KMSY', 29.9934, -90.258, 'US'),
  P('KDEN', 39.8561, -104.6737, 'US'),
  P('KLAX', 33.9416, -118.4085, 'US'),
  P('KHOU', 29.6454, -95.2789, 'US'),
  P('KDAL', 32.8471, -96.8518, 'US'),
  P('KAUS', 30.1945, -97.6699, 'US'),
  P('KFLL', 26.0726, -80.1527, 'US'),
  P('KLAS', 36.084, -115.1537, 'US'),
];

export interface HubTrafficOptions {
  seed: number;
  start: number;
  days: number;
  /** Injected unlisted charter airframes (default 8). */
  charters?: number;
  /** Multiplies the background airframe counts (default 1). */
  scale?: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length) % xs.length] as T;
const between = (r: Rand, a: number, b: number) => a + r() * (b - a);

/** Block time at a typical speed for the type class, plus taxi. */
const blockMs = (a: TrafficPlace, b: TrafficPlace, kt: number) => (distanceNm(a, b) / kt) * HOUR + 20 * MIN;

let hexCounter = 0;
/** Six hex digits: the kind's prefix digit, two random ones, and a running number (unique per month). */
function newHex(r: Rand, prefix: string): string {
  hexCounter = (hexCounter + 1) % 0xfff;
  const rand = Math.floor(r() * 0xff)
    .toString(16)
    .padStart(2, '0');
  return `${prefix}${rand}${hexCounter.toString(16).padStart(3, '0')}`;
}
const nNumber = (r: Rand) =>
  `N${100 + Math.floor(r() * 899)}${String.fromCharCode(65 + Math.floor(r() * 26))}${String.fromCharCode(65 + Math.floor(r() * 26))}`;

interface Rotation {
  r: Rand;
  o: HubTrafficOptions;
  kt: number;
  /** Where the airframe goes next from `at`. */
  next: (at: TrafficPlace, legIndex: number) => TrafficPlace;
  callsign: (legIndex: number, from: TrafficPlace, to: TrafficPlace) => string | null;
  /** Ground time before the next leg (ms). */
  turn: (legIndex: number, at: TrafficPlace) => number;
  startAt: TrafficPlace;
  firstDepartAt?: number;
  endAt?: number;
}

function fly(x: Rotation): TrafficLeg[] {
  const legs: TrafficLeg[] = [];
  let at = x.startAt;
  let t = x.firstDepartAt ?? x.o.start + between(x.r, 5 * HOUR, 20 * HOUR);
  const end = x.endAt ?? x.o.start + x.o.days * DAY;
  for (let i = 0; t < end && i < 10_000; i++) {
    const to = x.next(at, i);
    const arrive = t + blockMs(at, to, x.kt);
    legs.push({ from: at, to, departAt: t, arriveAt: arrive, callsign: x.callsign(i, at, to) });
    at = to;
    t = arrive + x.turn(i, at);
  }
  return legs;
}

/**
 * One background fleet: how many airframes, their types and speed, and how each flies. The draws happen in a
 * fixed order per airframe — base, own registration, type, start, legs, then the registration of airframes
 * that fly under an airline callsign — so a seed gives the same month whatever the table's layout.
 */
interface Fleet {
  kind: AirframeKind;
  count: number;
  types: readonly string[];
  kt: number;
  /** Where each airframe is based (drawn first); none for those that roam. */
  base?: (r: Rand) => TrafficPlace;
  /** Flies under its registration (GA, business jets): drawn before the type. */
  ownReg?: boolean;
  startAt: (r: Rand, base: TrafficPlace) => TrafficPlace;
  next: (r: Rand, at: TrafficPlace, base: TrafficPlace) => TrafficPlace;
  callsign: (r: Rand, reg: string) => string | null;
  turn: (r: Rand) => number;
}

const texasAndFlorida = [...HUB_PLACES, ...OTHER_PLACES];
const MIAMI = HUB_PLACES[4]!;
const MESA = HUB_PLACES[2]!;
const CARGO_HUBS = [HUB_PLACES[4]!, HUB_PLACES[5]!, HUB_PLACES[3]!, OTHER_PLACES[0]!];
const BIZJET_PLACES = [...HUB_PLACES, ...OTHER_PLACES, RETURN_PLACES[5]!];
const REGIONAL_DESTINATIONS = [...HUB_PLACES, ...OTHER_PLACES.slice(4, 10)];
const nearby = (base: TrafficPlace) => texasAndFlorida.filter((p) => p !== base && distanceNm(p, base) < 350);
const number = (r: Rand, from: number, span: number) => from + Math.floor(r() * span);

const FLEETS: readonly Fleet[] = [
  // Scheduled 737s shuttling between the Texas/Arizona/Florida hubs and big airports, 5–7 legs a day.
  {
    kind: 'scheduled',
    count: 60,
    types: ['B737', 'B738', 'B38M'],
    kt: 420,
    startAt: (r) => pick(r, texasAndFlorida),
    next: (r, at) =>
      pick(
        r,
        texasAndFlorida.filter((p) => p !== at),
      ),
    callsign: (r) => `SWA${number(r, 1000, 8000)}`,
    turn: (r) => (r() < 0.2 ? between(r, 8 * HOUR, 10 * HOUR) : between(r, 35 * MIN, 70 * MIN)),
  },
  // Scheduled A320/A321 out of Miami, many to the countries of return (a timetable, not removals).
  {
    kind: 'scheduled',
    count: 30,
    types: ['A319', 'A320', 'A321', 'B738'],
    kt: 440,
    startAt: () => MIAMI,
    next: (r, at) => (at.icao === 'KMIA' ? pick(r, [...RETURN_PLACES, ...OTHER_PLACES]) : MIAMI),
    callsign: (r) => `AAL${number(r, 100, 2800)}`,
    turn: (r) => between(r, 50 * MIN, 3 * HOUR),
  },
  // Regional jets (E175/CRJ-900) feeding the smaller hubs from Dallas and Houston.
  {
    kind: 'scheduled',
    count: 25,
    types: ['E75L', 'E75S', 'CRJ9', 'E145'],
    kt: 380,
    base: (r) => pick(r, OTHER_PLACES.slice(0, 2)),
    startAt: (_r, base) => base,
    next: (r, at, base) =>
      at === base
        ? pick(
            r,
            REGIONAL_DESTINATIONS.filter((p) => p !== base),
          )
        : base,
    callsign: (r) => `${pick(r, ['ENY', 'SKW', 'ASH', 'RPA'])}${number(r, 3000, 2000)}`,
    turn: (r) => (r() < 0.15 ? between(r, 8 * HOUR, 10 * HOUR) : between(r, 30 * MIN, 60 * MIN)),
  },
  // Allegiant at Mesa (scheduled A320s).
  {
    kind: 'scheduled',
    count: 8,
    types: ['A320'],
    kt: 430,
    startAt: () => MESA,
    next: (r, at) => (at === MESA ? pick(r, OTHER_PLACES) : MESA),
    callsign: (r) => `AAY${number(r, 100, 900)}`,
    turn: (r) => between(r, 45 * MIN, 6 * HOUR),
  },
  // Cargo: overnight sorts through Miami, San Antonio, El Paso.
  {
    kind: 'cargo',
    count: 12,
    types: ['B763', 'B752', 'A306', 'B738'],
    kt: 440,
    startAt: (r) => pick(r, CARGO_HUBS),
    next: (r, at) =>
      pick(
        r,
        CARGO_HUBS.filter((p) => p !== at),
      ),
    callsign: (r) => `${pick(r, ['FDX', 'UPS', 'ABX', 'GTI'])}${number(r, 100, 1800)}`,
    turn: (r) => between(r, 4 * HOUR, 20 * HOUR),
  },
  // General aviation: based at a hub, local and short flights.
  {
    kind: 'ga',
    count: 70,
    types: ['C172', 'PA28', 'SR22', 'BE20', 'C208', 'PC12', 'BE58'],
    kt: 160,
    base: (r) => pick(r, HUB_PLACES),
    ownReg: true,
    startAt: (_r, base) => base,
    next: (r, at, base) => {
      if (at !== base) return base;
      const near = nearby(base);
      return near.length && r() < 0.3 ? pick(r, near) : base;
    },
    callsign: (r, reg) => (r() < 0.7 ? reg : null),
    turn: (r) => between(r, 3 * HOUR, 3 * DAY),
  },
  // Business jets (incl. Gulfstreams) hopping between US airports, now and then to Mexico.
  {
    kind: 'bizjet',
    count: 20,
    types: ['GLF4', 'GLF5', 'C680', 'CL35', 'LJ45', 'E55P', 'GLEX'],
    kt: 450,
    ownReg: true,
    startAt: (r) => pick(r, BIZJET_PLACES),
    next: (r, at) =>
      pick(
        r,
        BIZJET_PLACES.filter((p) => p !== at && (p.country === 'US' || r() < 0.3)),
      ),
    callsign: (r, reg) => (r() < 0.6 ? reg : null),
    turn: (r) => between(r, 6 * HOUR, 4 * DAY),
  },
];

/** One month of airframes; the injected charters are those of kind `charter`. */
export function generateHubTraffic(o: HubTrafficOptions): TrafficAirframe[] {
  const r = mulberry32(o.seed);
  hexCounter = 0;
  const scale = o.scale ?? 1;
  const n = (k: number) => Math.max(1, Math.round(k * scale));
  const out: TrafficAirframe[] = [];
  const add = (kind: AirframeKind, type: string, legs: TrafficLeg[], reg = nNumber(r), prefix = 'a') =>
    out.push({ hex: newHex(r, prefix), kind, type, registration: reg, legs });

  for (const f of FLEETS)
    for (let i = 0; i < n(f.count); i++) {
      const base = f.base?.(r) ?? HUB_PLACES[0]!; // a fleet without a base never reads it
      const reg = f.ownReg ? nNumber(r) : undefined;
      const type = f.types.length === 1 ? f.types[0]! : pick(r, f.types);
      const legs = fly({
        r,
        o,
        kt: f.kt,
        startAt: f.startAt(r, base),
        next: (at) => f.next(r, at, base),
        callsign: () => f.callsign(r, reg ?? ''),
        turn: () => f.turn(r),
      });
      add(f.kind, type, legs, reg ?? nNumber(r));
    }
  // Injected unlisted charters: appear on a random day, shuttle detainees between hubs and fly removals.
  const charterTypes = ['B738', 'A320', 'MD83', 'E190', 'B737', 'A321', 'GLF5', 'E145'];
  const charterCalls = [
    (k: number) => `GXA6${String(100 + k).padStart(3, '0')}`,
    (k: number) => `SWQ${300 + k}`,
    () => null,
    (k: number) => `N${700 + k}CX`,
  ];
  for (let i = 0; i < (o.charters ?? 8); i++) {
    const appear = o.start + between(r, 0, Math.max(1, o.days - 6)) * DAY;
    const hub = pick(r, HUB_PLACES);
    const call = charterCalls[i % charterCalls.length]!;
    // A removal run: hub → second hub (pick-up) → country of return → back to a hub; 1–2 days on the ground.
    let stage = 0;
    add(
      'charter',
      charterTypes[i % charterTypes.length]!,
      fly({
        r,
        o,
        kt: 430,
        startAt: hub,
        firstDepartAt: appear,
        next: (at) => {
          stage = (stage + 1) % 3;
          if (stage === 1)
            return pick(
              r,
              HUB_PLACES.filter((p) => p !== at),
            );
          if (stage === 2) return pick(r, RETURN_PLACES);
          return pick(r, HUB_PLACES);
        },
        callsign: (k) => call(k + i * 10),
        turn: (_k, at) => (at.country !== 'US' ? between(r, 60 * MIN, 2 * HOUR) : between(r, 2 * HOUR, 30 * HOUR)),
      }),
      nNumber(r),
      'b',
    );
  }
  return out;
}

/**
 * Where the airframe is at `t`, as an area poll near the airports would report it: on the ground between
 * legs (while it is near a turnaround: the first 2 h after landing and the last 2 h before departure; parked
 * aircraft often go unheard), or within 12 minutes of a takeoff or landing. Undefined: not heard there.
 */
export function stateAt(a: TrafficAirframe, t: number, sourceId = 'sim'): AircraftState | undefined {
  const legs = a.legs;
  // Binary search: the last leg departing at or before t.
  let lo = 0;
  let hi = legs.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    // mid is within 0..legs.length - 1 (lo ≤ hi).
    if (legs[mid]!.departAt <= t) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const base = { hex: a.hex, type: a.type, registration: a.registration, flags: { ...NO_FLAGS }, sourceId };
  const at = (
    s: Partial<AircraftState> & { lat: number; lon: number; onGround: boolean },
    callsign: string | null,
  ) => ({
    ...base,
    ...s,
    ...(callsign ? { callsign } : {}),
    observedAt: t,
    positionAt: t,
    fetchedAt: t + 1000,
  });
  const next = legs[k + 1];
  if (k < 0) {
    if (next && next.departAt - t <= 2 * HOUR) return at({ ...taxiPos(next.from, t), onGround: true, gsKt: 0 }, null);
    return undefined;
  }
  const leg = legs[k]!;
  if (t <= leg.arriveAt) {
    const sinceDep = (t - leg.departAt) / MIN;
    const toArr = (leg.arriveAt - t) / MIN;
    if (sinceDep < 12) return at(airborne(leg.from, leg.to, sinceDep, 2000), leg.callsign);
    if (toArr < 12) return at(airborne(leg.to, leg.from, toArr, 1500), leg.callsign);
    return undefined;
  }
  const sinceArr = t - leg.arriveAt;
  const toNext = next ? next.departAt - t : Infinity;
  if (sinceArr <= 2 * HOUR || toNext <= 2 * HOUR)
    return at(
      { ...taxiPos(leg.to, t), onGround: true, gsKt: 0 },
      sinceArr <= 2 * HOUR ? leg.callsign : (next?.callsign ?? null),
    );
  return undefined;
}

const taxiPos = (p: TrafficPlace, t: number) => destinationPoint(p, (t / MIN) % 360, 0.5);

/** `minutes` from the field `p` on the way to/from `other`: climbing or descending at `fpm`, 180 kt. */
function airborne(p: TrafficPlace, other: TrafficPlace, minutes: number, fpm: number) {
  const pos = destinationPoint(p, bearingDeg(p, other), (minutes * 180) / 60);
  // The first/last half minute is the runway roll: on the ground, as transponders report it.
  if (minutes < 0.5) return { lat: pos.lat, lon: pos.lon, onGround: true, gsKt: 120 };
  return { lat: pos.lat, lon: pos.lon, onGround: false, altFt: Math.round(minutes * fpm), gsKt: 180 };
}
