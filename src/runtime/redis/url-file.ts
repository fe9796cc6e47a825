/**
 * `<dataDir>/redis/url`: where a running embedded redis-server listens. Its port is random, so CLI commands
 * (`dlq`, `silence`, `alert`) read it here; written once the server answers, removed when it stops.
 *
 * A worker killed with SIGKILL leaves the file behind, and later a different Redis (another project's, another
 * worker's) may listen on that port. So the file also names the server: its second line is
 * `run_id=<INFO server run_id>`, 40 random hex digits Redis draws at every start, which no other server (nor
 * a restart of the same one) has. Readers trust the URL only when the server there reports that run_id.
 */
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../data/atomic-write';
import type { Logger } from '../../util/log';
import { pingRedis, redisRunId } from './probe';

export const embeddedUrlFile = (dataDir: string) => resolve(dataDir, 'redis', 'url');

/** The text of the URL file: the URL on its own first line (for `head -1`), then the server's run_id. */
export function embeddedUrlFileText(url: string, runId: string): string {
  return `${url}\nrun_id=${runId}\n`;
}

/** The file's text, read: the server it names (runId undefined when it has no valid run_id line), or why not. */
export type ParsedUrlFile =
  { ok: true; url: string; host: string; port: number; runId?: string } | { ok: false; reason: string };

export function parseEmbeddedUrlFile(text: string): ParsedUrlFile {
  const lines = text.split('\n').map((l) => l.trim());
  const [url = ''] = lines;
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* reported below */
  }
  if (!u || u.protocol !== 'redis:' || !u.port)
    return {
      ok: false,
      reason: `its first line ${JSON.stringify(url.slice(0, 80))} is not a redis:// URL with a port`,
    };
  const runId = /^run_id=([0-9a-f]{40})$/.exec(lines.find((l) => l.startsWith('run_id=')) ?? '')?.[1];
  return { ok: true, url, host: u.hostname, port: Number(u.port), ...(runId ? { runId } : {}) };
}

/** What `<dataDir>/redis/url` says, checked: no file, a file that cannot be read, a stale file, or a live server. */
export type UrlFileCheck =
  | { kind: 'none' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'stale'; reason: string }
  | { kind: 'live'; url: string; host: string; port: number; runId: string; pid?: number };

/**
 * Reads `<dataDir>/redis/url` and checks it the one way every reader does: a redis:// URL with a port, whose
 * server answers PING and reports the run_id written next to it. Reads INFO only; never writes anything.
 */
export async function checkEmbeddedUrlFile(
  dataDir: string,
  ping = pingRedis,
  probe = redisRunId,
): Promise<UrlFileCheck> {
  let text: string;
  try {
    text = readFileSync(embeddedUrlFile(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', reason: `cannot read it (${(e as Error).message})` };
  }
  const stale = (reason: string): UrlFileCheck => ({ kind: 'stale', reason });
  const file = parseEmbeddedUrlFile(text);
  if (!file.ok) return stale(file.reason);
  const { url, host, port, runId: expected } = file;
  if (!(await ping(host, port))) return stale(`nothing answers PING at ${url}`);
  if (!expected)
    return stale(
      `it has no run_id line, so the Redis at ${url} cannot be confirmed as the embedded one (an older flightwatch wrote it, or it was edited)`,
    );
  const got = await probe(host, port);
  if (!got.ok)
    return stale(`the Redis at ${url} cannot confirm it is the embedded server that wrote the file: ${got.reason}`);
  if (got.runId !== expected)
    return stale(
      `the Redis at ${url} is a different server (run_id ${got.runId.slice(0, 12)}…, the file names ${expected.slice(0, 12)}…)`,
    );
  return { kind: 'live', url, host, port, runId: got.runId, ...(got.pid ? { pid: got.pid } : {}) };
}

/** Where liveEmbeddedRedisUrl says why it ignores a URL file; default: one line on stderr (CLI commands). */
export type UrlFileReport = (message: string) => void;
const toStderr: UrlFileReport = (m) => process.stderr.write(`flightwatch: ${m}\n`);

/**
 * The URL in `<dataDir>/redis/url` when it is a redis:// URL whose server answers and reports the
 * run_id written next to it. Anything else (nothing answers, another server on that port, a file without a
 * run_id or not holding a URL) is reported once, naming the file, and gives undefined: the caller goes on
 * with its usual order. No file at all is the normal case (no embedded worker) and is not reported.
 */
export async function liveEmbeddedRedisUrl(
  dataDir: string,
  ping = pingRedis,
  report: UrlFileReport = toStderr,
  probe = redisRunId,
): Promise<string | undefined> {
  const file = embeddedUrlFile(dataDir);
  const c = await checkEmbeddedUrlFile(dataDir, ping, probe);
  if (c.kind === 'live') return c.url;
  if (c.kind === 'unreadable') report(`ignoring ${file}: ${c.reason}`);
  if (c.kind === 'stale')
    report(
      `ignoring ${file}: ${c.reason} (a worker that was killed leaves this file behind); remove it, or set REDIS_URL (or --redis-url) to choose the Redis`,
    );
  return undefined;
}

/**
 * Writes the file; true when written. A failure is logged, not thrown: the worker runs on its Redis, only
 * CLI commands need REDIS_URL to find it.
 */
export function writeEmbeddedUrlFile(file: string, text: string, log: Logger): boolean {
  try {
    writeFileAtomic(file, text);
    return true;
  } catch (e) {
    warnUrlFileUnwritten(file, (e as Error).message, log);
    return false;
  }
}

export function warnUrlFileUnwritten(file: string, err: string, log: Logger): void {
  log.warn({ file, err }, 'cannot write the embedded Redis URL; CLI commands need REDIS_URL to find it');
}

/** Removes the file only while it holds `text`: another worker on the same data dir may have written its own since. */
export function removeEmbeddedUrlFile(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}
