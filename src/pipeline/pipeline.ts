/**
 * Starts the delivery side of the worker: the cron trigger and the poll, detect and notify workers, each
 * only when its dependency is given (a notify-only process needs no ingest). The caller owns the Redis
 * connection, which must be created with `createRedis(url, 'worker')` (maxRetriesPerRequest: null).
 * Shutdown order follows BullMQ's guide: stop the trigger, close workers (bounded wait, then force), close
 * queues; the caller then closes the connection.
 */
import { Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertsConfig } from '../config/alerts-schema';
import type { Detector } from '../detect/types';
import type { DetectionOutbox } from '../detect/store/detection-outbox';
import { silentLogger, type Logger } from '../util/log';
import { QUEUE } from './names';
import { DEFAULT_PREFIX } from '../alerting/keys';
import { createContext, type Channels, type DeliveryContext, type DeliveryObserver } from './context';
import { notifyBackoff, notifyProcessor } from './processors/notify';
import { pollProcessor, type PollOnce } from './processors/poll';
import { detectProcessor } from './processors/detect';
import { drainDetections } from './drain-detections';
import { startPollTrigger, type PollTrigger } from './trigger';
import { warnUnlessNoeviction, watchRedis, type RedisWatch } from './connection';
import { redactError } from '../util/redact';
import type { PipelineConfig } from '../config/pipeline-schema';

export interface PipelineOptions {
  alerts: AlertsConfig;
  connection: Redis;
  channels: Channels;
  pollOnce?: PollOnce;
  detector?: Detector;
  /**
   * The detector's outbox (RedisTrackStore.outbox): detect jobs then deliver from it, so no event of a saved
   * track step is lost to a crash or a failed batch (see processors/detect.ts). The worker always passes it.
   */
  outbox?: DetectionOutbox;
  /** node-cron expression; the trigger runs only when given (and pollOnce is, somewhere). */
  schedule?: string;
  prefix?: string;
  log?: Logger;
  /** Counts events entering the history and operational alerts raised (the worker's metrics). */
  observer?: DeliveryObserver;
  /** Where Redis errors of workers and queues are reported (once per incident); default: one of its own. */
  redisWatch?: RedisWatch;
  /**
   * Ids of the watch entries delivered by digest; their events are gathered only when given. The caller sends
   * the digests (runtime/digests.ts: one scheduler for these and the report digests).
   */
  digestWatch?: () => ReadonlySet<string>;
  /** `alerts.digest.period` in effect (a reload may change it); default `alerts.digest.period`. */
  digestPeriod?: () => number;
  /** Handoff, back-pressure and retention (`pipeline:`); defaults when omitted. */
  pipeline?: PipelineConfig;
  /** Overrides for every worker (tests shorten lockDuration / stalledInterval). */
  workerOptions?: Partial<WorkerOptions>;
}

export interface Pipeline {
  ctx: DeliveryContext;
  workers: Worker[];
  /** Poll slots the trigger skipped so far (0 without a trigger). */
  skippedPollSlots(): number;
  close(timeoutMs?: number): Promise<void>;
}

/**
 * What a processor throws is stored by BullMQ in Redis (failedReason, stacktrace): masked on the way out.
 * The notify processor does this itself (it also masks what it sends).
 */
function masked<A extends unknown[], R>(fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return async (...a: A) => {
    try {
      return await fn(...a);
    } catch (e) {
      throw redactError(e);
    }
  };
}

export async function startPipeline(o: PipelineOptions): Promise<Pipeline> {
  const log = o.log ?? silentLogger;
  const prefix = o.prefix ?? DEFAULT_PREFIX;
  await warnUnlessNoeviction(o.connection, log);
  const ctx = createContext({
    alerts: o.alerts,
    redis: o.connection,
    prefix,
    channels: o.channels,
    log,
    observer: o.observer,
    digestWatch: o.digestWatch,
    digestPeriod: o.digestPeriod,
    pipeline: o.pipeline,
  });
  const ownWatch = o.redisWatch ? undefined : watchRedis(o.connection, log);
  const redisWatch = (o.redisWatch ?? ownWatch)!;
  // Without an error listener a BullMQ Queue prints every connection error as a plain-text stack trace.
  for (const q of [ctx.queues.poll, ctx.queues.detect, ctx.queues.notify])
    q.on('error', (err) => redisWatch.report(err, { queue: q.name }, 'queue error'));
  const base = { connection: o.connection, prefix, ...o.workerOptions };
  const workers: Worker[] = [];

  workers.push(
    new Worker(QUEUE.notify, notifyProcessor(ctx), {
      concurrency: o.alerts.concurrency,
      ...base,
      settings: { backoffStrategy: notifyBackoff(ctx.retry) },
    }),
  );
  if (o.detector) {
    // Detection is stateful and ordered: one detect job at a time across all replicas.
    await ctx.queues.detect.setGlobalConcurrency(1);
    workers.push(
      new Worker(QUEUE.detect, masked(detectProcessor(ctx, o.detector, o.outbox)), { concurrency: 1, ...base }),
    );
    // What a crashed worker left in the outbox goes out now, not at the next poll (idempotent if both run).
    if (o.outbox)
      void drainDetections(ctx, o.outbox).then(
        (r) => r.events && log.info(r, 'delivered detections left in the outbox'),
        (err) =>
          log.warn(
            { err: (err as Error).message },
            'detection outbox drain at start failed (the next detect job retries)',
          ),
      );
  }
  if (o.pollOnce)
    workers.push(new Worker(QUEUE.poll, masked(pollProcessor(ctx, o.pollOnce)), { concurrency: 1, ...base }));
  for (const w of workers) {
    // Without an error listener a worker may stop processing (BullMQ guide).
    w.on('error', (err) => redisWatch.report(err, { queue: w.name }, 'worker error'));
    w.on('failed', (job, err) => {
      if (job && (job.finishedOn || err.name === 'UnrecoverableError'))
        log.error({ queue: w.name, job: job.id, err: err.message }, 'job dead-lettered');
    });
  }
  const trigger: PollTrigger | undefined =
    o.schedule && o.pollOnce
      ? startPollTrigger({ schedule: o.schedule, queue: ctx.queues.poll, log, redisWatch })
      : undefined;
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  log.info({ queues: workers.map((w) => w.name), prefix }, 'delivery pipeline started');

  return {
    ctx,
    workers,
    skippedPollSlots: () => trigger?.skippedSlots() ?? 0,
    async close(timeoutMs = 10_000) {
      await trigger?.stop();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), timeoutMs)));
      const closed = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
      if ((await Promise.race([closed, deadline])) === 'timeout') {
        log.warn(
          { timeoutMs },
          'workers did not finish in time; forcing close (active jobs are retried after the stall check)',
        );
        await Promise.all(workers.map((w) => w.close(true)));
      }
      clearTimeout(timer);
      await ctx.queues.close();
      ownWatch?.stop();
    },
  };
}
