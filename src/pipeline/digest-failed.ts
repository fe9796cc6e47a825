/**
 * The `digest-failed` operational alert: a digest (watch-entry or report) failed `alertAfter` times in a row.
 * It goes to every channel, since the digest's own channels may be the ones failing; its id derives from the
 * digest and period, so it is raised once per failing period whichever replica hits the threshold.
 */
import type { DeliveryContext } from './context';
import { raiseOperational } from './operational';
import type { DigestFailure } from './period-scheduler';

export async function raiseDigestFailed(ctx: DeliveryContext, f: DigestFailure): Promise<void> {
  const next = new Date(f.retryAt).toISOString();
  await raiseOperational(ctx, {
    kind: 'digest-failed',
    subject: `digest-failed:${f.item.digest}`,
    // The period, not the failure time: the same failing period is one incident on every replica.
    at: f.item.period,
    time: new Date(f.failedAt).toISOString(),
    summary:
      `The ${f.item.label} failed ${f.attempts} times (last: ${f.error}). It is tried again from ${next} until its ` +
      'period is over; check the log for the cause.',
    details: { digest: f.item.digest, period: f.item.period, attempts: f.attempts, error: f.error, nextAttempt: next },
  });
}
