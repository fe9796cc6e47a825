/**
 * Child-process driver for the fault suite (test/faults): a notify worker that sends through the real
 * channels (signed webhook, SMTP email) built from an `alerts:` config, in its own process so a test can
 * SIGKILL it, or kill Redis under it and watch it reconnect by itself.
 *
 * Env: REDIS_URL, FW_PREFIX, FW_ALERTS (JSON of the `alerts:` section; channel secrets/SMTP_URL by env name
 * as usual), LOG_LEVEL (default warn; JSON lines on stderr). Prints "ready <pid>" on stdout once listening.
 * Short lock/stall timings (as a test would configure) so a killed worker's jobs are picked up within ~2 s.
 */
import { createRedis } from '../src/pipeline/connection';
import { startPipeline } from '../src/pipeline/pipeline';
import { buildChannels, closeChannels } from '../src/alerting/build-channels';
import { alertsSchema } from '../src/config/alerts-schema';
import { createLogger } from '../src/util/log';
import pino from 'pino';

async function main() {
  const alerts = alertsSchema.parse(JSON.parse(process.env.FW_ALERTS ?? '{}'));
  const log = createLogger({
    level: process.env.LOG_LEVEL ?? 'warn',
    destination: pino.destination({ fd: 2, sync: true }),
  });
  const connection = createRedis(process.env.REDIS_URL!, 'worker');
  connection.on('error', (e) => log.warn({ err: e.message }, 'Redis connection error (reconnecting)'));
  const channels = buildChannels(alerts, {
    env: process.env,
    log,
    smtpTimeouts: { connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 5000 },
  });
  const p = await startPipeline({
    alerts,
    connection,
    channels,
    prefix: process.env.FW_PREFIX,
    log,
    workerOptions: { lockDuration: 3000, stalledInterval: 1000, maxStalledCount: 100 },
  });
  process.stdout.write(`ready ${process.pid}\n`);
  const stop = async () => {
    await p.close(3000);
    await closeChannels(channels);
    connection.disconnect();
    process.exit(0);
  };
  const onSignal = () => {
    stop().catch((e) => {
      process.stderr.write(`fault-worker: stop failed: ${(e as Error).stack}\n`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((e) => {
  process.stderr.write(`fault-worker: ${(e as Error).stack}\n`);
  process.exit(1);
});
