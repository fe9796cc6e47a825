#!/usr/bin/env node
/**
 * The `flightwatch` command. Each subcommand lives in ./commands/<file>.ts and registers itself. Only the
 * module of the command being run is loaded (the others pull in BullMQ, nodemailer, the map renderer…), so
 * `check-config` and `poll --once` start fast; `--help` and unknown commands load them all.
 */
import { Command } from 'commander';
import { version } from '../../package.json';
import { redactProcessOutput } from '../util/redact';

/** Top-level command name → module under ./commands. */
export const COMMANDS: Record<string, string> = {
  'check-config': 'check-config',
  poll: 'poll',
  plan: 'plan',
  import: 'import-plane-alert',
  data: 'data',
  replay: 'replay',
  worker: 'worker',
  silence: 'silence',
  dlq: 'dlq',
  alert: 'alert-test',
  archive: 'archive',
  evidence: 'evidence',
  export: 'export',
  review: 'review',
  web: 'web',
  report: 'report',
  candidates: 'candidates',
};

type Register = (program: Command) => void;
function load(file: string): Register {
  // Synchronous and lazy on purpose (see above). `import()` would make buildProgram async, and under
  // `node --require tsx/cjs` (npm run cli, the CLI tests) it stays a native ESM import, which cannot resolve
  // the extension-less .ts module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: require() is the lazy loader
  return (require(`./commands/${file}`) as { register: Register }).register;
}

export function buildProgram(only?: string): Command {
  const program = new Command()
    .name('flightwatch')
    .description('Monitor government charter removal flights from public ADS-B data.')
    .version(version)
    .showHelpAfterError()
    .configureOutput({ outputError: (s, write) => write(s) });
  const files = only && COMMANDS[only] ? [COMMANDS[only]] : Object.values(COMMANDS);
  for (const f of files) load(f)(program);
  return program;
}

if (require.main === module) {
  // Every line a command prints passes the redactor (secrets of the env and, once read, of the config).
  redactProcessOutput();
  buildProgram(process.argv[2])
    .parseAsync(process.argv)
    .catch((e: unknown) => {
      process.stderr.write(`flightwatch: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    });
}
