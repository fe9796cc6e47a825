/**
 * Synthetic flights along waypoint paths (tests, bench:routes): like src/sim's great-circle traces, but a leg
 * may fly through waypoints (airway detours, an arrival procedure, a turn to an alternate), so the track does
 * not point at the destination the whole way — as real flights do not. Climb, cruise and descent rates and
 * speeds per leg; positions every `intervalS`; taxi on the ground before and after.
 */
import type { AircraftState } from '../domain/aircraft-state';
import { NO_FLAGS } from '../domain/aircraft-state';
import { bearingDeg, destinationPoint, distanceNm, interpolate, type LatLon } from '../geo/great-circle';
import { verticalProfile, type LegProfile } from './trace';

/** A leg along waypoints; `groundBeforeMin` defaults to 8. */
export interface PathLeg extends LegProfile {
  /** Departure, waypoints…, arrival. */
  path: (LatLon & { elevationFt?: number })[];
}

export interface PathFlightSpec {
  hex: string;
  start: number;
  legs: PathLeg[];
  intervalS?: number;
  groundAfterMin?: number;
  callsign?: string;
  type?: string;
  sourceId?: string;
}

export interface PathLegTimes {
  takeoffAt: number;
  topOfDescentAt: number;
  landingAt: number;
  lengthNm: number;
}

const MIN = 60_000;

/** Position at `s` nm along a polyline of great-circle segments, with the segment's course there. */
function along(path: LatLon[], cum: number[], s: number): { pos: LatLon; trk: number } {
  let i = 0;
  while (i < cum.length - 2 && cum[i + 1]! < s) i++;
  const segLen = cum[i + 1]! - cum[i]!;
  const f = segLen > 0 ? Math.min(1, Math.max(0, (s - cum[i]!) / segLen)) : 1;
  const pos = interpolate(path[i]!, path[i + 1]!, f);
  const trk = f < 0.999 ? bearingDeg(pos, path[i + 1]!) : bearingDeg(path[i]!, path[i + 1]!);
  return { pos, trk };
}

export function generatePathFlight(spec: PathFlightSpec): {
  states: AircraftState[];
  legs: PathLegTimes[];
  end: number;
} {
  const intervalMs = (spec.intervalS ?? 30) * 1000;
  const states: AircraftState[] = [];
  const legs: PathLegTimes[] = [];
  let t = spec.start;
  const push = (pos: LatLon, onGround: boolean, gs: number, trk: number, alt?: number, vr?: number) => {
    const s: AircraftState = {
      hex: spec.hex,
      lat: Math.round(pos.lat * 1e6) / 1e6,
      lon: Math.round(pos.lon * 1e6) / 1e6,
      onGround,
      gsKt: Math.round(gs),
      trackDeg: Math.round(trk * 10) / 10,
      flags: { ...NO_FLAGS },
      positionAgeS: 0,
      observedAt: t,
      positionAt: t,
      sourceType: 'adsb_icao',
      sourceId: spec.sourceId ?? 'sim',
      fetchedAt: t + 1000,
      squawk: '2000',
    };
    if (!onGround) {
      s.altFt = Math.round((alt ?? 0) / 25) * 25;
      s.vrateFpm = vr;
    }
    if (spec.callsign) s.callsign = spec.callsign;
    if (spec.type) s.type = spec.type;
    states.push(s);
  };
  const taxi = (a: LatLon, minutes: number) => {
    const until = t + minutes * MIN;
    for (; t < until; t += intervalMs) {
      const brg = ((((t / MIN) * 40) % 360) + 360) % 360;
      push(destinationPoint(a, brg, 0.3), true, 12, (brg + 90) % 360);
    }
  };
  for (const leg of spec.legs) {
    const path = leg.path;
    const from = path[0]!;
    const to = path[path.length - 1]!;
    taxi(from, leg.groundBeforeMin ?? 8);
    const cum = [0];
    for (let i = 1; i < path.length; i++) cum.push(cum[i - 1]! + distanceNm(path[i - 1]!, path[i]!));
    const L = cum[cum.length - 1]!;
    const e1 = from.elevationFt ?? 0;
    const climbFpm = leg.climbFpm ?? 2500;
    const climbKt = leg.climbKt ?? 280;
    const descentFpm = leg.descentFpm ?? 2000;
    const descentKt = leg.descentKt ?? 250;
    const cruiseKt = leg.cruiseKt ?? 460;
    const v = verticalProfile(L, e1, to.elevationFt ?? 0, {
      climbFpm,
      climbKt,
      descentFpm,
      descentKt,
      cruiseKt,
      cruiseAltFt: leg.cruiseAltFt ?? 41_000,
    });
    const { h, dClimb, dDescent } = v;
    const tClimb = v.tClimb * MIN;
    const tCruise = v.tCruise * MIN;
    const tDescent = v.tDescent * MIN;
    const takeoffAt = t;
    const landingAt = takeoffAt + tClimb + tCruise + tDescent;
    legs.push({ takeoffAt, topOfDescentAt: takeoffAt + tClimb + tCruise, landingAt, lengthNm: L });
    for (; t < landingAt; t += intervalMs) {
      const tau = t - takeoffAt;
      let s: number;
      let alt: number;
      let gs: number;
      let vr: number;
      if (tau < tClimb) {
        s = (climbKt * tau) / 60 / MIN;
        alt = e1 + (climbFpm * tau) / MIN;
        gs = climbKt;
        vr = climbFpm;
      } else if (tau < tClimb + tCruise) {
        s = dClimb + (cruiseKt * (tau - tClimb)) / 60 / MIN;
        alt = h;
        gs = cruiseKt;
        vr = 0;
      } else {
        const td = tau - tClimb - tCruise;
        s = L - dDescent + (descentKt * td) / 60 / MIN;
        alt = h - (descentFpm * td) / MIN;
        gs = descentKt;
        vr = -descentFpm;
      }
      const { pos, trk } = along(path, cum, Math.min(L, s));
      push(pos, false, gs, trk, alt, vr);
    }
  }
  const last = spec.legs[spec.legs.length - 1]!.path;
  taxi(last[last.length - 1]!, spec.groundAfterMin ?? 10);
  return { states, legs, end: t };
}
