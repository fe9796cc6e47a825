/** `flightwatch check-config`: every problem with its path and line, exit 2; or a one-line summary, exit 0. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { formatProblem, parseConfigText, resolveConfigPath } from '../../config/load';
import type { Config } from '../../config/schema';
import { registerConfigSecrets } from '../../util/redact';
import { urlRange } from '../../util/address-range';
import { resolvedUrlProblems } from './check-config-resolve';
import { planWatchlist } from '../../ingest/planner';
import { scheduleStats, sourceBudget } from '../../ingest/budget';
import { closeSources, createSources } from '../../sources/registry';

export const EXIT_INVALID_CONFIG = 2;

export function summarize(c: Config): string {
  const sources = c.sources.filter((s) => s.enabled).map((s) => s.id);
  return (
    `${c.watch.filter((w) => w.enabled).length} watch entries, ${sources.length} sources (${sources.join(' → ')}), ` +
    `${c.destinations.length} destinations, ${c.areas.length} areas, schedule "${c.poll.schedule}"`
  );
}

/**
 * Reads and validates (with the watchlist overlay it names); prints problems to stderr and returns undefined
 * when invalid. `notices`: also print the advice only check-config gives (entries without `source`).
 */
export function readConfigOrReport(
  file: string,
  err: (s: string) => void = (s) => process.stderr.write(s),
  o: { notices?: boolean } = {},
): Config | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(`${file}: cannot read config: ${(e as Error).message}\n`);
    return undefined;
  }
  const r = parseConfigText(text, { file });
  if (r.ok) {
    // Every secret the config points at (keyEnv, secretEnv, smtpUrlEnv…) is masked from here on.
    registerConfigSecrets(r.config);
    for (const w of [...r.warnings, ...(o.notices ? r.notices : [])]) err(`${file}: warning: ${formatProblem(w)}\n`);
    return r.config;
  }
  err(`${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}\n`);
  for (const p of r.problems) err(`  ${formatProblem(p)}\n`);
  return undefined;
}

/**
 * Outbound URLs of alert channels that point at loopback, link-local (cloud metadata), private or shared
 * address space: reachable by the worker, not from the Internet. Every http(s) URL of every channel kind is
 * looked at (new kinds included); a channel with `allowPrivate: true` is skipped. Literal addresses and
 * well-known names only (no DNS lookup).
 */
export function outboundUrlProblems(c: Config): string[] {
  const out: string[] = [];
  c.alerts.channels.forEach((ch, i) => {
    if ((ch as { allowPrivate?: boolean }).allowPrivate) return;
    for (const [key, value] of Object.entries(ch)) {
      if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue;
      const range = urlRange(value);
      if (!range) continue;
      const host = new URL(value).host;
      out.push(
        `alerts.channels[${i}].${key} (${ch.id}): ${host} is a ${range} address; alerts would go to an internal ` +
          `service. Set allowPrivate: true on the channel if the receiver really runs next to the worker`,
      );
    }
  });
  return out;
}

/** The names check (DNS): its problems join the literal ones; unresolvable names are a note under --resolve. */
async function resolvedOutboundProblems(config: Config, noteUnresolved: boolean): Promise<string[]> {
  const r = await resolvedUrlProblems(config);
  if (noteUnresolved) for (const u of r.unresolved) process.stderr.write(`note: ${u}\n`);
  return r.problems;
}

/**
 * Env vars the config names (`keyEnv`, `secretEnv`, `smtpUrlEnv`, … at any depth) that are not set, each with
 * the path that names it. Disabled sources are skipped: they read nothing. A defaulted name counts (an email
 * channel without `smtpUrlEnv` reads SMTP_URL).
 */
export function missingEnvProblems(c: Config, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  // `owner`: the id of the nearest enclosing source or channel, to name it beside the path.
  const walk = (value: unknown, path: string, depth: number, owner?: string) => {
    if (depth > 16 || value === null || typeof value !== 'object') return;
    if ((value as { enabled?: unknown }).enabled === false) return;
    const id = (value as { id?: unknown }).id;
    const named = typeof id === 'string' ? id : owner;
    for (const [k, v] of Object.entries(value)) {
      const at = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      if (/Env$/.test(k) && typeof v === 'string') {
        if (!env[v]?.trim())
          out.push(`${at}${named ? ` (${named})` : ''}: env ${v} is referenced by the config but not set`);
      } else walk(v, at, depth + 1, named);
    }
  };
  walk(c, '', 0);
  return out;
}

/**
 * Each enabled source's planned requests against its budgets (the `plan` command's arithmetic): daily
 * request/credit limits and whether a cycle's requests fit between two cycles. As if every cycle fell to that
 * source, since failover may hand it any of them.
 */
export function budgetProblems(c: Config): string[] {
  const { plan } = planWatchlist(c);
  const schedule = scheduleStats(c.poll.schedule);
  const sources = createSources(c.sources);
  try {
    return sources.flatMap((s) => {
      const index = c.sources.findIndex((x) => x.id === s.id);
      const b = sourceBudget(s.config, s.requestsFor(plan), schedule);
      return b.warnings.map(
        (w) => `sources[${index}] (${s.id}): ${w.startsWith(`${s.id}: `) ? w.slice(s.id.length + 2) : w}`,
      );
    });
  } finally {
    closeSources(sources);
  }
}

export function register(program: Command): void {
  program
    .command('check-config')
    .description('validate the config file; print every problem with its path')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .option('--strict', 'treat unset env vars, poll budgets over a limit and internal outbound URLs as errors (exit 2)')
    .option(
      '--resolve',
      'resolve channel host names: a name pointing at a private address is reported (on under --strict)',
    )
    .action(async (opts: { config?: string; strict?: boolean; resolve?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      // Entries without `source` are warned about in both modes: old configs must keep loading.
      const config = readConfigOrReport(file, undefined, { notices: true });
      if (!config) {
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      const problems = [...missingEnvProblems(config), ...budgetProblems(config), ...outboundUrlProblems(config)];
      if (opts.resolve || opts.strict) problems.push(...(await resolvedOutboundProblems(config, !!opts.resolve)));
      for (const p of problems) process.stderr.write(`${opts.strict ? 'error' : 'warning'}: ${p}\n`);
      if (opts.strict && problems.length) {
        process.stderr.write(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} under --strict\n`);
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      process.stdout.write(`${file}: ok: ${summarize(config)}\n`);
    });
}
