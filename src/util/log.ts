/**
 * pino logger to stdout; LOG_LEVEL selects the level, LOG_FORMAT the shape (log-format.ts: JSON lines, or one
 * readable line per entry when the log goes to a terminal). Secrets never reach the log: known secret
 * fields are redacted by path, and every secret the process-wide redactor knows (src/util/redact.ts: env
 * secrets, config-referenced keys, URL passwords) is masked in the final JSON line (message AND fields).
 */
import pino, { type Logger } from 'pino';
import { Redactor, redactor } from './redact';
import { chooseLogFormat, prettySink, type LogFormat } from './log-format';

export type { Logger };

/**
 * The secret values a logger built from `env` masks (for tests and diagnostics): the secret-looking env
 * vars, as the redactor reads them. A *_URL is secret only for its password.
 */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...new Redactor().addEnv(env).list()];
}

export function createLogger(
  opts: {
    level?: string;
    name?: string;
    destination?: pino.DestinationStream;
    env?: NodeJS.ProcessEnv;
    /** Overrides LOG_FORMAT and the terminal check (tests). */
    format?: LogFormat;
  } = {},
): Logger {
  const env = opts.env ?? process.env;
  // The terminal check looks at where the log goes: stdout by default, the given stream (stderr for CLI commands).
  const isTTY = Boolean(
    (opts.destination as { isTTY?: boolean } | undefined)?.isTTY ?? (!opts.destination && process.stdout.isTTY),
  );
  const choice = opts.format ? { format: opts.format } : chooseLogFormat(env, isTTY);
  const raw = opts.destination ?? pino.destination({ fd: 1, sync: false });
  // Pretty lines are made from the JSON line AFTER the redaction hook: both modes print only masked text.
  const destination = choice.format === 'pretty' ? prettySink(raw, { color: isTTY && !env.NO_COLOR }) : raw;
  // The env's secrets join the process-wide redactor, which also masks secrets registered later (sources,
  // channels, the config): the hook reads it on every line.
  redactor.addEnv(env);
  const log = pino(
    {
      name: opts.name ?? 'flightwatch',
      level: opts.level ?? env.LOG_LEVEL ?? 'info',
      redact: {
        paths: [
          '*.password',
          '*.secret',
          '*.token',
          '*.apiKey',
          '*.authorization',
          '*.headers.authorization',
          '*.headers["x-rapidapi-key"]',
          '*.headers["api-auth"]',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
      hooks: { streamWrite: (line) => redactor.mask(line) },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  if ('problem' in choice && choice.problem) log.warn(choice.problem);
  return log;
}

/** Resolves once buffered log lines are written (pino writes async to fd 1); never rejects. */
export function flushLogs(log: Logger, timeoutMs = 1000): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, timeoutMs);
    try {
      log.flush((err) => {
        clearTimeout(timer);
        void err;
        done();
      });
    } catch {
      clearTimeout(timer);
      done();
    }
  });
}

/** A logger that discards everything (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
