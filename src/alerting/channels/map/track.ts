/**
 * The event's positions as drawable pieces: split where reception stopped (a coverage gap over water, a
 * transponder off), so the map does not draw a straight line the aircraft may not have flown.
 */
import { geoDistance } from 'd3-geo';
import type { FlightEvent } from '../../../domain/event';

export type LonLat = [number, number];

/** Longer without a position than this (and than 3× the usual spacing) and the line breaks. */
export const GAP_MS = 15 * 60_000;
/** A jump farther than this between two positions breaks the line too (times may be missing or equal). */
export const GAP_NM = 150;
const NM_PER_RAD = 3440.065;

export const validLatLon = (lat: unknown, lon: unknown): boolean =>
  typeof lat === 'number' &&
  typeof lon === 'number' &&
  Number.isFinite(lat) &&
  Number.isFinite(lon) &&
  Math.abs(lat) <= 90 &&
  Math.abs(lon) <= 180;

/** A position and its time (epoch ms). */
export interface Timed {
  p: LonLat;
  t: number;
}

function timedTrack(event: FlightEvent): Timed[] {
  const pts = event.evidence
    .filter((e) => validLatLon(e.lat, e.lon))
    .map((e) => ({ p: [e.lon!, e.lat!] as LonLat, t: Date.parse(e.time) }))
    .sort((a, b) => a.t - b.t);
  const pos = event.position;
  if (pos && validLatLon(pos.lat, pos.lon)) {
    const last = pts[pts.length - 1];
    if (!last || last.p[0] !== pos.lon || last.p[1] !== pos.lat)
      pts.push({ p: [pos.lon, pos.lat], t: Date.parse(event.time) });
  }
  return pts;
}

/** Track positions in time order; the event's own position closes the track when it is newer. */
export const trackOf = (event: FlightEvent): LonLat[] => timedTrack(event).map((x) => x.p);

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

/**
 * The track split at reception gaps: each piece is drawn solid, the gaps between pieces dotted. A gap is a
 * step well beyond the track's usual spacing (a trip's track is thinned to one position per 2–32 min), and
 * at least GAP_MS / GAP_NM.
 */
export const trackPieces = (event: FlightEvent): LonLat[][] => splitAtGaps(timedTrack(event));

/** Positions in time order split at reception gaps (the rule trackPieces applies to an event's evidence). */
export function splitAtGaps(pts: Timed[]): LonLat[][] {
  const steps = pts.slice(1).map((cur, i) => ({
    ms: cur.t - pts[i]!.t,
    nm: geoDistance(pts[i]!.p, cur.p) * NM_PER_RAD,
  }));
  const maxMs = Math.max(GAP_MS, 3 * median(steps.map((s) => s.ms)));
  const maxNm = Math.max(GAP_NM, 3 * median(steps.map((s) => s.nm)));
  const pieces: LonLat[][] = pts.length ? [[pts[0]!.p]] : [];
  steps.forEach((step, i) => {
    if (step.ms > maxMs || step.nm > maxNm) pieces.push([]);
    pieces[pieces.length - 1]!.push(pts[i + 1]!.p);
  });
  return pieces;
}
