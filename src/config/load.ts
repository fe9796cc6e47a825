/**
 * Reads and validates the YAML config. Pure apart from reading the file: `parseConfigText` takes the text
 * and returns either the typed config or every problem, each with its path and YAML line (and registers the
 * secrets a valid config names with the redaction layer).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { keepCodesAsText } from './yaml-codes';
import { validate as validateCron } from 'node-cron';
import { configSchema, type Config } from './schema';
import { overlayOf, readOverlay, type Overlay } from './overlay';
import type { ConfigProblem } from './problem';
import { registerConfigSecrets } from '../util/redact';

export const DEFAULT_CONFIG_PATH = 'config/flightwatch.yaml';

export type { ConfigProblem };

/**
 * A valid config may still carry warnings (a deprecated key, a missing overlay file): print or log them once
 * per load. `notices` are advice only `check-config` prints (an entry without `source`): old configs load.
 * `overlayFile`: the watchlist overlay the config names, resolved (read or not yet created).
 */
export type ConfigResult =
  | { ok: true; config: Config; warnings: ConfigProblem[]; notices: ConfigProblem[]; overlayFile?: string }
  | { ok: false; problems: ConfigProblem[] };

/** Where the config came from: its file (relative overlay paths resolve from its folder) and how to read one. */
export interface ConfigInputs {
  file?: string;
  /** Reads a file the config names (the watchlist overlay); default: readFileSync. */
  readFile?: (path: string) => string;
}

/**
 * Keys renamed since an earlier release, still read: the old top-level `routes:` (trips, en-route prediction)
 * is `trips:` since the word "routes" means alert routing (`alerts.routes`); its `trips:` block is `stitch:`.
 */
function renameDeprecatedKeys(raw: unknown): {
  raw: unknown;
  warnings: Omit<ConfigProblem, 'line'>[];
  renamed: Map<string, string>;
} {
  const renamed = new Map<string, string>();
  if (!raw || typeof raw !== 'object' || !('routes' in raw) || 'trips' in raw) return { raw, warnings: [], renamed };
  const { routes, ...rest } = raw as Record<string, unknown>;
  let trips = routes;
  renamed.set('trips', 'routes');
  if (trips && typeof trips === 'object' && 'trips' in trips && !('stitch' in trips)) {
    const { trips: stitch, ...others } = trips as Record<string, unknown>;
    trips = { ...others, stitch };
    renamed.set('trips.stitch', 'routes.trips');
  }
  const message =
    'deprecated: `routes:` is now `trips:` (and its `trips:` block `stitch:`); the old keys are still read — rename them';
  return { raw: { ...rest, trips }, warnings: [{ path: 'routes', message }], renamed };
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s) in config\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.path || '(file)';
  const at = [p.file, p.line ? `line ${p.line}` : undefined].filter(Boolean).join(' ');
  return at ? `${where} (${at}): ${p.message}` : `${where}: ${p.message}`;
}

/** The config file to use: explicit flag, then FLIGHTWATCH_CONFIG, then the default. */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.FLIGHTWATCH_CONFIG ?? DEFAULT_CONFIG_PATH);
}

export function parseConfigText(text: string, inputs: ConfigInputs = {}): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
        line: lineCounter.linePos(e.pos[0]).line,
      })),
    };
  }
  keepCodesAsText(doc);
  let renamed = new Map<string, string>();
  /** The path as written in the file (a deprecated key's old name). */
  const inFile = (path: readonly PropertyKey[]): readonly PropertyKey[] => {
    for (const n of [2, 1]) {
      const old = renamed.get(path.slice(0, n).join('.'));
      if (old !== undefined && path.length >= n) return [...old.split('.'), ...path.slice(n)];
    }
    return path;
  };
  const lineOf = (written: readonly PropertyKey[]): number | undefined => {
    const path = inFile(written);
    // Walk up until a node with a source position exists (missing keys have none).
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };

  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (e) {
    // toJS throws for an alias without its anchor (`*a` before `&a`) or an alias bomb: report it, do not crash.
    const message = (e as Error).message;
    const alias = /: (\S+)$/.exec(message)?.[1];
    const at = alias ? text.indexOf(`*${alias}`) : text.search(/\*[^\s*]/);
    return {
      ok: false,
      problems: [{ path: '', message: `YAML: ${message}`, ...(at >= 0 ? { line: lineCounter.linePos(at).line } : {}) }],
    };
  }
  const deprecated = renameDeprecatedKeys(raw);
  renamed = deprecated.renamed;
  const warnings: ConfigProblem[] = deprecated.warnings.map((w) => ({ ...w, line: lineOf(w.path.split('.')) }));
  // The watchlist overlay's entries join the file's own before validation: routes may name them, ids stay unique.
  let overlay: Overlay | undefined;
  const overlayFile = overlayOf(deprecated.raw, inputs.file ? dirname(resolve(inputs.file)) : process.cwd());
  if (overlayFile) {
    const written = (deprecated.raw as { watch?: unknown }).watch;
    const mainWatch: unknown[] = Array.isArray(written) ? (written as unknown[]) : [];
    overlay = readOverlay(overlayFile, inputs.readFile ?? ((p) => readFileSync(p, 'utf8')), {
      entries: mainWatch,
      file: inputs.file ?? 'the config',
      lineOf: (i) => lineOf(['watch', i]),
    });
    if (overlay.problems.length) return { ok: false, problems: overlay.problems };
    warnings.push(...overlay.warnings);
    if (overlay.entries.length) (deprecated.raw as { watch?: unknown }).watch = [...mainWatch, ...overlay.entries];
  }
  const ownEntries = overlay ? overlay.mainCount : Number.POSITIVE_INFINITY;
  /** A problem under watch[i] of a merged list belongs to the overlay from index ownEntries on. */
  const problemAt = (path: readonly PropertyKey[], message: string): ConfigProblem => {
    const i = path[0] === 'watch' && typeof path[1] === 'number' ? path[1] : -1;
    if (overlay && i >= ownEntries) {
      const at = ['watch', i - ownEntries, ...path.slice(2)];
      return { path: formatPath(at), message, line: overlay.lineOf(at), file: overlay.file };
    }
    return { path: formatPath(inFile(path)), message, line: lineOf(path) };
  };
  const parsed = configSchema.safeParse(deprecated.raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((iss) => problemAt(iss.path, iss.message));
    return { ok: false, problems };
  }
  const problems: ConfigProblem[] = [];
  if (!validateCron(parsed.data.poll.schedule))
    problems.push({
      path: 'poll.schedule',
      message: `${JSON.stringify(parsed.data.poll.schedule)} is not a cron expression`,
      line: lineOf(['poll', 'schedule']),
    });
  if (problems.length) return { ok: false, problems };
  // Every secret a valid config names by env var is masked wherever it leaves the process (util/redact):
  // the worker, its reloads and every CLI command read the config through here.
  registerConfigSecrets(parsed.data);
  // Provenance: every entry says where its fact comes from; an entry without is advice, not an error.
  const notices = parsed.data.watch.flatMap((w, i) =>
    w.source?.trim()
      ? []
      : [problemAt(['watch', i], `entry ${JSON.stringify(w.id)} has no \`source\`: say where the fact comes from`)],
  );
  return { ok: true, config: parsed.data, warnings, notices, ...(overlayFile ? { overlayFile } : {}) };
}

/** Loads and validates; throws ConfigError listing every problem. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read config: ${(e as Error).message}` }]);
  }
  const result = parseConfigText(text, { file });
  if (!result.ok) throw new ConfigError(file, result.problems);
  return result.config;
}

/** Env variables a config refers to by name that are not set (warnings: a secret may be injected later). */
export function missingEnv(config: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  const names: string[] = [];
  for (const s of config.sources) {
    if (s.kind === 'readsb-v2' && s.auth) names.push(s.auth.keyEnv);
    if (s.kind === 'opensky') for (const n of [s.clientIdEnv, s.clientSecretEnv]) if (n) names.push(n);
  }
  return [...new Set(names)].filter((n) => !env[n]);
}
