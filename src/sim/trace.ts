/**
 * Synthetic flight traces for tests, demos and route prediction: positions every `intervalS` along great
 * circles between airports, with taxi on the ground, a constant-rate climb, cruise and constant-rate descent,
 * multi-leg trips with ground stops (fuel stops), coverage gaps, ADS-C stretches and squawk windows.
 * Deterministic: the same spec always yields the same trace.
 */
import type { AircraftState } from '../domain/aircraft-state';
import { NO_FLAGS } from '../domain/aircraft-state';
import { bearingDeg, destinationPoint, distanceNm, interpolate, type LatLon } from '../geo/great-circle';

export interface SimAirport extends LatLon {
  icao: string;
  elevationFt?: number;
}

/** How a generated leg is flown (shared by great-circle legs here and waypoint legs in routes/sim-path). */
export interface LegProfile {
  /** Minutes on the ground at the departure before the wheels leave (taxi out, or the fuel stop). */
  groundBeforeMin?: number;
  /** Default 41,000 ft; lowered automatically when the leg is too short to reach it. */
  cruiseAltFt?: number;
  cruiseKt?: number;
  climbFpm?: number;
  climbKt?: number;
  descentFpm?: number;
  descentKt?: number;
}

/** A great-circle leg; `groundBeforeMin` defaults to 10. */
export interface LegSpec extends LegProfile {
  from: SimAirport;
  to: SimAirport;
  callsign?: string;
}

export interface TimeWindow {
  from: number;
  to: number;
}

export interface TraceSpec {
  hex: string;
  /** Epoch ms of the first position (start of the first ground segment). */
  start: number;
  legs: LegSpec[];
  intervalS?: number;
  /** Minutes on the ground after the last landing. Default 10. */
  groundAfterMin?: number;
  /** No positions inside these windows (coverage gaps). */
  gaps?: TimeWindow[];
  /** Positions inside these windows arrive as ADS-C: `sourceType: 'adsc'`, `ageS` old (default 900). */
  adsc?: (TimeWindow & { ageS?: number })[];
  /** Squawk codes inside these windows (else `squawk`, default 2000). */
  squawks?: (TimeWindow & { code: string })[];
  squawk?: string;
  registration?: string;
  type?: string;
  callsign?: string;
  operator?: string;
  sourceId?: string;
  /** Receive delay: fetchedAt = position time + this (ms). Default 1,000. */
  fetchDelayMs?: number;
}

/** When each leg's events happen, for assertions. */
export interface LegTimes {
  from: string;
  to: string;
  takeoffAt: number;
  topOfClimbAt: number;
  topOfDescentAt: number;
  landingAt: number;
  cruiseAltFt: number;
  distanceNm: number;
}

export interface Trace {
  states: AircraftState[];
  legs: LegTimes[];
  start: number;
  end: number;
}

const MIN = 60_000;
const TAXI_KT = 12;

interface Profile {
  leg: LegSpec;
  dist: number;
  h: number;
  climbKt: number;
  climbFpm: number;
  cruiseKt: number;
  descentKt: number;
  descentFpm: number;
  tClimb: number; // minutes
  tCruise: number;
  tDescent: number;
  dClimb: number; // nm
  dCruise: number;
}

export interface VerticalRates {
  climbFpm: number;
  climbKt: number;
  descentFpm: number;
  descentKt: number;
  cruiseKt: number;
  cruiseAltFt: number;
}

export interface VerticalProfile {
  /** Cruise altitude actually flown: lowered on legs too short to reach the requested one. */
  h: number;
  /** Distances (nm) flown climbing, cruising, descending. */
  dClimb: number;
  dCruise: number;
  dDescent: number;
  /** Durations in minutes. */
  tClimb: number;
  tCruise: number;
  tDescent: number;
}

/** Climb, cruise and descent of a leg of `dist` nm between field elevations e1 and e2 (feet). */
export function verticalProfile(dist: number, e1: number, e2: number, r: VerticalRates): VerticalProfile {
  // Distance per foot of climb / descent (nm/ft).
  const kc = r.climbKt / 60 / r.climbFpm;
  const kd = r.descentKt / 60 / r.descentFpm;
  let h = r.cruiseAltFt;
  if ((h - e1) * kc + (h - e2) * kd > dist) h = (dist + e1 * kc + e2 * kd) / (kc + kd);
  h = Math.max(h, Math.max(e1, e2) + 500);
  const dClimb = (h - e1) * kc;
  const dDescent = (h - e2) * kd;
  const dCruise = Math.max(0, dist - dClimb - dDescent);
  return {
    h,
    dClimb,
    dCruise,
    dDescent,
    tClimb: (h - e1) / r.climbFpm,
    tCruise: (dCruise / r.cruiseKt) * 60,
    tDescent: (h - e2) / r.descentFpm,
  };
}

function profile(leg: LegSpec): Profile {
  const dist = distanceNm(leg.from, leg.to);
  const rates: VerticalRates = {
    climbFpm: leg.climbFpm ?? 2500,
    climbKt: leg.climbKt ?? 280,
    descentFpm: leg.descentFpm ?? 2000,
    descentKt: leg.descentKt ?? 230,
    cruiseKt: leg.cruiseKt ?? 460,
    cruiseAltFt: leg.cruiseAltFt ?? 41_000,
  };
  const v = verticalProfile(dist, leg.from.elevationFt ?? 0, leg.to.elevationFt ?? 0, rates);
  return {
    leg,
    dist,
    h: v.h,
    climbKt: rates.climbKt,
    climbFpm: rates.climbFpm,
    cruiseKt: rates.cruiseKt,
    descentKt: rates.descentKt,
    descentFpm: rates.descentFpm,
    tClimb: v.tClimb,
    tCruise: v.tCruise,
    tDescent: v.tDescent,
    dClimb: v.dClimb,
    dCruise: v.dCruise,
  };
}

interface Kinematics {
  pos: LatLon;
  altFt?: number;
  onGround: boolean;
  gsKt: number;
  trackDeg: number;
  vrateFpm: number;
}

/** Airborne state τ minutes after takeoff. */
function fly(p: Profile, tau: number): Kinematics {
  const e1 = p.leg.from.elevationFt ?? 0;
  let s: number;
  let alt: number;
  let gs: number;
  let vr: number;
  if (tau < p.tClimb) {
    s = (p.climbKt * tau) / 60;
    alt = e1 + p.climbFpm * tau;
    gs = p.climbKt;
    vr = p.climbFpm;
  } else if (tau < p.tClimb + p.tCruise) {
    s = p.dClimb + (p.cruiseKt * (tau - p.tClimb)) / 60;
    alt = p.h;
    gs = p.cruiseKt;
    vr = 0;
  } else {
    const td = tau - p.tClimb - p.tCruise;
    s = p.dClimb + p.dCruise + (p.descentKt * td) / 60;
    alt = p.h - p.descentFpm * td;
    gs = p.descentKt;
    vr = -p.descentFpm;
  }
  const f = p.dist > 0 ? Math.min(1, s / p.dist) : 1;
  const pos = interpolate(p.leg.from, p.leg.to, f);
  const trackDeg = f < 1 ? bearingDeg(pos, p.leg.to) : bearingDeg(p.leg.from, p.leg.to);
  return {
    pos,
    altFt: Math.round(alt / 25) * 25,
    onGround: false,
    gsKt: gs,
    trackDeg: Math.round(trackDeg * 10) / 10,
    vrateFpm: vr,
  };
}

/** Taxiing in a slow circle of 0.3 nm around the airport reference point. */
function taxi(a: SimAirport, minutes: number): Kinematics {
  const brg = (minutes * 40) % 360;
  return { pos: destinationPoint(a, brg, 0.3), onGround: true, gsKt: TAXI_KT, trackDeg: (brg + 90) % 360, vrateFpm: 0 };
}

const inside = (t: number, ws: readonly TimeWindow[] | undefined) => !!ws && ws.some((w) => t >= w.from && t < w.to);

export function generateTrace(spec: TraceSpec): Trace {
  if (!spec.legs.length) throw new Error('generateTrace: a trace needs at least one leg');
  const intervalMs = (spec.intervalS ?? 30) * 1000;
  const segments: { from: number; to: number; at: (t: number) => Kinematics; callsign?: string }[] = [];
  const legs: LegTimes[] = [];
  let cursor = spec.start;
  for (const leg of spec.legs) {
    const p = profile(leg);
    const groundStart = cursor;
    const takeoffAt = groundStart + (leg.groundBeforeMin ?? 10) * MIN;
    const landingAt = takeoffAt + Math.round((p.tClimb + p.tCruise + p.tDescent) * MIN);
    segments.push({
      from: groundStart,
      to: takeoffAt,
      at: (t) => taxi(leg.from, (t - groundStart) / MIN),
      callsign: leg.callsign,
    });
    segments.push({ from: takeoffAt, to: landingAt, at: (t) => fly(p, (t - takeoffAt) / MIN), callsign: leg.callsign });
    legs.push({
      from: leg.from.icao,
      to: leg.to.icao,
      takeoffAt,
      topOfClimbAt: takeoffAt + Math.round(p.tClimb * MIN),
      topOfDescentAt: takeoffAt + Math.round((p.tClimb + p.tCruise) * MIN),
      landingAt,
      cruiseAltFt: Math.round(p.h),
      distanceNm: Math.round(p.dist * 10) / 10,
    });
    cursor = landingAt;
  }
  const last = spec.legs.at(-1);
  if (!last) throw new Error('simulated trace: no legs');
  const end = cursor + (spec.groundAfterMin ?? 10) * MIN;
  const landedAt = cursor;
  segments.push({ from: cursor, to: end + 1, at: (t) => taxi(last.to, (t - landedAt) / MIN), callsign: last.callsign });

  const states: AircraftState[] = [];
  const fetchDelay = spec.fetchDelayMs ?? 1000;
  let seg = 0;
  for (let t = spec.start; t <= end; t += intervalMs) {
    if (inside(t, spec.gaps)) continue;
    const adsc = spec.adsc?.find((w) => t >= w.from && t < w.to);
    const ageS = adsc ? (adsc.ageS ?? 900) : 0;
    const posT = t - ageS * 1000;
    // seg and k stay within 0..segments.length - 1, and there is at least the final taxi segment.
    while (seg < segments.length - 1 && posT >= segments[seg]!.to) seg++;
    let k = seg;
    while (k > 0 && posT < segments[k]!.from) k--;
    const sg = segments[k]!;
    const kin = sg.at(posT);
    const sq = spec.squawks?.find((w) => t >= w.from && t < w.to);
    const s: AircraftState = {
      hex: spec.hex,
      lat: Math.round(kin.pos.lat * 1e6) / 1e6,
      lon: Math.round(kin.pos.lon * 1e6) / 1e6,
      onGround: kin.onGround,
      gsKt: kin.gsKt,
      trackDeg: kin.trackDeg,
      squawk: sq ? sq.code : (spec.squawk ?? '2000'),
      flags: { ...NO_FLAGS },
      positionAgeS: ageS,
      observedAt: t,
      positionAt: posT,
      sourceType: adsc ? 'adsc' : 'adsb_icao',
      sourceId: spec.sourceId ?? 'sim',
      fetchedAt: t + fetchDelay,
    };
    if (!kin.onGround) {
      s.altFt = kin.altFt;
      s.vrateFpm = kin.vrateFpm;
    }
    if (spec.registration) s.registration = spec.registration;
    if (spec.type) s.type = spec.type;
    const cs = sg.callsign ?? spec.callsign;
    if (cs) s.callsign = cs;
    if (spec.operator) s.operator = spec.operator;
    states.push(s);
  }
  return { states, legs, start: spec.start, end };
}
