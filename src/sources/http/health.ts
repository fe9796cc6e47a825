/**
 * Why a source is out of rotation and until when. 401/403 keep it out for authFailureBackoffMinutes (a new
 * Source object, i.e. a config change, starts clean); 429 keeps it out for the server's retry window.
 * Other failures (timeouts, 5xx, malformed replies) only fail over the current cycle.
 */
import type { SourceError } from '../source';

export class SourceHealth {
  private until = 0;
  private why = '';

  constructor(private readonly authBackoffMs: number) {}

  /** Records a failure; returns true when it took the source out of rotation. */
  note(err: SourceError, now: number): boolean {
    if (err.kind === 'auth') return this.block(now + this.authBackoffMs, `auth failure (${err.message})`);
    if (err.kind === 'rate-limited')
      return this.block(now + (err.details.retryAfterMs ?? 0), `rate limited (${err.message})`);
    return false;
  }

  block(until: number, why: string): boolean {
    if (until <= this.until) return false;
    this.until = until;
    this.why = why;
    return true;
  }

  unavailableReason(now: number): string | undefined {
    if (now >= this.until) return undefined;
    return `${this.why}; out of rotation until ${new Date(this.until).toISOString()}`;
  }

  blockedUntil(now: number): number | undefined {
    return now < this.until ? this.until : undefined;
  }
}
