/**
 * Short questions to a Redis that may not be there or may not be ours: PING, INFO server run_id, CONFIG GET dir
 * and a SHUTDOWN that first checks the run_id. One ioredis connection per question, one attempt, an overall
 * deadline, and nothing sent but the question: no AUTH (no password is given), no ready-check INFO, no CLIENT
 * SETINFO. So a server that wants a password answers the question itself with NOAUTH, and a foreign server sees
 * nothing but a read.
 */
import IORedis, { type Redis } from 'ioredis';
import { disconnectNow } from '../../pipeline/connection';

/** Why a probe got no usable answer; `message` is the error's, for reasons shown to people. */
export type ProbeFailure =
  | { kind: 'unreachable'; message: string } // nothing accepts the connection
  | { kind: 'timeout'; message: string } // no answer before the deadline
  | { kind: 'error-reply'; message: string } // the server answered with an error (NOAUTH, ERR …)
  | { kind: 'not-redis'; message: string } // the reply is not RESP
  | { kind: 'closed'; message: string }; // the connection closed before the reply

export type ProbeResult<T> = { ok: true; value: T } | { ok: false; failure: ProbeFailure };

/**
 * Connects once to host:port and runs `ask` on that connection, within `timeoutMs` in all. Never rejects: a
 * failure is classified. The connection is always closed afterwards.
 */
export async function probeRedis<T>(
  host: string,
  port: number,
  timeoutMs: number,
  ask: (redis: Redis) => Promise<T>,
): Promise<ProbeResult<T>> {
  const redis = new IORedis({
    host,
    port,
    lazyConnect: true,
    enableReadyCheck: false,
    disableClientInfo: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    disconnectTimeout: timeoutMs,
  });
  // A refused connection rejects connect() with a bare "Connection is closed."; its cause comes as an event.
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause ??= e));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ProbeResult<T>>((done) => {
    timer = setTimeout(
      () => done({ ok: false, failure: { kind: 'timeout', message: `no reply within ${timeoutMs} ms` } }),
      timeoutMs,
    );
  });
  const conversation = (async (): Promise<ProbeResult<T>> => {
    try {
      await redis.connect();
    } catch (e) {
      return { ok: false, failure: { kind: 'unreachable', message: (cause ?? (e as Error)).message } };
    }
    try {
      return { ok: true, value: await ask(redis) };
    } catch (e) {
      return { ok: false, failure: classify(e as Error, redis) };
    }
  })();
  try {
    return await Promise.race([conversation, deadline]);
  } finally {
    clearTimeout(timer);
    disconnectNow(redis);
  }
}

/** A command that failed on an open connection. ioredis exports its error classes untyped: matched by name. */
function classify(e: Error, redis: Redis): ProbeFailure {
  if (e.name === 'ReplyError') return { kind: 'error-reply', message: e.message };
  if (e.name === 'ParserError') return { kind: 'not-redis', message: e.message };
  // 'end': the server closed the connection and, with no retry strategy, ioredis gave up on it.
  if (redis.status === 'end') return { kind: 'closed', message: e.message };
  return { kind: 'unreachable', message: e.message };
}

/** true when the server answers PONG, or NOAUTH (a server is there; it wants a password). */
export async function pingRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  const r = await probeRedis(host, port, timeoutMs, (redis) => redis.ping());
  if (r.ok) return r.value === 'PONG';
  return r.failure.kind === 'error-reply' && r.failure.message.startsWith('NOAUTH');
}

/** `pid`: INFO server `process_id`, when the reply has one. */
export type RunIdProbe = { ok: true; runId: string; pid?: number } | { ok: false; reason: string };

/** The server's `INFO server` run_id (40 hex digits, drawn at every start), or why there is none. */
export async function redisRunId(host: string, port: number, timeoutMs = 1000): Promise<RunIdProbe> {
  const r = await probeRedis(host, port, timeoutMs, (redis) => redis.info('server'));
  if (!r.ok) return { ok: false, reason: runIdFailure(r.failure, timeoutMs) };
  return runIdOfInfo(r.value);
}

function runIdFailure(f: ProbeFailure, timeoutMs: number): string {
  switch (f.kind) {
    case 'unreachable':
      return `nothing answers (${f.message})`;
    case 'timeout':
      return `no reply to INFO within ${timeoutMs} ms`;
    case 'error-reply':
      return `it answers INFO with an error: ${f.message.slice(0, 120)}`;
    case 'not-redis':
      return `not a Redis reply to INFO: ${f.message.slice(0, 120)}`;
    case 'closed':
      return 'the connection closed before a reply to INFO';
  }
}

/** run_id and process_id of an `INFO server` reply. */
export function runIdOfInfo(info: string): RunIdProbe {
  const runId = /^run_id:([0-9a-f]{40})\r?$/m.exec(info)?.[1];
  if (!runId) return { ok: false, reason: 'its INFO server reply has no run_id' };
  const pid = Number(/^process_id:(\d+)\r?$/m.exec(info)?.[1]);
  return { ok: true, runId, ...(pid > 0 ? { pid } : {}) };
}

/** `CONFIG GET dir` of a server: its working directory, where its AOF lives. Rejects with the reason. */
export async function redisConfigDir(host: string, port: number, timeoutMs = 2000): Promise<string> {
  const r = await probeRedis(host, port, timeoutMs, (redis) => redis.config('GET', 'dir'));
  if (!r.ok) {
    const f = r.failure;
    throw new Error(
      f.kind === 'error-reply'
        ? `it answers CONFIG GET dir with an error: ${f.message.slice(0, 120)}`
        : `no reply to CONFIG GET dir: ${f.message}`,
    );
  }
  const [name, dir] = r.value as unknown[];
  if (name !== 'dir' || typeof dir !== 'string') throw new Error('its reply to CONFIG GET dir names no dir');
  return dir;
}

/**
 * SHUTDOWN of the server at host:port, on the same connection that first confirms by INFO that it is still
 * the server with `runId` (so a later server on that port is never touched). true once the server closed the
 * connection (it has shut down: AOF flushed); false when another server (or none) answers there. Rejects when
 * it is that server but SHUTDOWN failed (refused, no answer).
 */
export async function shutdownIfSame(host: string, port: number, runId: string, timeoutMs = 10_000): Promise<boolean> {
  let same = false;
  const r = await probeRedis(host, port, timeoutMs, async (redis) => {
    const id = runIdOfInfo(await redis.info('server'));
    same = id.ok && id.runId === runId;
    if (!same) return false;
    try {
      await redis.shutdown();
    } catch (e) {
      // A successful SHUTDOWN never replies: the server closes the connection once the AOF is flushed.
      if (redis.status === 'end' && (e as Error).name !== 'ReplyError') return true;
      throw e;
    }
    return false; // it replied instead of shutting down
  });
  if (r.ok) return r.value;
  if (!same) return false;
  throw new Error(
    r.failure.kind === 'error-reply'
      ? `SHUTDOWN refused: ${r.failure.message.slice(0, 120)}`
      : `no reply to SHUTDOWN: ${r.failure.message}`,
  );
}
