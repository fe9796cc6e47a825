/**
 * Deterministic event ids.
 *
 * Detection events (takeoff, landing, destination, seen, squawk) take theirs from the transition itself:
 * sha256 of `${hex}|${key}|${airport}|${time in whole seconds}`. Re-processing the same positions (a re-played
 * poll, a replay of the same data) concludes the same transition at the same time and yields the same id; two
 * real transitions (a false takeoff and the real one minutes later, the circuits of a touch-and-go session)
 * have different times and never share one. A second source seeing the same transition cannot add a second
 * event either: the state machine announces no transition twice without its opposite in between.
 *
 * `eventId` (time bucketed) is kept for derived events whose time is a leg's key (trips, en-route).
 */
import { createHash } from 'node:crypto';

export function eventBucket(timeMs: number, bucketMs: number): number {
  return Math.floor(timeMs / bucketMs);
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** `key` is the event type, qualified where one aircraft can have several at once: destination:<id>, squawk:<code>. */
export function eventId(hex: string, key: string, timeMs: number, bucketMs: number): string {
  return digest(`${hex}|${key}|${eventBucket(timeMs, bucketMs)}`);
}

/** The id of a detected transition: its kind (`key` as for eventId), airport (ICAO or "") and time. */
export function transitionId(hex: string, key: string, timeMs: number, airportIcao: string | undefined): string {
  return digest(`${hex}|${key}|${airportIcao ?? ''}|${Math.floor(timeMs / 1000)}`);
}
