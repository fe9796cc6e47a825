/**
 * The data dir a CLI command shares with the worker. The worker only knows `data.dir` from its config, so
 * commands that must agree with it (`data update`, finding its embedded Redis) read the same config file
 * ($FLIGHTWATCH_CONFIG or config/flightwatch.yaml, or --config) and use its `data.dir` when it is valid.
 */
import { existsSync } from 'node:fs';
import { ConfigError, formatProblem, loadConfig, resolveConfigPath } from './load';

export const DEFAULT_DATA_DIR = 'data';

export type ConfigDataDir =
  | { ok: true; dir: string; file: string }
  /** `missing`: no file at all (normal on a checkout without a config); otherwise it is invalid. */
  | { ok: false; file: string; missing: boolean; reason: string };

export function configDataDir(configFlag?: string, env: NodeJS.ProcessEnv = process.env): ConfigDataDir {
  const file = resolveConfigPath(configFlag, env);
  if (!existsSync(file)) return { ok: false, file, missing: true, reason: `${file} does not exist` };
  try {
    return { ok: true, dir: loadConfig(file).data.dir, file };
  } catch (e) {
    const reason =
      e instanceof ConfigError
        ? `${e.problems.length} problem(s) in ${file}, first: ${formatProblem(e.problems[0]!)}`
        : (e as Error).message;
    return { ok: false, file, missing: false, reason };
  }
}

export interface DataDirChoice {
  dir: string;
  /** Where it came from, for the user: "--dir", "$FLIGHTWATCH_DATA_DIR", "data.dir in <file>", "default". */
  from: string;
  /** Set when a config file exists but was not used (invalid). */
  warning?: string;
}

export class DataDirConfigError extends Error {
  override name = 'DataDirConfigError';
}

/**
 * The data dir for `flightwatch data update|status`: explicit flags first (--dir, then --config's data.dir),
 * then $FLIGHTWATCH_DATA_DIR, then data.dir of the config the worker reads by default, then ./data. An
 * explicit --config that is missing or invalid is an error (it would silently put the tables elsewhere);
 * an invalid default config only earns a warning.
 */
export function chooseDataDir(
  o: { dir?: string; config?: string },
  env: NodeJS.ProcessEnv = process.env,
): DataDirChoice {
  if (o.dir) return { dir: o.dir, from: '--dir' };
  if (o.config) {
    const c = configDataDir(o.config, env);
    if (!c.ok) throw new DataDirConfigError(`--config ${o.config}: ${c.reason}; fix it or pass --dir`);
    return { dir: c.dir, from: `data.dir in ${c.file}` };
  }
  if (env.FLIGHTWATCH_DATA_DIR) return { dir: env.FLIGHTWATCH_DATA_DIR, from: '$FLIGHTWATCH_DATA_DIR' };
  const c = configDataDir(undefined, env);
  if (c.ok) return { dir: c.dir, from: `data.dir in ${c.file}` };
  return {
    dir: DEFAULT_DATA_DIR,
    from: 'default',
    ...(c.missing ? {} : { warning: `not using data.dir from ${c.file}: ${c.reason}` }),
  };
}
