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
 * (`dlq`, `silence`, `alert`) read it here; written once the server answers, removed when it stops. A worker
 * killed with SIGKILL leaves it behind, so readers check that the server still answers.
 */
export const embeddedUrlFile = (dataDir: string) => resolve(dataDir, 'redis', 'url');

/** The URL in `<dataDir>/redis/url` when it is a loopback redis:// URL whose server answers PING. */
export async function liveEmbeddedRedisUrl(dataDir: string, ping = pingRedis): Promise<string | undefined> {
  let text: string;
  try {
    text = readFileSync(embeddedUrlFile(dataDir), 'utf8').trim();
  } catch {
    return undefined;
  }
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'redis:' || !u.port) return undefined;
  return (await ping(u.hostname, Number(u.port))) ? text : undefined;
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
      try {
        writeFileAtomic(urlFile, `${url}\n`);
      } catch (e) {
        log.warn({ file: urlFile, err: (e as Error).message }, 'cannot write the embedded Redis URL; CLI commands need REDIS_URL to find it');
      }
      log.info({ port, dir, urlFile }, 'started embedded redis-server (AOF persistence)');
      return {
        url,
        origin: 'embedded',
        stop: () =>
          new Promise<void>((done) => {
            removeUrlFile(urlFile, url);
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

/** Only our own URL: another worker on the same data dir may have written its own since. */
function removeUrlFile(file: string, url: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === url) rmSync(file, { force: true });
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
