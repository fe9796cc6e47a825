#!/usr/bin/env node
/** The `flightwatch` command. Each subcommand lives in ./commands/<name>.ts and registers itself. */
import { Command } from 'commander';
import { register as checkConfig } from './commands/check-config';
import { register as plan } from './commands/plan';
import { register as importPlaneAlert } from './commands/import-plane-alert';
import { register as replay } from './commands/replay';
import { register as silence } from './commands/silence';
import { register as dlq } from './commands/dlq';
import { register as alertTest } from './commands/alert-test';

const { version } = require('../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command()
    .name('flightwatch')
    .description('Monitor government charter removal flights from public ADS-B data.')
    .version(version)
    .showHelpAfterError()
    .configureOutput({ outputError: (s, write) => write(s) });
  for (const register of [checkConfig, plan, importPlaneAlert, replay, silence, dlq, alertTest]) register(program);
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e: unknown) => {
      process.stderr.write(`flightwatch: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    });
}
