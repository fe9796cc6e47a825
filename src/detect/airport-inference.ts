/**
 * Airport inference: which airport a flight landed at when the signal was lost before touchdown, or departed
 * from when it was first seen climbing. An explicit model (docs/detection.md): every candidate airport gets a
 * penalty in log-likelihood units from independent pieces of evidence over the last minutes of track, and the
 * confidence is the candidate's share of the likelihood (softmax over the candidates).
 *
 * Arrival evidence: height above the airport against distance (a 3° path descends 318 ft/nm; too high to get
 * down there weighs heavily, lower than the path little: level segments at 2–3,000 ft are normal); the track
 * pointing at the airport; the distance to it shrinking over the last minutes; the aircraft class against the
 * airport kind (an airliner does not land at a grass strip or a heliport); farther airports slightly less
 * likely. No runway data: distances and bearings are to the airport reference point (`basis`).
 */
import type { Airport, AirportIndex } from '../places/airport-index';
import { bearingDeg, haversineNm } from '../geo/sphere';
import { kindPenalty, type AircraftClass } from './aircraft-class';

type NearAirport = Airport & { distanceNm: number };

export interface TrackPoint {
  t: number;
  lat: number;
  lon: number;
  /** null: on the ground. */
  alt?: number | null;
  gs?: number;
  trk?: number;
}

export interface AirportInference {
  airport: NearAirport;
  confidence: number;
  runnerUp?: { icao: string; confidence: number; distanceNm: number };
  candidates: number;
  aircraftClass: AircraftClass;
  basis: 'airport-position';
}

const FT_PER_NM_GLIDE = 318;
/** Typical climb-out gradient (ft per nm) for the departure model. */
const FT_PER_NM_CLIMB = 500;
/** How far back the track is compared to tell approaching from leaving (ms). */
const CLOSING_LOOKBACK_MS = 3 * 60_000;
const MAX_CANDIDATES = 40;

/** Angle between two bearings, 0–180. */
export const angleOff = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

/** Penalty of flying `off` degrees away from the line to the airport: 0 ahead, 2.5 abeam, 5 behind. */
const offTrackPenalty = (off: number) => 2.5 * (1 - Math.cos((off * Math.PI) / 180));

function pick(scored: { a: NearAirport; pen: number }[], cls: AircraftClass): AirportInference | undefined {
  if (!scored.length) return undefined;
  scored.sort((x, y) => x.pen - y.pen);
  const best = scored[0] as { a: NearAirport; pen: number };
  let sum = 0;
  for (const s of scored) sum += Math.exp(best.pen - s.pen);
  const conf = (pen: number) => Math.round((Math.exp(best.pen - pen) / sum) * 1000) / 1000;
  const second = scored[1];
  const out: AirportInference = {
    airport: best.a,
    confidence: conf(best.pen),
    candidates: scored.length,
    aircraftClass: cls,
    basis: 'airport-position',
  };
  if (second)
    out.runnerUp = {
      icao: second.a.icao,
      confidence: conf(second.pen),
      distanceNm: Math.round(second.a.distanceNm * 100) / 100,
    };
  return out;
}

/** The newest point and the track direction at it (reported, else from the previous point). */
function headingAt(track: readonly TrackPoint[]): number | undefined {
  const last = track[track.length - 1];
  if (!last) return undefined;
  if (last.trk !== undefined) return last.trk;
  for (let i = track.length - 2; i >= 0; i--) {
    const p = track[i] as TrackPoint;
    if (haversineNm(p.lat, p.lon, last.lat, last.lon) > 0.3) return bearingDeg(p.lat, p.lon, last.lat, last.lon);
  }
  return undefined;
}

/** The point about CLOSING_LOOKBACK_MS before the newest (undefined when the track is shorter). */
function pointBefore(track: readonly TrackPoint[]): TrackPoint | undefined {
  const last = track[track.length - 1];
  if (!last) return undefined;
  for (let i = track.length - 2; i >= 0; i--) {
    const p = track[i] as TrackPoint;
    if (last.t - p.t >= CLOSING_LOOKBACK_MS) return p;
  }
  return undefined;
}

export interface ArrivalQuery {
  /** Recent positions, oldest first; the newest is where the signal was lost. */
  track: readonly TrackPoint[];
  cls: AircraftClass;
  kinds: readonly string[];
  maxNm: number;
}

/** The airport a flight lost on its approach most probably landed at, with confidence and runner-up. */
export function inferArrival(index: AirportIndex, q: ArrivalQuery): AirportInference | undefined {
  return pick(scoreArrival(index, q), q.cls);
}

/** Every candidate with its penalty (lower is likelier), unsorted. */
export function scoreArrival(index: AirportIndex, q: ArrivalQuery): { a: NearAirport; pen: number }[] {
  const last = q.track[q.track.length - 1];
  if (!last) return [];
  const trk = headingAt(q.track);
  const then = pointBefore(q.track);
  const scored: { a: NearAirport; pen: number }[] = [];
  for (const a of index.within(last.lat, last.lon, { maxNm: q.maxNm, kinds: q.kinds, limit: MAX_CANDIDATES })) {
    const kindPen = kindPenalty(q.cls, a.kind);
    if (!Number.isFinite(kindPen)) continue;
    const d = a.distanceNm;
    const h = Math.max(0, last.alt == null ? 0 : last.alt - (a.elevationFt ?? 0));
    // Too high to get down there even on a steep (4.5°) descent with a circuit: not this airport.
    if (h > 450 * d + 1500) continue;
    const dg = h / FT_PER_NM_GLIDE;
    let pen = kindPen + d / 10;
    // Level at 2–4,000 ft until the glide path is intercepted some 6 nm further out than it would put it is normal.
    pen +=
      d < dg ? Math.min(8, ((dg - d) / (1 + 0.2 * dg)) ** 2) : Math.min(4, Math.max(0, d - dg - 6) / (2 + 0.3 * dg));
    if (trk !== undefined && d > 2) pen += offTrackPenalty(angleOff(bearingDeg(last.lat, last.lon, a.lat, a.lon), trk));
    if (then && d > 2 && haversineNm(then.lat, then.lon, a.lat, a.lon) < d - 1) pen += 1.5;
    scored.push({ a, pen });
  }
  return scored;
}

export interface DepartureQuery {
  /** The first position seen climbing (alt known). */
  at: TrackPoint & { alt: number };
  cls: AircraftClass;
  kinds: readonly string[];
  maxNm: number;
  maxAglFt: number;
}

/**
 * The airport a flight first seen climbing most probably departed: height against distance (a climb-out gains
 * some 500 ft per nm; far from an airport for its height weighs heavily — a light aircraft 89 ft above its
 * field departed that field, not one 11 nm away), flying away from it, class against kind, distance.
 */
export function inferDeparture(index: AirportIndex, q: DepartureQuery): AirportInference | undefined {
  const p = q.at;
  const scored: { a: NearAirport; pen: number }[] = [];
  for (const a of index.within(p.lat, p.lon, { maxNm: q.maxNm, kinds: q.kinds, limit: MAX_CANDIDATES })) {
    const kindPen = kindPenalty(q.cls, a.kind);
    if (!Number.isFinite(kindPen)) continue;
    const h = p.alt - (a.elevationFt ?? 0);
    if (h > q.maxAglFt || h < -300) continue;
    const d = a.distanceNm;
    const dc = Math.max(0, h) / FT_PER_NM_CLIMB;
    let pen = kindPen + d / 15;
    pen += d > dc ? Math.min(12, (d - dc) / (1 + 0.2 * dc)) : Math.min(4, ((dc - d) / (2 + 0.5 * dc)) ** 2);
    if (p.trk !== undefined && d > 2)
      pen += 0.8 * offTrackPenalty(angleOff(bearingDeg(a.lat, a.lon, p.lat, p.lon), p.trk));
    scored.push({ a, pen });
  }
  return pick(scored, q.cls);
}
