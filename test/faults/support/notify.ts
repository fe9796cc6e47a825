/** The notify queue once a burst has gone through it, as the fault scenarios read it. */
import type { Queues } from '../../../src/pipeline/queues';
import { whenQueues } from '../../helpers/wait';

/** Once at least `n` notify jobs completed (or the timeout), their job counts; the queues are closed after. */
export async function notifyCountsOnceCompleted(q: Queues, n: number) {
  try {
    await whenQueues(
      'every notify job completed',
      [q.notify],
      async () => (await q.notify.getJobCounts('completed')).completed >= n,
      { timeoutMs: 60_000 },
    );
    return await q.notify.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed');
  } finally {
    await q.close();
  }
}
