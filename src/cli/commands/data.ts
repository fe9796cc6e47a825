/**
 * `flightwatch data update|status`: download and validate the reference tables into the data dir, and show
 * which airport table the worker would use. Exit 1 when the update fails (previous files are kept).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { loadAirportTable } from '../../data/load-airports';
import { TABLES, tableSpec, type TableId } from '../../data/sources';
import { runDataUpdate, UpdateError } from '../../data/update';
import { chooseDataDir, DataDirConfigError } from '../../config/data-dir';
import { EXIT_INVALID_CONFIG } from './check-config';

const RETRY_DELAYS_MS = [2_000, 10_000, 30_000];
const DIR_HELP = 'data dir (default: $FLIGHTWATCH_DATA_DIR, else data.dir of the config the worker reads, else "data")';
const CONFIG_HELP =
  'config file whose data.dir to use (without it: $FLIGHTWATCH_DATA_DIR, then $FLIGHTWATCH_CONFIG or config/flightwatch.yaml); --dir wins';

/** The worker reads data.dir from its config; without --dir, so do we (see chooseDataDir for the order). */
function dataDir(opts: { dir?: string; config?: string }): string | undefined {
  try {
    const c = chooseDataDir(opts);
    if (c.warning) process.stderr.write(`warning: ${c.warning}\n`);
    // Say where the tables go unless the user just typed it.
    if (c.from !== '--dir') process.stderr.write(`data dir ${c.dir} (${c.from})\n`);
    return c.dir;
  } catch (e) {
    if (!(e instanceof DataDirConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = EXIT_INVALID_CONFIG;
    return undefined;
  }
}

function parseUrlOverride(
  value: string,
  prev: Partial<Record<TableId, string>> = {},
): Partial<Record<TableId, string>> {
  const eq = value.indexOf('=');
  const id = value.slice(0, eq);
  if (eq < 1 || !tableSpec(id))
    throw new InvalidArgumentError(
      `expected TABLE=URL with TABLE one of ${TABLES.map((t) => t.id).join(', ')}; got ${JSON.stringify(value)}`,
    );
  return { ...prev, [id]: value.slice(eq + 1) };
}

export function register(program: Command): void {
  const data = program.command('data').description('reference data (airports, aircraft): download and inspect');

  data
    .command('update')
    .description('download, validate and install the reference tables, then build <dir>/airports.json')
    .option('-d, --dir <dir>', DIR_HELP)
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--from <url>', 'base URL serving every table under its file name (mirror)')
    .option(
      '--url <table=url>',
      `override one table's URL (tables: ${TABLES.map((t) => t.id).join(', ')}); repeatable`,
      parseUrlOverride,
    )
    .option('--timeout <seconds>', 'per-download timeout', (v) => Number(v), 120)
    .option('--retries <n>', 'retries of a network error, 5xx or 429 (waits 2 s, 10 s, 30 s)', (v) => Number(v), 2)
    .action(
      async (opts: {
        dir?: string;
        config?: string;
        from?: string;
        url?: Partial<Record<TableId, string>>;
        timeout: number;
        retries: number;
      }) => {
        const dir = dataDir(opts);
        if (dir === undefined) return;
        try {
          const r = await runDataUpdate({
            dir,
            from: opts.from,
            urls: opts.url,
            timeoutMs: opts.timeout * 1000,
            retryDelaysMs: RETRY_DELAYS_MS.slice(0, Math.max(0, opts.retries)),
            log: (m) => process.stderr.write(`${m}\n`),
          });
          const updated = r.tables.filter((t) => t.status === 'updated').length;
          process.stdout.write(
            `${dir}: ${updated}/${r.tables.length} tables updated, ${r.airports.airports} airports${r.warnings.length ? `, ${r.warnings.length} warning(s)` : ''}\n`,
          );
        } catch (e) {
          process.stderr.write(
            `${e instanceof UpdateError ? e.message : `data update failed; previous files kept: ${(e as Error).message}`}\n`,
          );
          process.exitCode = 1;
        }
      },
    );

  data
    .command('status')
    .description('show which airport table would be used and how many airports it has')
    .option('-d, --dir <dir>', DIR_HELP)
    .option('-c, --config <file>', CONFIG_HELP)
    .action(async (opts: { dir?: string; config?: string }) => {
      const dir = dataDir(opts);
      if (dir === undefined) return;
      try {
        const t = await loadAirportTable({ dir });
        const withTz = t.airports.filter((a) => a.tz).length;
        process.stdout.write(
          `${t.origin}: ${t.airports.length} airports (${withTz} with time zone)${t.generatedAt ? `, generated ${t.generatedAt}` : ''}\n`,
        );
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
