/**
 * Retry timing for transient delivery failures, pure. Exponential growth from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (each delay is drawn from [½, 1] of its nominal value) so that many alerts failing
 * together against one receiver do not retry in lockstep. The horizon, not a count, decides when to give up:
 * `attemptsForHorizon` only provides BullMQ's `attempts` ceiling, sized so that the time check fires first.
 */
export interface RetryPolicy {
  horizonMs: number;
  baseMs: number;
  maxMs: number;
}

export function nominalDelayMs(attemptsMade: number, p: Pick<RetryPolicy, 'baseMs' | 'maxMs'>): number {
  const n = Math.max(1, attemptsMade);
  // 2^(n-1) overflows to Infinity long before n is dangerous; min() keeps it finite.
  return Math.min(p.maxMs, p.baseMs * Math.pow(2, n - 1));
}

export function jitteredDelayMs(
  attemptsMade: number,
  p: Pick<RetryPolicy, 'baseMs' | 'maxMs'>,
  rand: () => number = Math.random,
): number {
  const nominal = nominalDelayMs(attemptsMade, p);
  return Math.round(nominal / 2 + rand() * (nominal / 2));
}

/** Attempts (first try included) needed to keep retrying until the horizon even if every jitter draw is minimal. */
export function attemptsForHorizon(p: RetryPolicy): number {
  let elapsed = 0;
  let attempts = 1;
  while (elapsed < p.horizonMs && attempts < 10_000) {
    elapsed += nominalDelayMs(attempts, p) / 2;
    attempts++;
  }
  return attempts;
}

/**
 * Delay before the next attempt, or -1 (BullMQ: do not retry, move to failed) when the retry would land
 * beyond the horizon measured from `startedAt` (first enqueue, or the last manual `dlq retry`).
 */
export function nextRetryDelayMs(
  attemptsMade: number,
  startedAt: number,
  now: number,
  p: RetryPolicy,
  rand: () => number = Math.random,
): number {
  const delay = jitteredDelayMs(attemptsMade, p, rand);
  return now + delay - startedAt > p.horizonMs ? -1 : delay;
}
