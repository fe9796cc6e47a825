/**
 * The one redaction layer. Everything that leaves the process (log lines, HTTP answers, alerts, CLI output,
 * error text stored in Redis or an archive) passes through `redactor.mask` or one of the helpers below.
 *
 * Masking is by VALUE, not by field name: the redactor knows every configured secret (env-referenced keys,
 * tokens, passwords, webhook secrets, URL credentials) and replaces each wherever it appears, including
 * inside an upstream error body that quotes it back, in every encoding a leak tends to take (raw,
 * percent-encoded, JSON-escaped, a whsec_ key without its prefix). Secrets are registered when they are
 * read (sources, the CLI after loading the config); the process-wide instance starts with the
 * secret-looking variables of process.env. docs/security.md says how other modules must use it.
 */

export const REDACTED = '[redacted]';

/** Env var names that hold a secret by convention (a *_URL only for its password). */
const SECRET_ENV = /(SECRET|TOKEN|PASSWORD|PASS|KEY|AUTH|CREDENTIALS|_URL)$/;

/** Query parameters that carry a credential (`?apikey=…`, `?access_token=…`, `?sig=…`). */
const SECRET_PARAM = /^(.*[_-])?(token|key|apikey|secret|password|passwd|pass|auth|sig|signature|credential)s?$/i;

/** A query value shorter than this is a flag (`?auth=true`), not a key: masking it would blank ordinary words. */
const MIN_PARAM_SECRET_LENGTH = 8;

/** Shorter values are not masked: "true", "1", a port number would blank out ordinary text. */
const MIN_SECRET_LENGTH = 4;

/** How much of an upstream reply a message may quote. */
export const QUOTE_MAX = 200;

export class Redactor {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  /** Registers secret values (and their encodings); blank and very short values are ignored. */
  add(...secrets: (string | undefined | null)[]): this {
    let changed = false;
    for (const raw of secrets) {
      if (typeof raw !== 'string') continue;
      const s = raw.trim();
      if (s.length < MIN_SECRET_LENGTH) continue;
      for (const v of encodings(s))
        if (v.length >= MIN_SECRET_LENGTH && !this.values.has(v)) {
          this.values.add(v);
          changed = true;
        }
      // Several space-separated values (webhook key rotation) are each a secret.
      if (/\s/.test(s)) this.add(...s.split(/\s+/));
    }
    // Longest first, so a whole URL is masked before its password is looked for inside it.
    if (changed) this.sorted = [...this.values].sort((a, b) => b.length - a.length);
    return this;
  }

  /**
   * Registers the credentials of a URL: its password (and user:password), and the value of every query
   * parameter named like a key (`?apikey=`, `?token=`, …). A URL without either adds nothing.
   */
  addUrl(value: string | undefined): this {
    if (!value) return this;
    try {
      const u = new URL(value.trim());
      if (u.password) this.add(value, u.password, safeDecode(u.password), `${u.username}:${u.password}`);
      for (const [name, v] of u.searchParams)
        if (SECRET_PARAM.test(name) && v.trim().length >= MIN_PARAM_SECRET_LENGTH) this.add(v);
    } catch {
      // Not a URL: the whole value may be a credential.
      this.add(value);
    }
    return this;
  }

  /**
   * Registers the env values a config references (`keyEnv`, `secretEnv`, `smtpUrlEnv`, …: every key ending
   * in Env) plus every secret-looking variable of `env`.
   */
  addEnv(env: NodeJS.ProcessEnv, referenced: Iterable<string> = []): this {
    for (const name of referenced) {
      const v = env[name];
      if (typeof v !== 'string') continue;
      if (name.endsWith('_URL') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v.trim())) this.addUrl(v);
      else this.add(v);
    }
    for (const [k, v] of Object.entries(env)) {
      if (!SECRET_ENV.test(k) || typeof v !== 'string' || !v.trim()) continue;
      if (k.endsWith('_URL')) this.addUrl(v);
      else this.add(v);
    }
    return this;
  }

  get size(): number {
    return this.values.size;
  }

  /** The registered values, longest first (tests, diagnostics: never print them). */
  list(): readonly string[] {
    return this.sorted;
  }

  /** The text with every known secret replaced by [redacted]. */
  mask(text: string): string {
    let out = text;
    for (const s of this.sorted) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /** A deep copy with every string masked (objects, arrays; Errors become their masked message). */
  maskValue<T>(value: T): T {
    return mapStrings(value, (s) => this.mask(s)) as T;
  }

  /** Masks an error's message and stack in place (keeps its class: callers test instanceof). */
  maskError<E>(e: E, maxLength = 2000): E {
    // Duck-typed: an Error from another realm (node core inside a jest sandbox) is not instanceof Error.
    const x = e as { message?: unknown; stack?: unknown } | null;
    if (typeof x === 'object' && x !== null && typeof x.message === 'string') {
      x.message = bound(this.mask(x.message), maxLength);
      if (typeof x.stack === 'string') x.stack = this.mask(x.stack);
    }
    return e;
  }

  /** An upstream body fit to quote in a message: whitespace collapsed, masked, then cut to `max`. */
  quote(body: string, max = QUOTE_MAX): string {
    return bound(this.mask(body.replace(/\s+/g, ' ').trim()), max);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The forms a secret takes in text: raw, percent-encoded (both ways), JSON-escaped, whsec_ without prefix. */
function encodings(s: string): string[] {
  const out = new Set([s, encodeURIComponent(s), safeDecode(s), JSON.stringify(s).slice(1, -1)]);
  if (s.startsWith('whsec_')) out.add(s.slice('whsec_'.length));
  return [...out];
}

/** `s` cut to at most `max` characters, saying how much was left out. */
export function bound(s: string, max: number): string {
  if (s.length <= max) return s;
  const tail = `… (${s.length - max} more chars)`;
  return s.slice(0, Math.max(0, max - tail.length)) + tail;
}

/** A deep copy of `value` with `fn` applied to every string (Dates and other class instances kept). */
export function mapStrings(value: unknown, fn: (s: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return fn(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return fn(value.message);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn, depth + 1);
  return out;
}

/** Env var names a config references: the string value of every key ending in `Env`, at any depth. */
export function referencedEnvNames(config: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 16 || config === null || typeof config !== 'object') return out;
  for (const [k, v] of Object.entries(config)) {
    if (/Env$/.test(k) && typeof v === 'string') out.add(v);
    else referencedEnvNames(v, out, depth + 1);
  }
  return out;
}

/** Longest string an alert carries in any field (a source's strings are bounded earlier, at ingest). */
export const ALERT_STRING_MAX = 2000;

/** A report digest's rendered report (HTML tables, chart SVG) is ours, not upstream text: a larger bound. */
export const DIGEST_STRING_MAX = 400_000;

/**
 * A value about to leave the process whole (an alert, a record for an archive): a deep copy with every
 * string masked and cut to `maxString`, so no channel can send a secret or a megabyte of upstream text.
 */
export function outbound<T>(value: T, maxString = ALERT_STRING_MAX): T {
  return mapStrings(value, (s) => bound(redactor.mask(s), maxString)) as T;
}

/** The process-wide redactor. */
export const redactor = new Redactor().addEnv(process.env);

/** URLs written in a config: the string value of every key ending in `url`/`Url`, at any depth. */
export function configUrls(config: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 16 || config === null || typeof config !== 'object') return out;
  for (const [k, v] of Object.entries(config)) {
    if (/url$/i.test(k) && typeof v === 'string') {
      if (URL.canParse(v)) out.push(v);
    } else configUrls(v, out, depth + 1);
  }
  return out;
}

/**
 * Registers a loaded config's secrets with the process-wide redactor: env-referenced ones, and credentials
 * written into its URLs (a receiver's `?apikey=`, `https://user:pw@host`), which an archive or a log would
 * otherwise keep.
 */
export function registerConfigSecrets(config: unknown, env: NodeJS.ProcessEnv = process.env): void {
  redactor.addEnv(env, referencedEnvNames(config));
  for (const url of configUrls(config)) redactor.addUrl(url);
}

/** Shorthands for the process-wide redactor. */
export const redact = (text: string): string => redactor.mask(text);
export const redactValue = <T>(v: T): T => redactor.maskValue(v);
export const redactError = <E>(e: E): E => redactor.maskError(e);
export const quoteUpstream = (body: string, max = QUOTE_MAX): string => redactor.quote(body, max);

/**
 * CLI processes: every write to stdout/stderr goes through the redactor (one place for every command's
 * output, commander's errors and stack traces included).
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const flagged = stream as NodeJS.WriteStream & { __redacted?: boolean };
    if (flagged.__redacted) continue;
    flagged.__redacted = true;
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]) =>
      write(
        typeof chunk === 'string'
          ? redactor.mask(chunk)
          : Buffer.isBuffer(chunk) && redactor.size
            ? redactor.mask(chunk.toString('utf8'))
            : chunk,
        ...rest,
      );
  }
}

/**
 * A URL as it may be stored or shown: its password and the values of query parameters named like a credential
 * (`?token=`, `api_key=`, …) masked by their place, whatever their length — a URL written into the config need
 * not hold a secret the redactor knows by value.
 */
export function maskUrlCredentials(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  let out = url;
  if (u.password) out = out.replace(`:${u.password}@`, `:${REDACTED}@`);
  for (const [name, value] of u.searchParams)
    if (value && SECRET_PARAM.test(name)) {
      const raw = new RegExp(`([?&]${escapeRegExp(encodeURIComponent(name))}=)[^&#]*`, 'g');
      out = out.replace(raw, `$1${REDACTED}`);
    }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
