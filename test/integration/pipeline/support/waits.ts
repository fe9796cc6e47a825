/** Waits on a delivery pipeline's own state, re-checked on every event of its queues (see helpers/wait). */
import { whenQueues, whenQuiet, type Idles, type WaitOptions } from '../../../helpers/wait';
import { listDeadLetters } from '../../../../src/pipeline/dlq';
import type { Queues } from '../../../../src/pipeline/queues';

/** Resolves once exactly `n` dead letters are listed. */
export async function whenDeadLetters(queues: Queues, n: number, opts: WaitOptions = {}): Promise<void> {
  let listed = 0;
  await whenQueues(
    `${n} dead letter(s)`,
    [queues.notify, queues.detect],
    async () => (listed = (await listDeadLetters(queues)).length) === n,
    { detail: () => `${listed} listed`, ...opts },
  );
}

/**
 * Before asserting that nothing more arrives: every queue idle, upstream first (poll → detect → notify), then
 * the receivers with no request in hand. What has not arrived by then never will.
 */
export function whenPipelineQuiet(queues: Queues, servers: readonly Idles[], opts: WaitOptions = {}): Promise<void> {
  return whenQuiet('the pipeline to be quiet', { queues: [queues.poll, queues.detect, queues.notify], servers }, opts);
}
