/**
 * What the record commands (`evidence`, `export`, `review`) share: the config (when there is one), the archive
 * it points at (DATABASE_URL, else `archive.file`, else `<data.dir>/archive.sqlite`), the classification rules,
 * and one error printer, so a missing archive or a bad argument is one clear line and exit 1, never a stack.
 */
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { classifySchema, type ClassifyConfig } from '../config/classify-schema';
import { ConfigError, formatProblem, loadConfig, resolveConfigPath } from '../config/load';
import type { Config } from '../config/schema';
import { DEFAULT_DATA_DIR } from '../config/data-dir';
import { archiveFileIn, openArchive, type Archive } from '../archive/open';
import { ArchiveError } from '../archive/errors';
import { recordDb, type RecordDatabase } from '../archive/record-schema';
import { classifyStaleLegs } from '../archive/classify/store';
import { cliAction } from './action';
export { watchEntriesFrom } from '../archive/evidence/watch-entries';

export class CliInputError extends Error {
  override name = 'CliInputError';
}

export interface RecordContext {
  archive: Archive;
  db: Kysely<RecordDatabase>;
  rules: ClassifyConfig;
  dataDir: string;
  config?: Config;
}

/** The config if its file exists (an explicit --config must exist); errors name every problem. */
export function recordConfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Config | undefined {
  const file = resolveConfigPath(flag, env);
  if (!existsSync(file)) {
    if (flag) throw new CliInputError(`--config ${flag} does not exist`);
    return undefined;
  }
  try {
    return loadConfig(file);
  } catch (e) {
    if (e instanceof ConfigError)
      throw new CliInputError(`${file}: ${e.problems.map(formatProblem).join('; ')}`, { cause: e });
    throw e;
  }
}

export function dataDirOf(config: Config | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return config?.data.dir ?? env.FLIGHTWATCH_DATA_DIR ?? DEFAULT_DATA_DIR;
}

/** Opens the archive (migrating it forward) and brings classifications up to date with the rules. */
export async function openRecord(o: { config?: string }, env: NodeJS.ProcessEnv = process.env): Promise<RecordContext> {
  const config = recordConfig(o.config, env);
  const dataDir = dataDirOf(config, env);
  const databaseUrl = env.DATABASE_URL;
  const file = config?.archive.file ?? archiveFileIn(dataDir);
  if (!databaseUrl && !existsSync(file))
    throw new CliInputError(`no archive at ${file} (set DATABASE_URL for PostgreSQL, or run the worker first)`);
  const archive = await openArchive(databaseUrl ? { databaseUrl } : { file });
  const db = recordDb(archive.db);
  const rules = config?.classify ?? classifySchema.parse(undefined);
  try {
    await classifyStaleLegs(db, rules);
  } catch (e) {
    await archive.close();
    throw e;
  }
  return { archive, db, rules, dataDir, ...(config ? { config } : {}) };
}

const KNOWN = [
  'CliInputError',
  'ArchiveError',
  'ReviewError',
  'EvidenceNotFoundError',
  'EvidencePathError',
  'EvidenceKeyError',
  'PeriodError',
  'CandidateError',
];

const isRecordFailure = (e: unknown): boolean =>
  e instanceof ArchiveError || (e instanceof Error && KNOWN.includes(e.name));

/** Runs a record command: known failures print one line (`flightwatch <name>: …`) and exit 1. */
export function recordAction<A extends unknown[]>(
  name: string,
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return cliAction(name, fn, isRecordFailure);
}
