/**
 * Finds the Redis the worker should use, so `npm install && npm start` works on a fresh machine:
 * REDIS_URL when set; else 127.0.0.1:6379 when something answers PING there; else an embedded
 * `redis-server` child (from PATH) on a free loopback port with AOF persistence in <dataDir>/redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../data/atomic-write';
import type { Logger } from '../util/log';

export interface ResolvedRedis {
  url: string;
  origin: 'env' | 'local' | 'embedded';
  /** Stops the embedded server (no-op otherwise). */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `No Redis available (${detail}). flightwatch needs Redis 7 for its queues and state. Either:\n` +
        '  - install it: apt-get install redis-server   (macOS: brew install redis) and run `npm start` again\n' +
        '    (a redis-server on PATH is started and stopped with the worker, data in ./data/redis), or\n' +
        '  - point REDIS_URL at a running server, e.g. REDIS_URL=redis://127.0.0.1:6379, or\n' +
        '  - run the whole stack with `docker compose up -d` (see README).',
    );
    this.name = 'RedisUnavailableError';
  }
}

/** Sends PING over a raw socket; true when the reply is +PONG (or -NOAUTH: a server is there). */
export function pingRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock = createConnection({ host, port });
    const finish = (ok: boolean) => {
      sock.destroy();
      done(ok);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.once('error', () => finish(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => finish(/^(\+PONG|-NOAUTH)/.test(d.toString())));
  });
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => done(port));
    });
  });
}

/**
 * `<dataDir>/redis/url`: where a running embedded redis-server listens. Its port is random, so CLI commands
 * (`dlq`, `silence`, `alert`) read it here; written once the server answers, removed when it stops.
 *
 * A worker killed with SIGKILL leaves the file behind, and later a different Redis (another project's, another
 * worker's) may listen on that port. So the file also names the server: its second line is
 * `run_id=<INFO server run_id>`, 40 random hex digits Redis draws at every start, which no other server (nor
 * a restart of the same one) has. Readers trust the URL only when the server there reports that run_id.
 */
export const embeddedUrlFile = (dataDir: string) => resolve(dataDir, 'redis', 'url');

/** The text of the URL file: the URL on its own first line (for `head -1`), then the server's run_id. */
export function embeddedUrlFileText(url: string, runId: string): string {
  return `${url}\nrun_id=${runId}\n`;
}

export type RunIdProbe = { ok: true; runId: string } | { ok: false; reason: string };

/**
 * `INFO server` over a raw socket (no client library, no retry loop): the server's run_id, or why there is
 * none (nothing answers, a password is required, not a Redis reply).
 */
export function redisRunId(host: string, port: number, timeoutMs = 1000): Promise<RunIdProbe> {
  return new Promise((done) => {
    const sock = createConnection({ host, port });
    let buf = '';
    let settled = false;
    const finish = (r: RunIdProbe) => {
      if (settled) return;
      settled = true;
      sock.destroy();
      done(r);
    };
    sock.setTimeout(timeoutMs, () => finish({ ok: false, reason: `no reply to INFO within ${timeoutMs} ms` }));
    sock.once('error', (e) => finish({ ok: false, reason: `nothing answers (${e.message})` }));
    sock.once('close', () => finish({ ok: false, reason: 'the connection closed before a reply to INFO' }));
    sock.once('connect', () => sock.write('INFO server\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.length > 64 * 1024) return finish({ ok: false, reason: 'not a Redis reply to INFO (too long)' });
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const head = buf.slice(0, eol);
      if (head.startsWith('-')) return finish({ ok: false, reason: `it answers INFO with an error: ${head.slice(1, 120)}` });
      if (!/^\$\d+$/.test(head)) return finish({ ok: false, reason: `not a Redis reply to INFO: ${JSON.stringify(head.slice(0, 40))}` });
      if (buf.length < eol + 2 + Number(head.slice(1))) return; // the rest of the bulk reply is still coming
      const m = /^run_id:([0-9a-f]{40})\r?$/m.exec(buf);
      finish(m ? { ok: true, runId: m[1] } : { ok: false, reason: 'its INFO server reply has no run_id' });
    });
  });
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
export async function liveEmbeddedRedisUrl(dataDir: string, ping = pingRedis, report: UrlFileReport = toStderr, probe = redisRunId): Promise<string | undefined> {
  const file = embeddedUrlFile(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') report(`ignoring ${file}: cannot read it (${(e as Error).message})`);
    return undefined;
  }
  const ignore = (why: string) => {
    report(`ignoring ${file}: ${why} (a worker that was killed leaves this file behind); remove it, or set REDIS_URL (or --redis-url) to choose the Redis`);
    return undefined;
  };
  const lines = text.split('\n').map((l) => l.trim());
  const url = lines[0];
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* reported below */
  }
  if (!u || u.protocol !== 'redis:' || !u.port) return ignore(`its first line ${JSON.stringify(url.slice(0, 80))} is not a redis:// URL with a port`);
  const host = u.hostname;
  const port = Number(u.port);
  if (!(await ping(host, port))) return ignore(`nothing answers PING at ${url}`);
  const expected = /^run_id=([0-9a-f]{40})$/.exec(lines.find((l) => l.startsWith('run_id=')) ?? '')?.[1];
  if (!expected) return ignore(`it has no run_id line, so the Redis at ${url} cannot be confirmed as the embedded one (an older flightwatch wrote it, or it was edited)`);
  const got = await probe(host, port);
  if (!got.ok) return ignore(`the Redis at ${url} cannot confirm it is the embedded server that wrote the file: ${got.reason}`);
  if (got.runId !== expected) return ignore(`the Redis at ${url} is a different server (run_id ${got.runId.slice(0, 12)}…, the file names ${expected.slice(0, 12)}…)`);
  return url;
}

export async function startEmbeddedRedis(dataDir: string, log: Logger, bin = 'redis-server'): Promise<ResolvedRedis> {
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec',
    '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--logfile', ''];
  let child: ChildProcess;
  try {
    child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new RedisUnavailableError(`cannot start redis-server: ${(e as Error).message}`);
  }
  const spawnError = new Promise<Error>((res) => child.once('error', res));
  for (let i = 0; i < 50; i++) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
    if (failed) throw new RedisUnavailableError(`redis-server not found on PATH (${failed.message})`);
    if (child.exitCode !== null) throw new RedisUnavailableError(`embedded redis-server exited with code ${child.exitCode}`);
    if (await pingRedis('127.0.0.1', port)) {
      const url = `redis://127.0.0.1:${port}`;
      const urlFile = embeddedUrlFile(dataDir);
      // The server's run_id goes next to the URL, so a reader can tell this server from any later one on the port.
      const id = await redisRunId('127.0.0.1', port);
      let written: string | undefined;
      try {
        if (!id.ok) throw new Error(`cannot read its run_id: ${id.reason}`);
        written = embeddedUrlFileText(url, id.runId);
        writeFileAtomic(urlFile, written);
      } catch (e) {
        written = undefined;
        log.warn({ file: urlFile, err: (e as Error).message }, 'cannot write the embedded Redis URL; CLI commands need REDIS_URL to find it');
      }
      log.info({ port, dir, urlFile }, 'started embedded redis-server (AOF persistence)');
      return {
        url,
        origin: 'embedded',
        stop: () =>
          new Promise<void>((done) => {
            if (written) removeUrlFile(urlFile, written);
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM'); // redis-server flushes the AOF on SIGTERM
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      };
    }
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError('embedded redis-server did not answer within 5 s');
}

/** Only our own file: another worker on the same data dir may have written its own since. */
function removeUrlFile(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

export async function resolveRedis(opts: { env?: NodeJS.ProcessEnv; dataDir: string; log: Logger; redisServerBin?: string; skipLocal?: boolean }): Promise<ResolvedRedis> {
  const env = opts.env ?? process.env;
  const noop = async () => {};
  if (env.REDIS_URL) return { url: env.REDIS_URL, origin: 'env', stop: noop };
  if (!opts.skipLocal && (await pingRedis('127.0.0.1', 6379))) return { url: 'redis://127.0.0.1:6379', origin: 'local', stop: noop };
  return startEmbeddedRedis(opts.dataDir, opts.log, opts.redisServerBin);
}
