/**
 * Touch-and-go (docs/detection.md): the aircraft touches down and takes off again without stopping. A landing
 * whose ground positions all roll fast is held (not announced) for up to the debounce time; airborne and
 * climbing again from the airport within it, it is a `touch_and_go` and no landing: the leg goes on. Slowing
 * below TOUCH_MIN_KT, a ground speed that cannot be told, or the timer confirm the landing as before.
 */
import { haversineNm } from '../geo/sphere';
import type { Sample, TrackState } from './track-state';

/** Rolling, not taxiing (kt): a landing on the ground this fast may still be a touch-and-go. */
export const TOUCH_MIN_KT = 40;
/** Back in the air this soon after touching down, without stopping: a touch-and-go. */
export const TOUCH_AND_GO_MS = 2 * 60_000;

type Pending = NonNullable<TrackState['pend']>;

/** Ground speed of `s`, else the speed over ground from the previous position; undefined when neither tells. */
export function groundSpeed(s: Sample, prev: Sample | undefined): number | undefined {
  if (s.gs !== undefined) return s.gs;
  if (!prev || s.t <= prev.t) return undefined;
  return (haversineNm(prev.lat, prev.lon, s.lat, s.lon) / (s.t - prev.t)) * 3_600_000;
}

/**
 * A further ground position `s` of a held landing: still rolling fast within `holdMs` of the touchdown?
 * Records it in the pending landing when so.
 */
export function keepRolling(pend: Pending, s: Sample, holdMs: number): boolean {
  const first = pend.s;
  const firstGs = pend.minGs ?? first.gs;
  if (firstGs === undefined || firstGs < TOUCH_MIN_KT || s.t - first.t > holdMs) return false;
  const gs = groundSpeed(s, pend.last ?? first);
  if (gs === undefined || gs < TOUCH_MIN_KT) return false;
  pend.n = (pend.n ?? 1) + 1;
  pend.minGs = Math.min(firstGs, gs);
  pend.last = { ...s };
  return true;
}
