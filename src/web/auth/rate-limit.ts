/**
 * Failed sign-ins counted per key (a client address, a user name) over a sliding window: past the limit the
 * next attempt is refused before any password is checked, so guessing costs the attacker time, not us CPU.
 * In memory: a restart forgives, which a rate limit may.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const kept = this.recent(key, now);
    if (kept.length < this.limit) return 0;
    // kept is sorted: the attempt that leaves the window first frees a slot.
    const oldest = kept[kept.length - this.limit] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  fail(key: string, now = Date.now()): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
