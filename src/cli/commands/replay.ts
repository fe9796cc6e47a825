/**
 * `flightwatch replay [--config F] [--format …] [--json] [--summary | --by-entry] PATH...`: feeds recorded data through
 * the worker's watchlist and detector (in-memory track store) and prints the events. This is also how a
 * watchlist is backtested before deployment. With --deliver the events then go through the real delivery path.
 * Exit 0; 1 when an input file was bad (it is named, skipped, and the rest still replayed) or a delivery did not
 * settle (dead-lettered, still retrying) or --archive could not write the archive; 2 when the config is invalid.
 * --archive (and --deliver) also write the events into the archive, like the worker's archiver.
 */
import { Command, Option } from 'commander';
import { resolveConfigPath } from '../../config/load';
import type { FlightEvent } from '../../domain/event';
import { REPLAY_FORMATS, type FormatOption } from '../../replay/formats';
import { formatEventLine } from '../../replay/format-event';
import { ProgressBar } from '../../replay/progress';
import { runReplay, type ReplayStats } from '../../replay/runner';
import { createReplayContext } from '../../runtime/replay-setup';
import { EventSummary } from '../../replay/summary';
import { EntrySummary } from '../../replay/by-entry';
import { EXIT_INVALID_CONFIG, readConfigOrReport } from './check-config';
import { deliverReplayedEvents, unsettledCount } from '../../runtime/replay-delivery';
import { createLogger } from '../../util/log';
import { archiveReplayedEvents } from '../../runtime/replay-archive';

export const EXIT_BAD_INPUT = 1;

export interface ReplayCommandOptions {
  config?: string;
  format?: FormatOption;
  json?: boolean;
  summary?: boolean;
  /** Count the alerts each watch entry (disabled ones too) would have produced; implies no event lines. */
  byEntry?: boolean;
  step?: number;
  tail?: number;
  airports?: string;
  deliver?: boolean;
  /** Write the events into the archive (implied by --deliver). */
  archive?: boolean;
  redisUrl?: string;
}

export interface ReplayIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}

/** The command's work, separate from commander so tests can call it directly. Returns the exit code. */
export async function replayAction(
  paths: readonly string[],
  opts: ReplayCommandOptions,
  io: ReplayIO = process,
): Promise<number> {
  const err = (s: string) => void io.stderr.write(s);
  const configFile = resolveConfigPath(opts.config);
  const config = readConfigOrReport(configFile, err);
  if (!config) return EXIT_INVALID_CONFIG;

  // --by-entry weighs every entry, the disabled ones too: that is how one is judged before enabling it.
  const replayed = opts.byEntry ? { ...config, watch: config.watch.map((w) => ({ ...w, enabled: true })) } : config;
  let ctx;
  try {
    ctx = await createReplayContext(replayed, { airportsFile: opts.airports });
  } catch (e) {
    err(`replay: ${(e as Error).message}\n`);
    return EXIT_INVALID_CONFIG;
  }
  for (const w of ctx.warnings) err(`replay: warning: ${w}\n`);

  const summary = new EventSummary();
  const byEntry = opts.byEntry ? new EntrySummary(config.watch, config.alerts) : undefined;
  const quiet = opts.summary || opts.byEntry;
  const toDeliver: FlightEvent[] = [];
  const bar = io.stderr.isTTY ? new ProgressBar(io.stderr) : undefined;
  const print = (events: FlightEvent[]) => {
    summary.add(events);
    byEntry?.add(events);
    if (opts.deliver || opts.archive) toDeliver.push(...events);
    if (quiet) return;
    let out = '';
    for (const e of events) out += (opts.json ? JSON.stringify(e) : formatEventLine(e)) + '\n';
    bar?.done(); // stdout and stderr share the terminal: clear the bar line first (it is redrawn on the next update)
    io.stdout.write(out);
  };

  let stats: ReplayStats;
  try {
    stats = await runReplay(paths, {
      watchlist: ctx.watchlist,
      detector: ctx.detector,
      enrich: ctx.enrich,
      format: opts.format ?? 'auto',
      stepS: opts.step,
      tailS: opts.tail,
      onEvents: print,
      onFileError: (e) => {
        bar?.done();
        err(`replay: ${e.message} — file skipped\n`);
      },
      onRejected: (file, n, reasons) => {
        bar?.done();
        err(
          `replay: ${file}: ${n} record${n === 1 ? '' : 's'} skipped${reasons.length ? ` (${reasons.slice(0, 3).join('; ')})` : ''}\n`,
        );
      },
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
  } finally {
    bar?.done();
  }

  if (opts.summary)
    io.stdout.write(
      opts.json ? JSON.stringify({ ...summary.toJSON(), replay: statsJson(stats) }) + '\n' : summary.format(),
    );
  if (byEntry) {
    const span = stats.firstTime !== undefined ? stats.lastTime! - stats.firstTime : 0;
    io.stdout.write(
      opts.json
        ? JSON.stringify({ entries: byEntry.rows(), spanSeconds: span / 1000, replay: statsJson(stats) }) + '\n'
        : byEntry.format(),
    );
  }
  const bad = stats.badFiles.length;
  err(
    `replay: ${stats.files - bad}/${stats.files} files, ${stats.positions} positions, ${stats.matched} watched, ${stats.events} events` +
      (stats.firstTime !== undefined ? `, ${iso(stats.firstTime)} → ${iso(stats.lastTime!)}` : '') +
      (bad ? `; ${bad} bad file${bad === 1 ? '' : 's'}` : '') +
      '\n',
  );
  if (opts.archive || (opts.deliver && config.archive.enabled)) {
    // Before delivery: the record holds what was replayed even when a channel is down.
    try {
      const a = await archiveReplayedEvents(toDeliver, { config });
      err(`replay: archived ${a.archived} new events (${a.skipped} already there) in ${a.where}\n`);
    } catch (e) {
      err(`replay: archiving failed: ${(e as Error).message}\n`);
      if (!opts.deliver) return EXIT_BAD_INPUT;
    }
  }
  if (opts.deliver) {
    // Logs to stderr: stdout stays the events (NDJSON with --json).
    const log = createLogger({ destination: process.stderr, level: process.env.LOG_LEVEL ?? 'warn' });
    try {
      const d = await deliverReplayedEvents(toDeliver, { config, log, redisUrl: opts.redisUrl });
      const c = d.counts;
      err(
        `replay: delivered ${c.delivered} alert${c.delivered === 1 ? '' : 's'} for ${d.events} events` +
          ` (already delivered ${c.duplicate}, silenced ${c.silenced}, suppressed by repeatInterval ${c.suppressed},` +
          ` dead-lettered ${c['dead-lettered']}, still retrying ${c.retrying}, pending ${c.pending})` +
          `${d.inProcess ? ' in-process' : ' by the running worker'}\n`,
      );
      if (d.digests.events)
        err(
          `replay: ${d.digests.events} event${d.digests.events === 1 ? '' : 's'} matched only digest entries: ` +
            `not alerted one by one but summed up in ${d.digests.alerts} digest alert${d.digests.alerts === 1 ? '' : 's'}` +
            ` (one per channel and alerts.digest.period of event time; counted above)\n`,
        );
      if (unsettledCount(d) > 0) return EXIT_BAD_INPUT;
    } catch (e) {
      err(`replay: --deliver failed: ${(e as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
  }
  return bad ? EXIT_BAD_INPUT : 0;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function statsJson(s: ReplayStats) {
  return {
    files: s.files,
    badFiles: s.badFiles.map((e) => ({ file: e.file, at: e.at, problem: e.problem })),
    positions: s.positions,
    matched: s.matched,
    steps: s.steps,
    events: s.events,
  };
}

const seconds = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name} must be a number of seconds ≥ 0, got ${JSON.stringify(v)}`);
  return n;
};

export function register(program: Command): void {
  program
    .command('replay')
    .description(
      'replay recorded ADS-B data (readsb traces, aircraft.json, OpenSky states) through the detector; backtest a watchlist',
    )
    .argument('<path...>', 'files or directories (searched recursively), replayed in time order')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .addOption(new Option('-f, --format <format>', 'input format').choices(['auto', ...REPLAY_FORMATS]).default('auto'))
    .option('--json', 'print events as NDJSON (one event document per line)')
    .option('--summary', 'print counts by event type and watch entry instead of the events')
    .option(
      '--by-entry',
      'print how many alerts each watch entry (disabled ones too) would have produced, instead of the events',
    )
    .option('--step <seconds>', 'trace positions are grouped into detector steps of this length', seconds('--step'), 1)
    .option(
      '--tail <seconds>',
      'after the last record, let the clock run on this long (resolves inferred landings); 0 disables',
      seconds('--tail'),
      3600,
    )
    .option('--airports <file>', 'airport table to use instead of the configured one')
    .option(
      '--deliver',
      'send the events through the real queues, routing and channels (Redis required); waits until every alert settled',
    )
    .option('--archive', 'write the events into the archive (DATABASE_URL or <data.dir>/archive.sqlite); no delivery')
    .option(
      '--redis-url <url>',
      'Redis for --deliver (default: $REDIS_URL, else the embedded one, else 127.0.0.1:6379)',
    )
    .action(async (paths: string[], opts: ReplayCommandOptions) => {
      process.exitCode = await replayAction(paths, opts);
    });
}
