/**
 * Finds the Redis the worker should use, so `npm install && npm start` works on a fresh machine:
 * REDIS_URL when set; else 127.0.0.1:6379 when something answers PING there; else an embedded
 * `redis-server` child (from PATH) on a free loopback port with AOF persistence in <dataDir>/redis.
 *
 * A worker killed alone (SIGKILL of node: OOM killer, `kill -9 <pid>`) leaves its redis-server running,
 * orphaned. The next embedded start adopts that server (see adoptOrphan) instead of starting a second one on
 * the same AOF directory, and stops it on shutdown as if it had started it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
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

/** `pid`: INFO server `process_id`, when the reply has one. */
export type RunIdProbe = { ok: true; runId: string; pid?: number } | { ok: false; reason: string };

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
      if (head.startsWith('-'))
        return finish({ ok: false, reason: `it answers INFO with an error: ${head.slice(1, 120)}` });
      if (!/^\$\d+$/.test(head))
        return finish({ ok: false, reason: `not a Redis reply to INFO: ${JSON.stringify(head.slice(0, 40))}` });
      if (buf.length < eol + 2 + Number(head.slice(1))) return; // the rest of the bulk reply is still coming
      const m = /^run_id:([0-9a-f]{40})\r?$/m.exec(buf);
      const pid = Number(/^process_id:(\d+)\r?$/m.exec(buf)?.[1]);
      finish(
        m
          ? { ok: true, runId: m[1], ...(pid > 0 ? { pid } : {}) }
          : { ok: false, reason: 'its INFO server reply has no run_id' },
      );
    });
  });
}

/** Where liveEmbeddedRedisUrl says why it ignores a URL file; default: one line on stderr (CLI commands). */
export type UrlFileReport = (message: string) => void;
const toStderr: UrlFileReport = (m) => process.stderr.write(`flightwatch: ${m}\n`);

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
  const lines = text.split('\n').map((l) => l.trim());
  const url = lines[0];
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* reported below */
  }
  if (!u || u.protocol !== 'redis:' || !u.port)
    return stale(`its first line ${JSON.stringify(url.slice(0, 80))} is not a redis:// URL with a port`);
  const host = u.hostname;
  const port = Number(u.port);
  if (!(await ping(host, port))) return stale(`nothing answers PING at ${url}`);
  const expected = /^run_id=([0-9a-f]{40})$/.exec(lines.find((l) => l.startsWith('run_id=')) ?? '')?.[1];
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

type RespValue = string | number | null | RespError | RespValue[];
class RespError extends Error {}

/** One RESP reply starting at `at` in `buf`: the value and where the next begins; undefined while incomplete. */
function parseResp(buf: Buffer, at: number): { value: RespValue; next: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  if (type === '+') return { value: line, next: eol + 2 };
  if (type === '-') return { value: new RespError(line), next: eol + 2 };
  if (type === ':') return { value: Number(line), next: eol + 2 };
  if (type === '$') {
    const n = Number(line);
    if (n < 0) return { value: null, next: eol + 2 };
    if (buf.length < eol + 2 + n + 2) return undefined;
    return { value: buf.toString('utf8', eol + 2, eol + 2 + n), next: eol + 2 + n + 2 };
  }
  if (type === '*') {
    const n = Number(line);
    if (n < 0) return { value: null, next: eol + 2 };
    const items: RespValue[] = [];
    let next = eol + 2;
    for (let i = 0; i < n; i++) {
      const item = parseResp(buf, next);
      if (!item) return undefined;
      items.push(item.value);
      next = item.next;
    }
    return { value: items, next };
  }
  throw new RespError(`not a Redis reply: ${JSON.stringify(buf.toString('latin1', at, Math.min(eol, at + 40)))}`);
}

/**
 * Commands in order on one raw connection (no client library, no retries): each reply, or 'closed' when the
 * server closed the connection instead of replying (what a successful SHUTDOWN does). `next` sees each reply
 * and returns the next command, or undefined to stop. Rejects when nothing answers or on a timeout.
 */
function respConversation(
  host: string,
  port: number,
  first: string[],
  next: (reply: RespValue | 'closed') => string[] | undefined,
  timeoutMs = 2000,
): Promise<void> {
  return new Promise((done, fail) => {
    const sock = createConnection({ host, port });
    let buf = Buffer.alloc(0);
    let settled = false;
    const finish = (e?: Error) => {
      if (settled) return;
      settled = true;
      sock.destroy();
      if (e) fail(e);
      else done();
    };
    const send = (cmd: string[]) =>
      sock.write(`*${cmd.length}\r\n${cmd.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    const step = (reply: RespValue | 'closed') => {
      let cmd: string[] | undefined;
      try {
        cmd = next(reply);
      } catch (e) {
        return finish(e as Error);
      }
      if (!cmd) return finish();
      if (reply === 'closed') return finish(new Error('the connection closed before the reply'));
      send(cmd);
    };
    sock.setTimeout(timeoutMs, () => finish(new Error(`no reply within ${timeoutMs} ms`)));
    sock.once('error', (e) => finish(new Error(`nothing answers (${e.message})`)));
    sock.once('close', () => (settled ? undefined : step('closed')));
    sock.once('connect', () => send(first));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      try {
        for (let r = parseResp(buf, 0); r && !settled; r = parseResp(buf, 0)) {
          buf = buf.subarray(r.next);
          step(r.value);
        }
      } catch (e) {
        finish(e as Error);
      }
    });
  });
}

/** `CONFIG GET dir` of a server: its working directory, where its AOF lives. */
async function redisConfigDir(host: string, port: number): Promise<string> {
  let dir: string | undefined;
  await respConversation(host, port, ['CONFIG', 'GET', 'dir'], (r) => {
    if (r instanceof RespError) throw new Error(`it answers CONFIG GET dir with an error: ${r.message.slice(0, 120)}`);
    if (!Array.isArray(r) || r[0] !== 'dir' || typeof r[1] !== 'string')
      throw new Error('its reply to CONFIG GET dir names no dir');
    dir = r[1];
    return undefined;
  });
  return dir!;
}

/**
 * SHUTDOWN of the server at host:port, on the same connection that first confirms by INFO that it is still
 * the server with `runId` (so a later server on that port is never touched). true once the server closed the
 * connection (it has shut down: AOF flushed); false when another server (or none) answers there.
 */
async function shutdownIfSame(host: string, port: number, runId: string): Promise<boolean> {
  let same = false;
  let down = false;
  try {
    await respConversation(
      host,
      port,
      ['INFO', 'server'],
      (r) => {
        if (r === 'closed') return ((down = same), undefined);
        if (!same) {
          same = typeof r === 'string' && new RegExp(`^run_id:${runId}\\r?$`, 'm').test(r);
          return same ? ['SHUTDOWN'] : undefined;
        }
        if (r instanceof RespError) throw new Error(`SHUTDOWN refused: ${r.message.slice(0, 120)}`);
        return undefined;
      },
      10_000,
    );
  } catch (e) {
    if (!same) return false;
    throw e;
  }
  return down;
}

/** Linux: the state letter and parent pid of a process from /proc; undefined elsewhere or when it is gone. */
function procStat(pid: number | 'self'): { comm: string; state: string; ppid: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const [state, ppid] = s.slice(close + 2).split(' ');
    return { comm: s.slice(s.indexOf('(') + 1, close), state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** A process that has exited (or is a zombie nobody reaps: an orphan's parent may be an init that does not). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const st = procStat(pid);
  return st?.state === 'Z' || st?.state === 'X';
}

const sameDir = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * The redis-server named by a live URL file (same run_id: the one an earlier worker on this data dir started)
 * becomes this worker's embedded server, when it is an orphan. Not adopted, and not touched:
 * - a server whose `CONFIG GET dir` is not this data dir's redis dir (a URL file copied along with a data dir,
 *   or a port answered by the server of another data dir): undefined, a new server is started as usual;
 * - a server whose parent process is still a running process like this one (on Linux: /proc), i.e. the
 *   embedded server of a worker that is alive on the same data dir: an error, because a second redis-server
 *   on the same AOF directory is exactly what must not happen.
 */
async function adoptOrphan(
  found: Extract<UrlFileCheck, { kind: 'live' }>,
  dir: string,
  urlFile: string,
  log: Logger,
): Promise<ResolvedRedis | undefined> {
  const { url, host, port, runId, pid } = found;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    log.warn(
      { url, urlFile },
      'not adopting the Redis named in the embedded URL file: not on loopback, so not one this worker started; starting a new redis-server',
    );
    return undefined;
  }
  let theirDir: string;
  try {
    theirDir = await redisConfigDir(host, port);
  } catch (e) {
    log.warn(
      { url, urlFile, err: (e as Error).message },
      'not adopting the Redis named in the embedded URL file: cannot read its dir; starting a new redis-server',
    );
    return undefined;
  }
  if (!sameDir(theirDir, dir)) {
    log.warn(
      { url, urlFile, pid, theirDir, dir },
      'not adopting the Redis named in the embedded URL file: its AOF dir is not this data dir; starting a new redis-server and leaving that one alone',
    );
    return undefined;
  }
  const parent = pid ? procStat(pid) : undefined;
  const self = procStat('self');
  if (parent && self) {
    const owner = procStat(parent.ppid);
    if (parent.ppid === process.pid || owner?.comm === self.comm)
      throw new Error(
        `the embedded redis-server at ${url} (pid ${pid}, AOF in ${dir}) is still run by process ${parent.ppid} (${owner?.comm ?? 'this one'}), ` +
          'most likely another worker on the same data.dir; a second redis-server on one AOF directory would corrupt it. ' +
          'Stop that worker, give this one its own data.dir, or set REDIS_URL to that server to share it.',
      );
  }
  const written = embeddedUrlFileText(url, runId);
  try {
    writeFileAtomic(urlFile, written); // already this text; written again so stop() knows the file is ours
  } catch (e) {
    log.warn(
      { file: urlFile, err: (e as Error).message },
      'cannot write the embedded Redis URL; CLI commands need REDIS_URL to find it',
    );
  }
  log.info(
    { port, dir, urlFile, pid, runId },
    `adopted the embedded redis-server a killed worker left running (pid ${pid ?? 'unknown'}) instead of starting a second one on the same AOF`,
  );
  return {
    url,
    origin: 'embedded',
    async stop() {
      removeUrlFile(urlFile, written);
      // As for a started one: SHUTDOWN (it flushes the AOF), else SIGTERM to its pid; SIGKILL after 5 s.
      let down: boolean;
      try {
        down = await shutdownIfSame(host, port, runId);
      } catch (e) {
        const still = await redisRunId(host, port);
        down = !(still.ok && still.runId === runId);
        if (!down && pid) {
          log.warn(
            { url, pid, err: (e as Error).message },
            'adopted redis-server did not take SHUTDOWN; sending SIGTERM',
          );
          process.kill(pid, 'SIGTERM');
          down = true;
        } else if (!down)
          log.warn(
            { url, err: (e as Error).message },
            'adopted redis-server did not take SHUTDOWN and its pid is unknown: it keeps running',
          );
      }
      if (!down || !pid) return;
      const until = Date.now() + 5000;
      while (!processGone(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      if (!processGone(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}

export async function startEmbeddedRedis(dataDir: string, log: Logger, bin = 'redis-server'): Promise<ResolvedRedis> {
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const found = await checkEmbeddedUrlFile(dataDir);
  if (found.kind === 'live') {
    const adopted = await adoptOrphan(found, dir, embeddedUrlFile(dataDir), log);
    if (adopted) return adopted;
  } else if (found.kind !== 'none')
    log.info(
      { file: embeddedUrlFile(dataDir), reason: found.reason },
      'embedded Redis URL file left by an earlier run is stale; starting a new redis-server',
    );
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
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
    if (child.exitCode !== null)
      throw new RedisUnavailableError(`embedded redis-server exited with code ${child.exitCode}`);
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
        log.warn(
          { file: urlFile, err: (e as Error).message },
          'cannot write the embedded Redis URL; CLI commands need REDIS_URL to find it',
        );
      }
      log.info({ port, dir, urlFile }, 'started embedded redis-server (AOF persistence)');
      return {
        url,
        origin: 'embedded',
        stop: () =>
          new Promise<void>((done) => {
            if (written) removeUrlFile(urlFile, written);
            if (child.exitCode !== null || child.signalCode !== null) return done(); // already gone (killed, crashed)
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

export async function resolveRedis(opts: {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  log: Logger;
  redisServerBin?: string;
  skipLocal?: boolean;
}): Promise<ResolvedRedis> {
  const env = opts.env ?? process.env;
  const noop = async () => {};
  if (env.REDIS_URL) return { url: env.REDIS_URL, origin: 'env', stop: noop };
  if (!opts.skipLocal && (await pingRedis('127.0.0.1', 6379)))
    return { url: 'redis://127.0.0.1:6379', origin: 'local', stop: noop };
  return startEmbeddedRedis(opts.dataDir, opts.log, opts.redisServerBin);
}
