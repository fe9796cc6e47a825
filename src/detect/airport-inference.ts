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
 * likely.
 *
 * With runway data (thresholds with true headings, longest runway): a track lined up with a runway end — within
 * 15° of its heading and inside a funnel around its extended centerline — weighs for that airport, and the
 * glide path is measured to that threshold; a departure climbing out along a runway's centerline likewise. The
 * longest hard runway is weighed against the class (an airliner wants ~1,500 m). An airport without runway
 * data is judged by its reference point and kind alone; `basis` says which the named airport got.
 */
import type { Airport, AirportIndex, RunwayEnd } from '../places/airport-index';
import { bearingDeg, haversineNm } from '../geo/sphere';
import { kindPenalty, runwayLengthPenalty, type AircraftClass } from './aircraft-class';

type NearAirport = Airport & { distanceNm: number };

interface Scored {
  a: NearAirport;
  pen: number;
  /** The runway end the track lined up with. */
  runway?: string;
}

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
  /**
   * runways: the named airport's thresholds were weighed; airport-position: it has none in the table (distances
   * to its reference point; its runway length, when known, still counts).
   */
  basis: 'runways' | 'airport-position';
  /** The runway end the track lined up with (approach or climb-out), when one did. */
  runway?: string;
}

const FT_PER_NM_GLIDE = 318;
/** Typical climb-out gradient (ft per nm) for the departure model. */
const FT_PER_NM_CLIMB = 500;
/** How far back the track is compared to tell approaching from leaving (ms). */
const CLOSING_LOOKBACK_MS = 3 * 60_000;
const MAX_CANDIDATES = 40;
/** Track within this of a runway heading counts as lined up (final approaches and climb-outs: 10–15°). */
const ALIGN_MAX_DEG = 15;
/** Centerline funnel: this wide (nm either side) at the threshold, widening by ALIGN_FUNNEL_DEG. */
const ALIGN_FUNNEL_NM = 0.3;
const ALIGN_FUNNEL_DEG = 10;
/** Farthest from the threshold a line-up is believed (nm): a long straight-in final. */
const ALIGN_MAX_NM = 15;
/** Weight of a perfect line-up (log-likelihood units). */
const ARRIVAL_ALIGN_BONUS = 2;
const DEPARTURE_ALIGN_BONUS = 1.5;

/** Angle between two bearings, 0–180. */
export const angleOff = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

/** Penalty of flying `off` degrees away from the line to the airport: 0 ahead, 2.5 abeam, 5 behind. */
const offTrackPenalty = (off: number) => 2.5 * (1 - Math.cos((off * Math.PI) / 180));

/**
 * How well a position and track line up with a runway end, 0 (not at all) to 1 (on the centerline, on its
 * heading). `alongDeg`: the bearing that should equal the runway heading — to the threshold on an approach,
 * from it on a climb-out. `overRunwayNm`: how far past the threshold still counts (an approach lost over the
 * runway itself, within the runway's width-ish of its centerline).
 */
export function runwayAlignment(
  end: RunwayEnd,
  trk: number,
  distNm: number,
  alongDeg: number,
  overRunwayNm = 0,
): number {
  if (distNm > ALIGN_MAX_NM) return 0;
  const hdgOff = angleOff(trk, end.headingDeg);
  if (hdgOff > ALIGN_MAX_DEG) return 0;
  const lineOff = angleOff(alongDeg, end.headingDeg);
  const rad = (lineOff * Math.PI) / 180;
  const past = lineOff > 90 ? -distNm * Math.cos(rad) : 0;
  if (past > Math.max(overRunwayNm, ALIGN_FUNNEL_NM)) return 0;
  const lateral = distNm * Math.sin(rad);
  const width = ALIGN_FUNNEL_NM + (past > 0 ? 0 : distNm * Math.tan((ALIGN_FUNNEL_DEG * Math.PI) / 180));
  const q = Math.max((hdgOff / ALIGN_MAX_DEG) ** 2, (lateral / width) ** 2);
  return q >= 1 ? 0 : 1 - q;
}

/** Runway length to allow past a threshold when the airport's runways are unknown in length (nm). */
const DEFAULT_RUNWAY_NM = 1.5;

/** The best-aligned runway end of the airport for an approach to it from `p` on `trk`; distNm 0 once past it. */
function approachEnd(
  a: Airport,
  p: TrackPoint,
  trk: number,
): { end: RunwayEnd; fit: number; distNm: number } | undefined {
  let best: { end: RunwayEnd; fit: number; distNm: number } | undefined;
  const overRunwayNm = a.longestRunwayFt !== undefined ? a.longestRunwayFt / 6076 : DEFAULT_RUNWAY_NM;
  for (const end of a.runwayEnds ?? []) {
    const distNm = haversineNm(p.lat, p.lon, end.lat, end.lon);
    const along = bearingDeg(p.lat, p.lon, end.lat, end.lon);
    const fit = runwayAlignment(end, trk, distNm, along, overRunwayNm);
    const ahead = angleOff(along, end.headingDeg) <= 90;
    if (fit > 0 && (!best || fit > best.fit)) best = { end, fit, distNm: ahead ? distNm : 0 };
  }
  return best;
}

/** The best-aligned runway end of the airport for a climb-out from it passing `p` on `trk`. */
function climbOutEnd(a: Airport, p: TrackPoint, trk: number): { end: RunwayEnd; fit: number } | undefined {
  let best: { end: RunwayEnd; fit: number } | undefined;
  for (const end of a.runwayEnds ?? []) {
    const distNm = haversineNm(end.lat, end.lon, p.lat, p.lon);
    const fit = runwayAlignment(end, trk, distNm, bearingDeg(end.lat, end.lon, p.lat, p.lon));
    if (fit > 0 && (!best || fit > best.fit)) best = { end, fit };
  }
  return best;
}

function pick(scored: Scored[], cls: AircraftClass): AirportInference | undefined {
  if (!scored.length) return undefined;
  scored.sort((x, y) => x.pen - y.pen);
  const best = scored[0] as Scored;
  let sum = 0;
  for (const s of scored) sum += Math.exp(best.pen - s.pen);
  const conf = (pen: number) => Math.round((Math.exp(best.pen - pen) / sum) * 1000) / 1000;
  const second = scored[1];
  const out: AirportInference = {
    airport: best.a,
    confidence: conf(best.pen),
    candidates: scored.length,
    aircraftClass: cls,
    basis: best.a.runwayEnds?.length ? 'runways' : 'airport-position',
  };
  if (best.runway) out.runway = best.runway;
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
export function scoreArrival(index: AirportIndex, q: ArrivalQuery): Scored[] {
  const last = q.track[q.track.length - 1];
  if (!last) return [];
  const trk = headingAt(q.track);
  const then = pointBefore(q.track);
  const scored: Scored[] = [];
  for (const a of index.within(last.lat, last.lon, { maxNm: q.maxNm, kinds: q.kinds, limit: MAX_CANDIDATES })) {
    const kindPen = kindPenalty(q.cls, a.kind);
    if (!Number.isFinite(kindPen)) continue;
    const lined = trk === undefined ? undefined : approachEnd(a, last, trk);
    // Lined up with a runway: the glide path ends at its threshold, not at the reference point.
    const d = lined ? lined.distNm : a.distanceNm;
    const h = Math.max(0, last.alt == null ? 0 : last.alt - (a.elevationFt ?? 0));
    // Too high to get down there even on a steep (4.5°) descent with a circuit: not this airport.
    if (h > 450 * Math.max(d, a.distanceNm) + 1500) continue;
    const dg = h / FT_PER_NM_GLIDE;
    let pen = kindPen + runwayLengthPenalty(q.cls, a) + a.distanceNm / 10;
    // Level at 2–4,000 ft until the glide path is intercepted some 6 nm further out than it would put it is normal.
    pen +=
      d < dg ? Math.min(8, ((dg - d) / (1 + 0.2 * dg)) ** 2) : Math.min(4, Math.max(0, d - dg - 6) / (2 + 0.3 * dg));
    if (lined) pen -= ARRIVAL_ALIGN_BONUS * lined.fit;
    else if (trk !== undefined && a.distanceNm > 2)
      pen += offTrackPenalty(angleOff(bearingDeg(last.lat, last.lon, a.lat, a.lon), trk));
    if (then && a.distanceNm > 2 && haversineNm(then.lat, then.lon, a.lat, a.lon) < a.distanceNm - 1) pen += 1.5;
    scored.push(lined ? { a, pen, runway: lined.end.ident } : { a, pen });
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
 * field departed that field, not one 11 nm away), flying away from it (or out along one of its runways), class
 * against kind and runway length, distance.
 */
export function inferDeparture(index: AirportIndex, q: DepartureQuery): AirportInference | undefined {
  const p = q.at;
  const scored: Scored[] = [];
  for (const a of index.within(p.lat, p.lon, { maxNm: q.maxNm, kinds: q.kinds, limit: MAX_CANDIDATES })) {
    const kindPen = kindPenalty(q.cls, a.kind);
    if (!Number.isFinite(kindPen)) continue;
    const h = p.alt - (a.elevationFt ?? 0);
    if (h > q.maxAglFt || h < -300) continue;
    const d = a.distanceNm;
    const dc = Math.max(0, h) / FT_PER_NM_CLIMB;
    let pen = kindPen + runwayLengthPenalty(q.cls, a) + d / 15;
    pen += d > dc ? Math.min(12, (d - dc) / (1 + 0.2 * dc)) : Math.min(4, ((dc - d) / (2 + 0.5 * dc)) ** 2);
    const lined = p.trk === undefined ? undefined : climbOutEnd(a, p, p.trk);
    if (lined) pen -= DEPARTURE_ALIGN_BONUS * lined.fit;
    else if (p.trk !== undefined && d > 2)
      pen += 0.8 * offTrackPenalty(angleOff(bearingDeg(a.lat, a.lon, p.lat, p.lon), p.trk));
    scored.push(lined ? { a, pen, runway: lined.end.ident } : { a, pen });
  }
  return pick(scored, q.cls);
}
