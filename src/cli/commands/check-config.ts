/** `flightwatch check-config`: every problem with its path and line, exit 2; or a one-line summary, exit 0. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { formatProblem, missingEnv, parseConfigText, resolveConfigPath } from '../../config/load';
import type { Config } from '../../config/schema';
import { registerConfigSecrets } from '../../util/redact';
import { urlRange } from '../../util/address-range';
import { resolvedUrlProblems } from './check-config-resolve';

export const EXIT_INVALID_CONFIG = 2;

export function summarize(c: Config): string {
  const sources = c.sources.filter((s) => s.enabled).map((s) => s.id);
  return (
    `${c.watch.filter((w) => w.enabled).length} watch entries, ${sources.length} sources (${sources.join(' → ')}), ` +
    `${c.destinations.length} destinations, ${c.areas.length} areas, schedule "${c.poll.schedule}"`
  );
}

/** Reads and validates; prints problems to stderr and returns undefined when invalid. */
export function readConfigOrReport(
  file: string,
  err: (s: string) => void = (s) => process.stderr.write(s),
): Config | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(`${file}: cannot read config: ${(e as Error).message}\n`);
    return undefined;
  }
  const r = parseConfigText(text);
  if (r.ok) {
    // Every secret the config points at (keyEnv, secretEnv, smtpUrlEnv…) is masked from here on.
    registerConfigSecrets(r.config);
    for (const w of r.warnings) err(`${file}: warning: ${formatProblem(w)}\n`);
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

export function register(program: Command): void {
  program
    .command('check-config')
    .description('validate the config file; print every problem with its path')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .option('--strict', 'treat outbound-URL warnings as errors (exit 2)')
    .option(
      '--resolve',
      'resolve channel host names: a name pointing at a private address is reported (on under --strict)',
    )
    .action(async (opts: { config?: string; strict?: boolean; resolve?: boolean }) => {
      const file = resolveConfigPath(opts.config);
      const config = readConfigOrReport(file);
      if (!config) {
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      for (const name of missingEnv(config))
        process.stderr.write(`warning: env ${name} is referenced by the config but not set\n`);
      const outbound = outboundUrlProblems(config);
      if (opts.resolve || opts.strict) outbound.push(...(await resolvedOutboundProblems(config, !!opts.resolve)));
      for (const p of outbound) process.stderr.write(`${opts.strict ? 'error' : 'warning'}: ${p}\n`);
      if (opts.strict && outbound.length) {
        process.stderr.write(`${file}: ${outbound.length} outbound URL problem(s) under --strict\n`);
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      process.stdout.write(`${file}: ok: ${summarize(config)}\n`);
    });
}
