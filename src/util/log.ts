/**
 * pino logger. JSON to stdout; LOG_LEVEL selects the level. Secrets never reach the log: known secret
 * fields are redacted by path, and every value of an env var that holds a secret is masked in the final
 * JSON line (message AND fields, e.g. an error message quoting an SMTP URL with its password).
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_ENV = /(SECRET|TOKEN|PASSWORD|PASS|KEY|AUTH|CREDENTIALS|_URL)$/;

function urlSecrets(value: string): string[] {
  try {
    const u = new URL(value);
    if (!u.password) return [];
    const out = [value, u.password];
    try {
      out.push(decodeURIComponent(u.password));
    } catch {
      /* not percent-encoded */
    }
    return out;
  } catch {
    return [value];
  }
}

/**
 * Strings to mask, from secret-looking env vars. A *_URL is secret only for its password (REDIS_URL and
 * SMTP_URL may carry one; a plain host URL is useful in logs). Webhook secrets may be several, space-separated.
 */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(env)) {
    if (!SECRET_ENV.test(k) || typeof v !== 'string' || !v.trim()) continue;
    const parts = k.endsWith('_URL') ? urlSecrets(v) : [v, ...v.split(/\s+/)];
    for (const p of parts) if (p.length >= 4) out.add(p);
  }
  // Longest first, so a whole URL is masked before its password is looked for inside it.
  return [...out].sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[redacted]');
    // Inside a JSON line the secret may appear escaped (quotes, backslashes, control characters).
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s && out.includes(escaped)) out = out.split(escaped).join('[redacted]');
  }
  return out;
}

export function createLogger(
  opts: { level?: string; name?: string; destination?: pino.DestinationStream; env?: NodeJS.ProcessEnv } = {},
): Logger {
  const env = opts.env ?? process.env;
  const secrets = secretValues(env);
  return pino(
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
      hooks: secrets.length ? { streamWrite: (line) => maskSecrets(line, secrets) } : {},
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination({ fd: 1, sync: false }),
  );
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
