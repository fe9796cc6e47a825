/**
 * A notify worker in its own process, so a test can SIGKILL it mid-delivery, sending through the real
 * signed webhook channel. Configured by env: REDIS_URL, FW_PREFIX, FW_RECEIVER (webhook URL), FW_CHANNELS
 * (comma-separated ids), FW_WEBHOOK_SECRET. Prints "ready".
 * Short lock/stall timings make BullMQ notice the dead worker's jobs within a second or two.
 */
import { createRedis } from '../../../../src/pipeline/connection';
import { startPipeline } from '../../../../src/pipeline/pipeline';
import { buildChannels } from '../../../../src/alerting/build-channels';
import { makeAlerts, webhookEntry } from './fixtures';

async function main() {
  const ids = (process.env.FW_CHANNELS ?? 'partner').split(',');
  const alerts = makeAlerts({
    channels: ids.map((id) => ({ ...webhookEntry(id), url: process.env.FW_RECEIVER!, secretEnv: 'FW_WEBHOOK_SECRET' })),
    concurrency: 4,
  });
  const connection = createRedis(process.env.REDIS_URL!, 'worker');
  const channels = buildChannels(alerts);
  const p = await startPipeline({
    alerts,
    connection,
    channels,
    prefix: process.env.FW_PREFIX,
    workerOptions: { lockDuration: 1500, stalledInterval: 500, maxStalledCount: 5 },
  });
  process.stdout.write('ready\n');
  const stop = async () => {
    await p.close(2000);
    connection.disconnect();
    process.exit(0);
  };
  const onSignal = () => {
    stop().catch((e) => {
      process.stderr.write(`worker-child: stop failed: ${(e as Error).stack}\n`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((e) => {
  process.stderr.write(`worker-child: ${(e as Error).stack}\n`);
  process.exit(1);
});
