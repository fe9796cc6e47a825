/**
 * pino logger. JSON to stdout; LOG_LEVEL selects the level. Secrets never reach the log: known secret
 * fields are redacted by path, and every value of an env var that holds a secret is masked in messages.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_ENV = /(SECRET|TOKEN|PASSWORD|PASS|KEY|AUTH|_URL)$/;

/** Values of secret-looking env vars (SMTP_URL and REDIS_URL may carry passwords). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_ENV.test(k) && typeof v === 'string' && v.length >= 6)
    .map(([, v]) => v as string);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}

export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const secrets = secretValues();
  return pino(
    {
      name: opts.name ?? 'flightwatch',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: ['*.password', '*.secret', '*.token', '*.apiKey', '*.authorization', '*.headers.authorization', '*.headers["x-rapidapi-key"]', '*.headers["api-auth"]', 'headers.authorization'],
        censor: '[redacted]',
      },
      hooks: {
        // Masks secret values wherever they appear in the message or string arguments.
        logMethod(args, method) {
          if (secrets.length) for (let i = 0; i < args.length; i++) if (typeof args[i] === 'string') args[i] = maskSecrets(args[i] as string, secrets) as never;
          return method.apply(this, args as Parameters<typeof method>);
        },
      },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that discards everything (tests, library use). */
export const silentLogger: Logger = pino({ level: 'silent' });
