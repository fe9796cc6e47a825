/**
 * `flightwatch archive rebuild|prune|backup`: upkeep of the flight record (docs/archive.md). The archive is
 * the worker's: DATABASE_URL, else archive.file, else <data.dir>/archive.sqlite of the config.
 * Exit 0; 1 when the archive or Redis cannot be used (the reason is printed); 2 when the config is invalid.
 */
import type { Command } from 'commander';
import { resolveConfigPath } from '../../config/load';
import type { Config } from '../../config/schema';
import { openArchive, type Archive } from '../../archive/open';
import { archiveErrorFrom } from '../../archive/errors';
import { backupSqlite, pruneArchive, rebuildFromHistory } from '../../archive/maintenance';
import { capturesKey } from '../../archive/capture';
import { keys } from '../../alerting/keys';
import { RedisConnectError, redisPrefix, withRedis } from '../../pipeline/connection';
import { REDIS_URL_HELP, redisUrl } from '../../runtime/redis/cli-redis-url';
import { archiveTarget } from '../../runtime/archive-setup';
import { createLogger } from '../../util/log';
import { cliAction } from '../action';
import { EXIT_INVALID_CONFIG, readConfigOrReport } from './check-config';

const say = (s: string) => void process.stdout.write(s + '\n');

async function withArchive(o: { config?: string }, fn: (a: Archive, config: Config) => Promise<void>): Promise<void> {
  const config = readConfigOrReport(resolveConfigPath(o.config));
  if (!config) {
    process.exitCode = EXIT_INVALID_CONFIG;
    return;
  }
  let archive: Archive;
  try {
    archive = await openArchive(archiveTarget(config, process.env));
  } catch (e) {
    process.stderr.write(`flightwatch archive: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  try {
    await fn(archive, config);
  } catch (e) {
    // Driver errors (disk full, a dropped connection) are named like the archiver names them.
    if (e instanceof RedisConnectError) throw e;
    process.stderr.write(`flightwatch archive: ${archiveErrorFrom(e, archive.where).message}\n`);
    process.exitCode = 1;
  } finally {
    await archive.close();
  }
}

export function register(program: Command): void {
  const cmd = program.command('archive').description('the flight record: rebuild, prune, backup');
  const configOpt = [
    '-c, --config <file>',
    'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)',
  ] as const;
  cmd
    .command('rebuild')
    .description('re-read the whole retained detection history into the archive (adds what is missing, twice nothing)')
    .option(...configOpt)
    .option('--redis-url <url>', REDIS_URL_HELP)
    .action(
      cliAction('archive', async (o: { config?: string; redisUrl?: string }) =>
        withArchive(o, async (archive, config) => {
          const log = createLogger({ destination: process.stderr, level: process.env.LOG_LEVEL ?? 'warn' });
          const url = o.redisUrl ?? (await redisUrl({ dataDir: config.data.dir }));
          const prefix = redisPrefix();
          const r = await withRedis(url, (redis) =>
            rebuildFromHistory(archive, {
              redis,
              historyKey: keys(prefix).history,
              capturesKey: capturesKey(prefix),
              log,
              batchSize: config.archive.batchSize,
            }),
          );
          say(`archive rebuild: ${r.events} events added, ${r.positions} positions read into ${archive.where}`);
        }),
      ),
    );
  cmd
    .command('prune')
    .description('delete positions and raw replies older than archive.rawRetentionDays (legs, trips, events stay)')
    .option(...configOpt)
    .option('--days <n>', 'keep this many days instead of archive.rawRetentionDays', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--days must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
      return n;
    })
    .action(
      cliAction('archive', async (o: { config?: string; days?: number }) =>
        withArchive(o, async (archive, config) => {
          const r = await pruneArchive(archive, o.days ?? config.archive.rawRetentionDays);
          say(
            `archive prune: removed ${r.positions} positions and ${r.replies} raw replies older than ` +
              `${new Date(r.before).toISOString()} from ${archive.where}`,
          );
        }),
      ),
    );
  cmd
    .command('backup')
    .description('consistent copy of a live SQLite archive (PostgreSQL: use pg_dump, see docs/archive.md)')
    .requiredOption('--out <file>', 'the copy to write (must not exist)')
    .option(...configOpt)
    .action(
      cliAction('archive', async (o: { config?: string; out: string }) =>
        withArchive(o, async (archive) => {
          await backupSqlite(archive, o.out);
          say(`archive backup: ${archive.where} → ${o.out}`);
        }),
      ),
    );
}
