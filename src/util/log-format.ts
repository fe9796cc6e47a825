/**
 * The log's two shapes: JSON lines for machines (containers, files, pipes) and one readable line per event for
 * a person at a terminal. A small formatter rather than pino-pretty: it runs in-process after the redaction
 * hook (so it only ever sees masked text), keeps every entry on one line, and adds no transport thread.
 */

export type LogFormat = 'json' | 'pretty';

/** What the choice was made from, and a problem to log once the logger exists (a bad LOG_FORMAT). */
export interface LogFormatChoice {
  format: LogFormat;
  problem?: string;
}

/** LOG_FORMAT=json|pretty wins; otherwise pretty when the log goes to a terminal, JSON everywhere else. */
export function chooseLogFormat(env: NodeJS.ProcessEnv, isTTY: boolean): LogFormatChoice {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (raw === 'json' || raw === 'pretty') return { format: raw };
  const auto: LogFormat = isTTY ? 'pretty' : 'json';
  if (!raw) return { format: auto };
  return {
    format: auto,
    problem: `LOG_FORMAT=${JSON.stringify(env.LOG_FORMAT).slice(0, 40)} is not json or pretty; using ${auto}`,
  };
}

/** pino's fields that the readable line shows in its own place or leaves out. */
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);
/** Longest value shown for one field, and longest line: a readable line, not a dump. */
const VALUE_MAX = 160;
const LINE_MAX = 1000;

const COLORS: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[90m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[41;97m',
};
const RESET = '\x1b[0m';

// Control characters would let a logged value move the cursor or fake a line on a terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const oneLine = (s: string) => s.replace(/\r?\n\s*/g, ' ⏎ ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function showValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v) ?? typeof v;
}

/**
 * One pino JSON line → `2026-12-02 07:14:53Z INFO  poll cycle  servedBy=adsblol matched=2`. A stack trace
 * becomes its first line (the JSON mode keeps it whole). Text that is not JSON passes through unchanged.
 */
export function formatPrettyLine(line: string, opts: { color?: boolean } = {}): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
    entry = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
  const level = typeof entry.level === 'string' ? entry.level : JSON.stringify(entry.level ?? '');
  const label = level.toUpperCase().padEnd(5);
  const msg = typeof entry.msg === 'string' ? oneLine(entry.msg) : '';
  const fields: string[] = [];
  for (const [k, v] of Object.entries(entry)) {
    if (OWN_FIELDS.has(k) || v === undefined) continue;
    // A value the message already says in full (a URL, a path) is shown once.
    if (typeof v === 'string' && v.length >= 8 && msg.includes(v)) continue;
    const shown = showValue(k === 'stack' && typeof v === 'string' ? (v.split('\n')[1]?.trim() ?? '') : v);
    if (shown) fields.push(`${k}=${cut(oneLine(shown), VALUE_MAX)}`);
  }
  const head = opts.color && COLORS[level] ? `${COLORS[level]}${label}${RESET}` : label;
  const text = cut([msg, fields.join(' ')].filter(Boolean).join('  '), LINE_MAX);
  return `${time} ${head} ${text}`.trimEnd();
}

/** A destination stream (what pino writes to) that turns each JSON line into a readable one. */
export interface LineSink {
  write(chunk: string): unknown;
  flush?(cb: (err?: Error | null) => void): void;
}

export function prettySink(inner: LineSink, opts: { color?: boolean } = {}): LineSink {
  return {
    write(chunk: string) {
      const lines = chunk.split('\n').filter((l) => l.length > 0);
      return inner.write(lines.map((l) => `${formatPrettyLine(l, opts)}\n`).join(''));
    },
    flush(cb) {
      if (typeof inner.flush === 'function') inner.flush(cb);
      else cb();
    },
  };
}
