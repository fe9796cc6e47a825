/**
 * `flightwatch worker` (what `npm start` runs): validates the config before connecting to anything, starts
 * the pipeline with the health server (PORT, default 8080), reloads on SIGHUP or a config file change,
 * and shuts down cleanly on SIGTERM/SIGINT within 10 s.
 */
import type { Command } from 'commander';
import { resolveConfigPath } from '../../config/load';
import { createLogger, flushLogs } from '../../util/log';
import { startWorker, type RunningWorker } from '../../runtime/worker';
import { createConfigReloader } from '../../runtime/config-reload';
import { RedisUnavailableError } from '../../runtime/redis/resolved-redis';
import { portFromEnv } from '../../observability/http-server';
import { EXIT_INVALID_CONFIG, readConfigOrReport } from './check-config';

export const SHUTDOWN_DEADLINE_MS = 10_000;

export function register(program: Command): void {
  program
    .command('worker')
    .description('run the monitoring worker: poll on schedule, detect, deliver alerts; /livez /readyz /metrics on PORT')
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
      let port: number;
      try {
        port = portFromEnv();
      } catch (e) {
        process.stderr.write(`flightwatch: ${(e as Error).message}\n`);
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      log.info({ config: file }, 'config valid');

      // A signal during start is acted on once the worker is up; the 10 s deadline runs from the signal.
      let stopping: string | undefined;
      // Set once the worker is up; a signal before that only arms the deadline.
      let shutdown: ((signal: string) => void) | undefined = undefined;
      const onSignal = (signal: string) => {
        if (shutdown) return shutdown(signal);
        if (stopping) return;
        stopping = signal;
        armDeadline(log);
      };
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      process.on('SIGINT', () => onSignal('SIGINT'));

      let worker: RunningWorker;
      try {
        worker = await startWorker({ config, log, port });
      } catch (e) {
        if (e instanceof RedisUnavailableError) process.stderr.write(`flightwatch: ${e.message}\n`);
        else {
          log.fatal({ err: (e as Error).message, stack: (e as Error).stack }, 'worker failed to start');
          process.stderr.write(`flightwatch: worker failed to start: ${(e as Error).message.split('\n')[0]}\n`);
        }
        await flushLogs(log);
        process.exit(1);
      }

      // FLIGHTWATCH_CONFIG_WATCH=off: only SIGHUP reloads (file systems without change events, e.g. some network mounts).
      const watchFile = !['off', '0', 'false', 'no'].includes(
        (process.env.FLIGHTWATCH_CONFIG_WATCH ?? '').toLowerCase(),
      );
      const reloader = createConfigReloader({
        file,
        apply: (c) => worker.reload(c),
        log,
        watchFile,
        debounceMs: () => worker.config().operate.reloadDebounce,
      });
      process.on('SIGHUP', () => {
        if (!stopping) reloader.reload('SIGHUP');
      });

      let shuttingDown = false;
      shutdown = (signal: string) => {
        if (shuttingDown) return;
        shuttingDown = true;
        log.info({ signal }, 'shutting down');
        if (!stopping) armDeadline(log);
        reloader.stop();
        // Fire and forget: both outcomes are handled and end in process.exit (flushLogs never rejects).
        void worker
          .stop(SHUTDOWN_DEADLINE_MS - 2_500)
          .then(
            () => (log.info({ signal }, 'stopped'), 0),
            (e) => (log.error({ err: (e as Error).message }, 'error during shutdown'), 1),
          )
          .then(async (code) => {
            await flushLogs(log);
            process.exit(code);
          });
      };
      if (stopping) shutdown(stopping);
    });
}

/** Hard deadline: whatever hangs, the process is gone within 10 s of the signal. */
function armDeadline(log: ReturnType<typeof createLogger>): void {
  setTimeout(() => {
    log.error('shutdown deadline passed; exiting');
    log.flush();
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
}
