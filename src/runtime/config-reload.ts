/**
 * Config reload: SIGHUP or a change of the config file. The file is validated first; an invalid file keeps
 * the running config and logs every problem (path, line, message). The directory is watched rather than
 * the file because editors and `kubectl`/ConfigMap updates replace the file (rename), which ends a watch on
 * the old inode. Changes are debounced: editors write in several steps. The watchlist overlay the config names
 * (`watchlistOverlay`) is read with it and watched the same way: `candidates accept` writing it reloads.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { formatProblem, parseConfigText } from '../config/load';
import type { Config } from '../config/schema';
import type { ReloadPlan } from './reload-plan';
import type { Logger } from '../util/log';

export type ReloadOutcome = { ok: true; plan: ReloadPlan; unchanged?: boolean } | { ok: false; problems: string[] };

export interface ConfigReloader {
  /** Reads, validates and applies the file now. */
  reload(reason: string): ReloadOutcome;
  stop(): void;
}

export function createConfigReloader(o: {
  file: string;
  apply: (c: Config) => ReloadPlan;
  log: Logger;
  /** ms; a function so a reload can change it. */
  debounceMs: () => number;
  /** Watch the file for changes (default true). */
  watchFile?: boolean;
}): ConfigReloader {
  const { log } = o;
  /** The config text and the overlay's (when it names one), as last read: a change event with both alike is none. */
  let lastInputs: string | undefined;
  const readInputs = (text: string) => {
    const read: string[] = [text];
    const r = parseConfigText(text, {
      file: o.file,
      readFile: (p) => {
        const t = readFileSync(p, 'utf8');
        read.push(t);
        return t;
      },
    });
    return { r, inputs: read.join('\0') };
  };
  let overlayFile: string | undefined;
  try {
    const first = readInputs(readFileSync(o.file, 'utf8'));
    lastInputs = first.inputs;
    if (first.r.ok) overlayFile = first.r.overlayFile;
  } catch {
    /* reported on the first reload */
  }

  const reload = (reason: string): ReloadOutcome => {
    let text: string;
    try {
      text = readFileSync(o.file, 'utf8');
    } catch (e) {
      const problem = `cannot read config: ${(e as Error).message}`;
      log.error({ config: o.file, reason, problems: [problem] }, 'config reload failed; keeping the running config');
      return { ok: false, problems: [problem] };
    }
    const { r, inputs } = readInputs(text);
    if (reason === 'file change' && inputs === lastInputs)
      return { ok: true, unchanged: true, plan: { changed: [], ingest: false, detector: false, restartNeeded: [] } };
    lastInputs = inputs;
    if (r.ok && r.overlayFile !== overlayFile) {
      overlayFile = r.overlayFile;
      watchOverlay();
    }
    if (!r.ok) {
      for (const p of r.problems)
        log.error(
          { config: p.file ?? o.file, path: p.path || '(file)', line: p.line, problem: p.message },
          `config problem: ${formatProblem(p)}`,
        );
      log.error(
        { config: o.file, reason, problems: r.problems.length },
        `config reload rejected (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}); keeping the running config`,
      );
      return { ok: false, problems: r.problems.map(formatProblem) };
    }
    for (const w of r.warnings)
      log.warn({ config: w.file ?? o.file, path: w.path, line: w.line }, `config warning: ${formatProblem(w)}`);
    const plan = o.apply(r.config);
    log.info(
      { config: o.file, reason, changed: plan.changed, ingest: plan.ingest, detector: plan.detector },
      plan.changed.length ? 'config reloaded' : 'config reloaded (no changes)',
    );
    if (plan.restartNeeded.length)
      log.warn(
        { config: o.file, keys: plan.restartNeeded },
        `config changes that need a restart were not applied: ${plan.restartNeeded.join(', ')}`,
      );
    return { ok: true, plan };
  };

  let timer: NodeJS.Timeout | undefined;
  const watchOne = (file: string): FSWatcher | undefined => {
    if (o.watchFile === false) return undefined;
    const name = basename(file);
    try {
      const w = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed && changed.toString() !== name) return;
        clearTimeout(timer);
        timer = setTimeout(() => reload('file change'), o.debounceMs());
      });
      w.on('error', (e) =>
        log.warn({ err: e.message, config: file }, 'config file watch failed; SIGHUP still reloads'),
      );
      return w;
    } catch (e) {
      log.warn({ err: (e as Error).message, config: file }, 'cannot watch the config file; SIGHUP still reloads');
      return undefined;
    }
  };
  const watcher = watchOne(o.file);
  let overlayWatcher: FSWatcher | undefined;
  function watchOverlay(): void {
    overlayWatcher?.close();
    overlayWatcher = overlayFile ? watchOne(overlayFile) : undefined;
  }
  watchOverlay();

  return {
    reload,
    stop() {
      clearTimeout(timer);
      watcher?.close();
      overlayWatcher?.close();
    },
  };
}
