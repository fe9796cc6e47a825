/**
 * `flightwatch poll --once`: one cycle against the configured sources, printing each matched aircraft.
 * No Redis: this is the first command a new user runs to see that sources and the watchlist work.
 */
import type { Command } from 'commander';
import { resolveConfigPath } from '../../config/load';
import { buildIngest } from '../../ingest/build';
import { runPollCycle } from '../../ingest/poll-cycle';
import { createLogger } from '../../util/log';
import type { MatchedAircraft } from '../../domain/watchlist';
import { EXIT_INVALID_CONFIG, readConfigOrReport } from './check-config';
import { loadEnrichment } from '../../enrich/load';

function describe(a: MatchedAircraft, now: number): string {
  const id = [a.registration, a.type, a.callsign].filter(Boolean).join(' ') || '(no id)';
  const where = a.lat !== undefined && a.lon !== undefined ? `${a.lat.toFixed(4)},${a.lon.toFixed(4)}` : 'no position';
  const alt = a.onGround ? 'ground' : a.altFt !== undefined ? `${a.altFt} ft` : 'alt ?';
  const age = a.positionAgeS !== undefined ? ` pos ${Math.round(a.positionAgeS)}s old` : '';
  const seen = Math.max(0, Math.round((now - a.observedAt) / 1000));
  return `${a.hex}  ${id}  ${where}  ${alt}${a.gsKt !== undefined ? ` ${Math.round(a.gsKt)} kt` : ''}${age}  seen ${seen}s ago via ${a.sourceId}  [${a.watch.ids.join(', ')}]`;
}

export function register(program: Command): void {
  program
    .command('poll')
    .description('run one poll cycle against the configured sources and print matched aircraft (no Redis needed)')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .option('--once', 'run a single cycle (the only mode; the worker polls on the schedule)', true)
    .option('--json', 'NDJSON: one normalized state plus watch {ids, tags} per line')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const config = readConfigOrReport(resolveConfigPath(opts.config));
      if (!config) {
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      // Logs go to stderr so stdout stays the data (NDJSON with --json).
      const log = createLogger({ destination: process.stderr, level: process.env.LOG_LEVEL ?? 'warn' });
      const enrich = loadEnrichment(config, log);
      const ingest = buildIngest(config, { log, enrich });
      try {
        const r = await runPollCycle({
          sources: ingest.sources,
          plan: ingest.plan,
          watchlist: ingest.watchlist,
          enrich,
          log,
        });
        const now = Date.now();
        for (const a of r.matched) process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : `${describe(a, now)}\n`);
        const tried = r.attempts.map(
          (t) =>
            `${t.sourceId}:${t.ok ? 'ok' : t.skipped ? `skipped (${t.skipped})` : `failed (${t.error?.kind}: ${t.error?.message})`}`,
        );
        process.stderr.write(
          `${r.matched.length} matched of ${r.states} aircraft in ${r.durationMs} ms; ` +
            `${r.servedBy ? `served by ${r.servedBy}` : 'no source could serve the cycle'}; ${tried.join(', ')}\n`,
        );
        if (!r.servedBy) process.exitCode = 1;
      } finally {
        ingest.close();
      }
    });
}
