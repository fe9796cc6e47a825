/**
 * Go-around watch (docs/detection.md): an approach to an airport — descending, heading for it, low, close,
 * slow — that climbs away without a ground position. Pure: advances `st.appr` with each fresh airborne
 * position and says when a go-around is complete; the rules emit the event.
 *
 * Without runway data "aligned" means heading for the airport reference point (within APPROACH_OFF_DEG, or
 * close enough that the point may lie beside the runway). A level low pass, a descent across the field, or a
 * pattern flown abeam never starts or never qualifies as an approach.
 */
import { bearingDeg, haversineNm } from '../geo/sphere';
import { toRef, type Places } from './places';
import { copySample, type Approach, type Sample, type TrackState } from './track-state';

const MIN = 60_000;
/** An approach starts below this height above the airport, within START_NM of it. */
const START_MAX_HEIGHT_FT = 3_000;
const START_NM = 10;
/** Heading for the airport: track within this of the bearing to it, unless within CLOSE_NM. */
const APPROACH_OFF_DEG = 30;
const CLOSE_NM = 1;
/** Descending: at least this rate (ft/min) when starting, and this much lost down to the lowest position. */
const DESCENT_FPM = 300;
const MIN_DESCENT_FT = 300;
/** The lowest position of a go-around: at most this high above the airport, this far from it. */
const MAX_LOW_HEIGHT_FT = 1_000;
const MAX_LOW_NM = 5;
/** Climbed this far above the lowest position: gone around (a level-off's wobble is not). */
const CLIMB_FT = 400;
/** Watched this long after the lowest position, then given up (a holding, a long level segment). */
const WATCH_MS = 5 * MIN;
/** Farther than this from the airport: not an approach to it any more. */
const DROP_NM = 12;
/** At most one airport lookup per aircraft this often while not watching an approach (replay speed). */
const LOOKUP_EVERY_MS = 20_000;

/** A complete go-around: the approach and the position that showed the climb. */
export interface GoAround {
  approach: Approach;
  climb: Sample;
}

const offDeg = (s: Sample, lat: number, lon: number) =>
  s.trk === undefined ? 0 : Math.abs(((bearingDeg(s.lat, s.lon, lat, lon) - s.trk + 540) % 360) - 180);

function descending(s: Sample, before: Sample | undefined): boolean {
  if (s.vr !== undefined) return s.vr <= -DESCENT_FPM;
  if (!before || before.g || before.alt == null || s.alt == null || s.t <= before.t || s.t - before.t > 2 * MIN)
    return false;
  return ((s.alt - before.alt) / (s.t - before.t)) * MIN <= -DESCENT_FPM;
}

/** Heading for the airport at this position (or over it). */
function headingFor(s: Sample, a: Approach['airport'], nm: number): boolean {
  return nm <= CLOSE_NM || offDeg(s, a.lat, a.lon) <= APPROACH_OFF_DEG;
}

function qualifies(a: Approach, slowKt: number): boolean {
  const low = a.low;
  const lowAlt = low.alt as number;
  return (
    lowAlt - a.elev <= MAX_LOW_HEIGHT_FT &&
    a.lowNm <= MAX_LOW_NM &&
    (a.from.alt as number) - lowAlt >= MIN_DESCENT_FT &&
    headingFor(low, a.airport, a.lowNm) &&
    (low.gs === undefined || low.gs <= slowKt)
  );
}

/**
 * Advances the watch with a fresh position `s` (`before`: the previous one). A ground position ends it (a
 * touchdown is no go-around). Returns the go-around when `s` completes one.
 */
export function watchApproach(
  st: TrackState,
  s: Sample,
  before: Sample | undefined,
  places: Places,
  slowKt: number,
): GoAround | undefined {
  if (s.g || s.alt == null) {
    if (st.appr) delete st.appr;
    return undefined;
  }
  const a = st.appr;
  if (a) {
    const nm = haversineNm(s.lat, s.lon, a.airport.lat, a.airport.lon);
    const lowAlt = a.low.alt as number;
    if (s.t - a.low.t > WATCH_MS || nm > DROP_NM) delete st.appr;
    else if (s.alt < lowAlt) {
      a.low = copySample(s, a.low);
      a.lowNm = nm;
      return undefined;
    } else if (s.alt - lowAlt >= CLIMB_FT) {
      delete st.appr;
      return qualifies(a, slowKt) ? { approach: a, climb: s } : undefined;
    } else return undefined;
  }
  if (!descending(s, before)) return undefined;
  if (st.apprCheckAt !== undefined && s.t - st.apprCheckAt < LOOKUP_EVERY_MS && s.t >= st.apprCheckAt) return undefined;
  st.apprCheckAt = s.t;
  const ap = places.lowSlowNear(s.lat, s.lon, s.alt, s.gs, s.trk);
  if (!ap || ap.distanceNm > START_NM) return undefined;
  const elev = ap.elevationFt ?? 0;
  if (s.alt - elev > START_MAX_HEIGHT_FT) return undefined;
  const airport = toRef(ap);
  if (!headingFor(s, airport, ap.distanceNm)) return undefined;
  st.appr = { airport, elev, from: copySample(s), low: copySample(s), lowNm: ap.distanceNm };
  return undefined;
}
