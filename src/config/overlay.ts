/**
 * The watchlist overlay: a second YAML file, named by `watchlistOverlay:` in the config, whose `watch:` entries
 * join the config's own. It exists because the config is often read-only where the worker runs (a compose or
 * ConfigMap mount) while `flightwatch candidates accept` must be able to write somewhere. Each overlay entry is
 * validated on its own, so a problem names the overlay file and its line; an id in both files names both.
 */
import { isAbsolute, resolve } from 'node:path';
import { LineCounter, isMap, isNode, parseDocument } from 'yaml';
import { watchEntrySchema } from './schema';
import { keepCodesAsText } from './yaml-codes';
import type { ConfigProblem } from './problem';

export interface Overlay {
  file: string;
  /** The overlay's entries as written (validated one by one; the whole config is validated after merging). */
  entries: unknown[];
  /** How many entries came from the config file itself: merged entries from this index on are the overlay's. */
  mainCount: number;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
  /** Line of a path inside the overlay (`['watch', 2, 'match']`). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** The config's own entries, for the duplicate check: where they are, to name them. */
export interface MainWatch {
  entries: readonly unknown[];
  file: string;
  lineOf(index: number): number | undefined;
}

/** The overlay file the raw config names (resolved against the config's folder), or undefined. */
export function overlayOf(raw: unknown, baseDir: string): string | undefined {
  const path = raw && typeof raw === 'object' ? (raw as { watchlistOverlay?: unknown }).watchlistOverlay : undefined;
  if (typeof path !== 'string' || !path.trim()) return undefined;
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

const idOf = (e: unknown) =>
  e && typeof e === 'object' && typeof (e as { id?: unknown }).id === 'string' ? (e as { id: string }).id : undefined;

const fmt = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)),
    '',
  );

/** Reads and checks the overlay; a missing file is a warning (the first `candidates accept` creates it). */
export function readOverlay(file: string, read: (path: string) => string, main: MainWatch): Overlay {
  const out: Overlay = {
    file,
    entries: [],
    mainCount: main.entries.length,
    problems: [],
    warnings: [],
    lineOf: () => undefined,
  };
  const problem = (path: readonly PropertyKey[], message: string, line?: number) =>
    out.problems.push({ path: fmt(path), message, file, ...(line ? { line } : {}) });
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      out.warnings.push({
        path: 'watchlistOverlay',
        file,
        message: 'the watchlist overlay does not exist yet: no entries from it (`candidates accept` creates it)',
      });
      return out;
    }
    problem([], `cannot read the watchlist overlay: ${(e as Error).message}`);
    return out;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) problem([], `YAML syntax: ${e.message.split('\n')[0]}`, lines.linePos(e.pos[0]).line);
  if (out.problems.length) return out;
  keepCodesAsText(doc);
  out.lineOf = (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  if (doc.contents === null) return out; // an empty file: no entries yet
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    problem([], `YAML: ${(e as Error).message}`);
    return out;
  }
  if (!isMap(doc.contents) || !raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problem([], 'expected a mapping with a `watch:` list', out.lineOf([]));
    return out;
  }
  for (const key of Object.keys(raw))
    if (key !== 'watch') problem([key], 'only `watch:` belongs in a watchlist overlay', out.lineOf([key]));
  const watch = (raw as { watch?: unknown }).watch ?? [];
  if (!Array.isArray(watch)) {
    problem(['watch'], 'expected a list of watch entries', out.lineOf(['watch']));
    return out;
  }
  checkEntries(watch, main, out, problem);
  if (!out.problems.length) out.entries = watch;
  return out;
}

function checkEntries(
  watch: unknown[],
  main: MainWatch,
  out: Overlay,
  problem: (path: readonly PropertyKey[], message: string, line?: number) => void,
): void {
  const mainIds = new Map<string, number>();
  main.entries.forEach((e, i) => {
    const id = idOf(e);
    if (id !== undefined && !mainIds.has(id)) mainIds.set(id, i);
  });
  const seen = new Map<string, number>();
  watch.forEach((entry, i) => {
    const parsed = watchEntrySchema.safeParse(entry);
    if (!parsed.success)
      for (const iss of parsed.error.issues) {
        const path = ['watch', i, ...iss.path];
        problem(path, iss.message, out.lineOf(path));
      }
    const id = idOf(entry);
    if (id === undefined) return;
    const at = ['watch', i, 'id'];
    const inMain = mainIds.get(id);
    const inOverlay = seen.get(id);
    if (inMain !== undefined) {
      const line = main.lineOf(inMain);
      problem(
        at,
        `${JSON.stringify(id)} is also watch[${inMain}] in ${main.file}${line ? ` (line ${line})` : ''}: ids must be unique across both files`,
        out.lineOf(at),
      );
    } else if (inOverlay !== undefined)
      problem(at, `${JSON.stringify(id)} is already used by watch[${inOverlay}] in this overlay`, out.lineOf(at));
    else seen.set(id, i);
  });
}
