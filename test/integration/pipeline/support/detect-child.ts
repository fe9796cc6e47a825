/**
 * A detect worker in its own process that stops dead at a chosen point of the detect job, so a test can
 * SIGKILL it there. Env: REDIS_URL, FW_PREFIX, FW_RECEIVER (base URL; channel "partner" posts to /partner),
 * FW_CRASH_AT:
 *   after-commit  — the detector step saved the state (and queued its events) but nothing was fanned out;
 *   after-fanout  — the events are in the history and the notify queue, the outbox entries not yet deleted.
 * Prints "ready", then "<point> <event ids JSON>" and hangs (holding the job) at the point.
 * The notify worker is paused so what the test sees delivered is what the next worker delivers.
 */
import { createRedis } from '../../../../src/pipeline/connection';
import { startPipeline } from '../../../../src/pipeline/pipeline';
import type { Detector } from '../../../../src/detect/types';
import type { DetectionOutbox } from '../../../../src/detect/store/detection-outbox';
import { RedisTrackStore } from '../../../../src/detect';
import { httpPostChannel } from '../../../helpers/http-post-channel';
import { makeAlerts, webhookEntry } from './fixtures';
import { fleetDetector } from './fleet';

const hang = () => new Promise<never>(() => undefined);

async function main() {
  const prefix = process.env.FW_PREFIX!;
  const crashAt = process.env.FW_CRASH_AT;
  const connection = createRedis(process.env.REDIS_URL!, 'worker');
  const real = fleetDetector(connection, `${prefix}:`);
  const outbox = (real.store as RedisTrackStore).outbox!;
  const say = (what: string, ids: string[]) => process.stdout.write(`${what} ${JSON.stringify(ids)}\n`);

  const detector: Detector = {
    async process(batch, now) {
      const events = await real.process(batch, now);
      if (crashAt === 'after-commit') {
        say(
          'after-commit',
          events.map((e) => e.id),
        );
        return hang();
      }
      return events;
    },
  };
  const acked: DetectionOutbox = {
    key: outbox.key,
    pending: (c, a) => outbox.pending(c, a),
    size: () => outbox.size(),
    async ack(entryIds) {
      if (crashAt === 'after-fanout') {
        const rows = await outbox.pending(1000);
        say(
          'after-fanout',
          rows.filter((r) => entryIds.includes(r.entryId)).map((r) => r.eventId),
        );
        return hang();
      }
      return outbox.ack(entryIds);
    },
  };
  const alerts = makeAlerts({ channels: [webhookEntry('partner')] });
  const p = await startPipeline({
    alerts,
    connection,
    channels: new Map([['partner', httpPostChannel('partner', `${process.env.FW_RECEIVER}/partner`)]]),
    detector,
    outbox: acked,
    prefix,
    workerOptions: { lockDuration: 1500, stalledInterval: 500, maxStalledCount: 5 },
  });
  await p.workers.find((w) => w.name === 'notify')!.pause(true);
  process.stdout.write('ready\n');
}

main().catch((e) => {
  process.stderr.write(`detect-child: ${(e as Error).stack}\n`);
  process.exit(1);
});
