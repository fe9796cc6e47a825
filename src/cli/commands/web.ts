/**
 * `flightwatch web [--port N] [--host H]`: the console over an archive, without polling (a reviewer's laptop,
 * a read-only public mirror), its Health page reading what the workers record in their Redis;
 * `flightwatch web hash-password`: a password read from stdin → the scrypt hash to put in the environment
 * variable a user's `passwordHashEnv` names (docs/console.md).
 */
import type { Command } from 'commander';
import { createLogger, flushLogs } from '../../util/log';
import { registerConfigSecrets } from '../../util/redact';
import { hashPassword } from '../../web/auth/password';
import { startConsoleServer } from '../../runtime/web-setup';
import { CliInputError, recordAction, recordConfig } from '../record-context';
import { openWorkersRedis } from './web-shared-health';

const DEFAULT_PORT = 8090;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  // One line: the trailing newline of `echo` or a terminal is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliInputError(`--port ${v}: not a TCP port (0-65535)`);
  return n;
};

export function register(program: Command): void {
  const cmd = program
    .command('web')
    .description('serve the console over the archive without polling (web: in the config; docs/console.md)')
    .option('-c, --config <file>', 'config file (default: $FLIGHTWATCH_CONFIG or config/flightwatch.yaml)')
    .option('--port <n>', `port (default: web.port, else ${DEFAULT_PORT})`)
    .option('--host <host>', 'interface (default: web.host, 127.0.0.1)')
    .action(
      recordAction('web', async (o: { config?: string; port?: string; host?: string }) => {
        const config = recordConfig(o.config);
        if (!config) throw new CliInputError('no config file: the console needs web.users or web.publicMode in one');
        if (!config.web.users.length && !config.web.publicMode.enabled)
          throw new CliInputError('web.users is empty and web.publicMode is off: nobody could open the console');
        registerConfigSecrets(config, process.env);
        const log = createLogger();
        const workers = await openWorkersRedis(config, process.env, log);
        const running = await startConsoleServer({
          config: () => config,
          env: process.env,
          log,
          shared: () => workers.health(),
          classifyOnStart: true,
          port: o.port !== undefined ? port(o.port) : (config.web.port ?? DEFAULT_PORT),
          ...(o.host ? { host: o.host } : {}),
        }).catch(async (e: Error) => {
          await workers.close();
          throw new CliInputError(e.message, { cause: e });
        });
        process.stdout.write(
          `console on ${running.server.url} (no worker: the Health page reads the workers' Redis at ${workers.url})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await running.close();
        await workers.close();
        await flushLogs(log);
      }),
    );
  cmd
    .command('hash-password')
    .description("read a password from stdin, print its scrypt hash for a user's passwordHashEnv variable")
    .action(
      recordAction('web', async () => {
        if (process.stdin.isTTY) process.stderr.write('password (then Enter, Ctrl-D): ');
        const password = await readStdin();
        try {
          process.stdout.write(`${await hashPassword(password)}\n`);
        } catch (e) {
          throw new CliInputError((e as Error).message);
        }
      }),
    );
}
