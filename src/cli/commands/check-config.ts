/** `flightwatch check-config`: every problem with its path and line, exit 2; or a one-line summary, exit 0. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { formatProblem, missingEnv, parseConfigText, resolveConfigPath } from '../../config/load';
import type { Config } from '../../config/schema';
import { registerConfigSecrets } from '../../util/redact';

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

export function register(program: Command): void {
  program
    .command('check-config')
    .description('validate the config file; print every problem with its path')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .action((opts: { config?: string }) => {
      const file = resolveConfigPath(opts.config);
      const config = readConfigOrReport(file);
      if (!config) {
        process.exitCode = EXIT_INVALID_CONFIG;
        return;
      }
      for (const name of missingEnv(config))
        process.stderr.write(`warning: env ${name} is referenced by the config but not set\n`);
      process.stdout.write(`${file}: ok: ${summarize(config)}\n`);
    });
}
