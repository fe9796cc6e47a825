/**
 * Config reload: SIGHUP or a change of the config file. The file is validated first; an invalid file keeps
 * the running config and logs every problem (path, line, message). The directory is watched rather than
 * the file because editors and `kubectl`/ConfigMap updates replace the file (rename), which ends a watch on
 * the old inode. Changes are debounced: editors write in several steps.
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
  let lastText: string | undefined;
  try {
    lastText = readFileSync(o.file, 'utf8');
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
    if (reason === 'file change' && text === lastText)
      return { ok: true, unchanged: true, plan: { changed: [], ingest: false, detector: false, restartNeeded: [] } };
    lastText = text;
    const r = parseConfigText(text);
    if (!r.ok) {
      for (const p of r.problems)
        log.error(
          { config: o.file, path: p.path || '(file)', line: p.line, problem: p.message },
          `config problem: ${formatProblem(p)}`,
        );
      log.error(
        { config: o.file, reason, problems: r.problems.length },
        `config reload rejected (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}); keeping the running config`,
      );
      return { ok: false, problems: r.problems.map(formatProblem) };
    }
    for (const w of r.warnings)
      log.warn({ config: o.file, path: w.path, line: w.line }, `config warning: ${formatProblem(w)}`);
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

  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (o.watchFile !== false) {
    const name = basename(o.file);
    try {
      watcher = watch(dirname(o.file), { persistent: false }, (_event, changed) => {
        if (changed && changed.toString() !== name) return;
        clearTimeout(timer);
        timer = setTimeout(() => reload('file change'), o.debounceMs());
      });
      watcher.on('error', (e) =>
        log.warn({ err: e.message, config: o.file }, 'config file watch failed; SIGHUP still reloads'),
      );
    } catch (e) {
      log.warn({ err: (e as Error).message, config: o.file }, 'cannot watch the config file; SIGHUP still reloads');
    }
  }

  return {
    reload,
    stop() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
