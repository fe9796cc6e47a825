/**
 * Deterministic event ids: sha256 of `${hex}|${key}|${bucket}`, first 32 hex digits, where bucket is the event
 * time floored to `bucketMs`. Re-detecting the same transition (a re-processed poll, a second source, a replay
 * of the same data) lands in the same bucket and yields the same id.
 */
import { createHash } from 'node:crypto';

export function eventBucket(timeMs: number, bucketMs: number): number {
  return Math.floor(timeMs / bucketMs);
}

/** `key` is the event type, qualified where one aircraft can have several at once: destination:<id>, squawk:<code>. */
export function eventId(hex: string, key: string, timeMs: number, bucketMs: number): string {
  return createHash('sha256')
    .update(`${hex}|${key}|${eventBucket(timeMs, bucketMs)}`)
    .digest('hex')
    .slice(0, 32);
}
