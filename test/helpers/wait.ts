/**
 * Waiting in tests, one way. Every wait has a timeout and names what it waited for, first argument first:
 *
 *  - `nextEvent` / `whenEvent`: an EventEmitter event (a child's output, a receiver's request, a BullMQ
 *    QueueEvents event), or a condition re-checked on every such event;
 *  - `whenQueues`: BullMQ queue state, re-checked on every entry of the queues' event streams (XREAD BLOCK);
 *  - `until(what, fn, { timeoutMs })`: a condition poll, only where nothing emits an event (a child process's
 *    HTTP endpoint, a file, a server that is not ours);
 *  - `whenQueuesIdle` / `whenQuiet`: before asserting that nothing more arrives — wait until nothing is left
 *    that could still deliver (no job waiting, active or delayed; no request in hand), then assert;
 *  - `sleep`: only where time itself is the subject (a timer, a rate-limit window); the call says why.
 */
import type { EventEmitter } from 'node:events';
import IORedis, { type Redis, type RedisOptions } from 'ioredis';
import type { Job, JobType, Queue } from 'bullmq';

export interface WaitOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** The state seen last, for the timeout message ("3 requests so far"). */
  detail?: () => string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

type Falsy = false | 0 | '' | null | undefined;
/** A condition: done when it returns a truthy value (which the wait resolves with); a throw fails the wait. */
export type Check<T> = () => T | Falsy | Promise<T | Falsy>;

export class WaitTimeout extends Error {
  override name = 'WaitTimeout';
}

function timeout(what: string, ms: number, ...details: (string | undefined)[]): WaitTimeout {
  const said = details.filter(Boolean).join('; ');
  return new WaitTimeout(`timed out after ${ms} ms waiting for ${what}${said ? ` (${said})` : ''}`);
}

/** Time itself as the subject of a test (a timer under test, a rate-limit window): never to wait for a thing. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `promise`, or a rejection naming `what` once `timeoutMs` has passed. */
export async function within<T>(what: string, promise: Promise<T>, opts: WaitOptions = {}): Promise<T> {
  const ms = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout(what, ms, opts.detail?.())), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The arguments of the next `event` from `emitter` (the first for which `match` holds, when given). */
export function nextEvent<A extends unknown[] = unknown[]>(
  what: string,
  emitter: EventEmitter,
  event: string,
  opts: WaitOptions & { match?: (...args: A) => boolean } = {},
): Promise<A> {
  let listener: ((...args: A) => void) | undefined;
  const seen = new Promise<A>((resolve) => {
    listener = (...args: A) => {
      if (!opts.match || opts.match(...args)) resolve(args);
    };
    emitter.on(event, listener as (...args: unknown[]) => void);
  });
  return within(what, seen, opts).finally(() => emitter.off(event, listener as (...args: unknown[]) => void));
}

/**
 * Resolves with `check()` once it is truthy: checked now and again after each of `events` on `emitter` (for
 * state an event changes: a receiver's request list, a child's log lines). A throw from `check` fails the wait.
 */
export function whenEvent<T>(
  what: string,
  emitter: EventEmitter,
  events: string | readonly string[],
  check: Check<T>,
  opts: WaitOptions = {},
): Promise<T> {
  const names = typeof events === 'string' ? [events] : events;
  let listener = (): void => undefined;
  const met = new Promise<T>((resolve, reject) => {
    // Checks only read, so one per event, overlapping if they must: none is skipped, none is lost.
    listener = () =>
      void Promise.resolve()
        .then(check)
        .then((v) => v && resolve(v), reject);
    for (const n of names) emitter.on(n, listener);
    listener();
  });
  return within(what, met, opts).finally(() => {
    for (const n of names) emitter.off(n, listener);
  });
}

/**
 * Polls `fn` every `intervalMs` (default 50) until it returns a truthy value, which it resolves with. Only where
 * no event exists to wait on. A throw counts as "not yet" (an endpoint still starting); the last one is named
 * in the timeout message.
 */
export async function until<T>(
  what: string,
  fn: Check<T>,
  opts: WaitOptions & { intervalMs?: number } = {},
): Promise<T> {
  const ms = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const end = Date.now() + ms;
  let lastError: Error | undefined;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e as Error;
    }
    const left = end - Date.now();
    if (left <= 0) throw timeout(what, ms, opts.detail?.(), lastError && `last error: ${lastError.message}`);
    await sleep(Math.min(opts.intervalMs ?? 50, left));
  }
}

/** A connection of its own for blocking reads, to the server `queue` uses. */
function blockingConnection(queue: Queue): Redis {
  const c = queue.opts.connection as Redis | RedisOptions;
  // A Redis Cluster client duplicates into one with the same nodes (its options are not a server's).
  if ((c as { isCluster?: boolean }).isCluster) return watchable((c as Redis).duplicate());
  const conn =
    c instanceof IORedis
      ? c.duplicate({ maxRetriesPerRequest: null })
      : new IORedis({ ...c, maxRetriesPerRequest: null });
  return watchable(conn);
}

function watchable(conn: Redis): Redis {
  conn.on('error', () => undefined); // a failed read fails the wait; ioredis need not print it too
  return conn;
}

/**
 * Resolves with `check()` once it is truthy: checked now and again whenever any of `queues` records an event
 * (BullMQ writes every job transition to the queue's event stream; an XREAD BLOCK on a connection of its own
 * reads them, starting from the newest entry before the first check, so no change after it goes unseen).
 */
export async function whenQueues<T>(
  what: string,
  queues: readonly Queue[],
  check: Check<T>,
  opts: WaitOptions = {},
): Promise<T> {
  const [first] = queues;
  if (!first) throw new Error(`whenQueues(${what}): no queue to watch`);
  const reader = blockingConnection(first);
  const keys = queues.map((q) => q.keys.events ?? '');
  const watch = async (): Promise<T> => {
    const ids = await Promise.all(
      keys.map(
        async (k) => ((await reader.xrevrange(k, '+', '-', 'COUNT', 1)) as [string, string[]][])[0]?.[0] ?? '0-0',
      ),
    );
    for (;;) {
      const v = await check();
      if (v) return v;
      // Until the next event on any of the streams, or 1 s: then checked again anyway, in case a change came
      // unannounced. `within` below ends the wait (and this read) in time.
      const read = (await reader.call('XREAD', 'BLOCK', '1000', 'STREAMS', ...keys, ...ids)) as
        [string, [string, string[]][]][] | null;
      for (const [key, entries] of read ?? []) {
        const last = entries.at(-1);
        if (last) ids[keys.indexOf(key)] = last[0];
      }
    }
  };
  const watching = watch();
  watching.catch(() => undefined); // after a timeout the disconnect below fails the pending read: not news
  try {
    return await within(what, watching, opts);
  } finally {
    reader.disconnect();
  }
}

/**
 * The job `id` of `queue` once completed, read again then (a copy read before may predate its return value).
 * Fails at once when the job failed for good (a dead letter), with its reason.
 */
export function jobCompleted(what: string, queue: Queue, id: string, opts: WaitOptions = {}): Promise<Job> {
  return whenQueues(
    what,
    [queue],
    async () => {
      const state = await queue.getJobState(id);
      if (state === 'failed') throw new Error(`${what}: job ${id} failed: ${(await queue.getJob(id))?.failedReason}`);
      return state === 'completed' && (await queue.getJob(id));
    },
    opts,
  );
}

const BUSY: JobType[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'];

/**
 * Quiet period for queues: resolves once no job in any of `queues` is waiting, active, delayed or otherwise
 * still to run. Give them upstream first (poll, detect, notify): a queue is only read after the ones before it
 * were idle, so a job one hands to the next is seen.
 */
export function whenQueuesIdle(what: string, queues: readonly Queue[], opts: WaitOptions = {}): Promise<true> {
  let busy = '';
  return whenQueues(
    what,
    queues,
    async () => {
      for (const q of queues) {
        const counts = await q.getJobCounts(...BUSY);
        if (Object.values(counts).some((n) => n > 0)) {
          busy = `${q.name}: ${JSON.stringify(counts)}`;
          return false;
        }
      }
      return true;
    },
    { detail: () => busy, ...opts },
  );
}

/** A recording test server (an HTTP receiver) that can tell when it holds no request it has not answered. */
export interface Idles {
  idle(opts?: WaitOptions): Promise<void>;
}

/**
 * Before asserting that nothing more arrives: resolves once nothing is left that could still deliver — the
 * queues idle (upstream first), then every server with no request in hand.
 */
export async function whenQuiet(
  what: string,
  o: { queues?: readonly Queue[]; servers?: readonly Idles[] },
  opts: WaitOptions = {},
): Promise<void> {
  if (o.queues?.length) await whenQueuesIdle(what, o.queues, opts);
  for (const s of o.servers ?? []) await s.idle(opts);
}
