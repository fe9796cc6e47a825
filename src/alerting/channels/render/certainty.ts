/**
 * How sure the alert is, in words: observed (positions show it), inferred (concluded across a gap or a lost
 * signal), predicted (en route: a probability) — with the reason. Monitors publish counts; this line is what
 * tells them whether an event may be counted as seen.
 */
import type { FlightEvent } from '../../../domain/event';
import { isEstimated, isInferred, isTestAlert } from '../../../domain/event';
import { oneLine } from './sanitize';

export type CertaintyLevel = 'observed' | 'inferred' | 'predicted' | 'test';

export interface Certainty {
  level: CertaintyLevel;
  reason: string;
}

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const minutes = (s: number) => (s >= 5400 ? `${(s / 3600).toFixed(1)} h` : `${nf.format(Math.round(s / 60))} min`);
export const percent = (p: number) => `${nf.format(Math.round(Math.max(0, Math.min(1, p)) * 100))} %`;

export function certaintyOf(ev: FlightEvent): Certainty {
  if (isTestAlert(ev)) return { level: 'test', reason: 'synthetic test alert; no aircraft was detected' };
  const estimated = isEstimated(ev) ? '; the time is an estimate' : '';
  const level: CertaintyLevel = isInferred(ev) ? 'inferred' : 'observed';
  switch (ev.type) {
    case 'landing': {
      const d = ev.details;
      if (!d || !('reason' in d)) return { level, reason: `positions show it${estimated}` };
      if (d.reason === 'signal-lost-low-slow') {
        const alt = typeof d.lastAltFt === 'number' ? ` at ${nf.format(d.lastAltFt)} ft` : '';
        const dist = typeof d.lastDistanceNm === 'number' ? `, ${d.lastDistanceNm.toFixed(1)} nm from the airport` : '';
        return { level, reason: `signal lost low and slow${alt}${dist}; not seen on the ground${estimated}` };
      }
      if (d.reason === 'air-to-ground-after-gap')
        return {
          level,
          reason: `on the ground after ${typeof d.gapS === 'number' ? minutes(d.gapS) : 'a gap'} unheard${estimated}`,
        };
      return { level, reason: `positions went from airborne to on the ground${estimated}` };
    }
    case 'takeoff': {
      const d = ev.details;
      const why: Record<string, string> = {
        'ground-to-air': 'positions went from on the ground to airborne',
        'ground-to-air-after-gap': `airborne after ${typeof d?.gapS === 'number' ? minutes(d.gapS) : 'a gap'} unheard on the ground`,
        'first-seen-climbing': `first seen climbing${typeof d?.altFt === 'number' ? ` at ${nf.format(d.altFt)} ft` : ''}`,
        'reacquired-climbing': 'seen again climbing after a gap',
      };
      return { level, reason: `${(d && why[d.reason]) ?? 'positions show it'}${estimated}` };
    }
    case 'destination':
      return {
        level,
        reason: `${level === 'inferred' ? 'the landing was inferred (signal lost near the airport)' : 'the landing was observed'}${estimated}`,
      };
    case 'en_route': {
      const d = ev.details;
      if (!d) return { level: 'predicted', reason: 'predicted from the track' };
      return { level: 'predicted', reason: `${percent(d.confidence)} likely, from ${basisWords(d.basis)}` };
    }
    case 'trip': {
      const legs = ev.details?.legs ?? [];
      const inferredLegs = legs.filter((l) => l.inferred).length;
      return inferredLegs
        ? { level: 'inferred', reason: `${inferredLegs} of ${legs.length} legs inferred (signal lost)` }
        : { level: 'observed', reason: 'every leg observed' };
    }
    case 'squawk':
      return {
        level: 'observed',
        reason: ev.details ? `code held for ${nf.format(ev.details.heldS)} s` : 'positions show it',
      };
    case 'diversion':
      return {
        level: ev.details?.inferred ? 'inferred' : 'observed',
        reason: ev.details?.inferred ? 'the landing was inferred' : 'the landing was observed',
      };
    default:
      return { level: 'observed', reason: 'positions show it' };
  }
}

function basisWords(basis: string): string {
  const words: Record<string, string> = {
    track: 'the track',
    'callsign-route': "the callsign's published route",
    history: "the airframe's past flights",
  };
  const parts = basis.split('+').map((b) => words[b] ?? oneLine(b, 30));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? 'the track');
}

/**
 * En-route alternatives a reader can add up: the destination's probability, then other airports ahead while
 * the total stays ≤ 1, then "elsewhere". An alternative that would push the total past 1 is one of the
 * destination's own airports (already inside its probability) and is not listed again.
 */
export function odds(confidence: number, alternatives: { icao: string; p: number }[]) {
  let total = Math.max(0, Math.min(1, confidence));
  const others: { icao: string; p: number }[] = [];
  for (const a of alternatives) {
    if (!(a.p > 0) || total + a.p > 1 + 1e-9) continue;
    others.push(a);
    total += a.p;
  }
  return { others, elsewhere: Math.max(0, 1 - total) };
}
