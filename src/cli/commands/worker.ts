/**
 * `flightwatch worker` (what `npm start` runs): validates the config before connecting to anything, starts
 * the pipeline, and shuts down cleanly on SIGTERM/SIGINT within 10 s.
 */
import type { Command } from 'commander';
import { resolveConfigPath } from '../../config/load';
import { createLogger } from '../../util/log';
import { startWorker } from '../../runtime/worker';
import { RedisUnavailableError } from '../../runtime/redis-discovery';
import { EXIT_INVALID_CONFIG, readConfigOrReport } from './check-config';

export const SHUTDOWN_DEADLINE_MS = 10_000;

export function register(program: Command): void {
  program
    .command('worker')
    .description('run the monitoring worker: poll on schedule, detect, deliver alerts')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .action(async (opts: { config?: string }) => {
      const file = resolveConfigPath(opts.config);
      const config = readConfigOrReport(file);
      if (!config) {
        process.stderr.write('flightwatch: refusing to start with an invalid config\n');
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      const log = createLogger();
      log.info({ config: file }, 'config valid');
      let worker: Awaited<ReturnType<typeof startWorker>>;
      try {
        worker = await startWorker({ config, log });
      } catch (e) {
        if (e instanceof RedisUnavailableError) process.stderr.write(`flightwatch: ${e.message}\n`);
        else log.fatal({ err: (e as Error).message, stack: (e as Error).stack }, 'worker failed to start');
        log.flush?.();
        process.exitCode = 1;
        return;
      }
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, 'shutting down');
        // Hard deadline: whatever hangs, the process is gone within 10 s of the signal.
        setTimeout(() => {
          log.error('shutdown deadline passed; exiting');
          process.exit(1);
        }, SHUTDOWN_DEADLINE_MS).unref();
        worker
          .stop(SHUTDOWN_DEADLINE_MS - 2_000)
          .then(() => {
            log.info('stopped');
            log.flush?.();
            process.exitCode = 0;
          })
          .catch((e) => {
            log.error({ err: (e as Error).message }, 'error during shutdown');
            process.exitCode = 1;
          });
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });
}
