/**
 * The worker's composition root: validated config → Redis → ingest, detection, delivery pipeline.
 * Nothing connects before the config is valid (the caller validates). Returns a handle whose stop() shuts
 * down in order: trigger and workers (in-flight jobs finish, bounded), queues, Redis, embedded Redis.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import { buildIngest, type IngestStage } from '../ingest/build';
import { runPollCycle, createPollCounters, type PollCounters, type PollCycleResult } from '../ingest/poll-cycle';
import { loadEnrichment } from '../enrich/load';
import { loadAirportIndex } from '../data/load-airports';
import { createDetector, detectorOptionsFromConfig } from '../detect';
import { RedisTrackStore } from '../detect/store/redis-store';
import { buildChannels, closeChannels } from '../deliver/build-channels';
import { startPipeline, type Pipeline } from '../deliver/pipeline';
import { createRedis } from '../queue/connection';
import { DEFAULT_PREFIX } from '../queue/names';
import { resolveRedis, type ResolvedRedis } from './redis-discovery';
import type { Logger } from '../util/log';

export interface WorkerOptions {
  config: Config;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Key prefix for queues and state (several deployments can share one Redis). */
  prefix?: string;
  /** Called after every poll cycle (metrics, blind-watcher). */
  onPollCycle?: (r: PollCycleResult) => void;
}

export interface RunningWorker {
  redisUrl: string;
  redisOrigin: ResolvedRedis['origin'];
  connection: Redis;
  pipeline: Pipeline;
  counters: PollCounters;
  /** Swaps the ingest stage (sources, plan, watchlist) for a new valid config without restarting queues. */
  reloadIngest(config: Config): void;
  stop(timeoutMs?: number): Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const { config, log } = o;
  const env = o.env ?? process.env;
  const prefix = o.prefix ?? env.FLIGHTWATCH_PREFIX ?? DEFAULT_PREFIX;

  // Reference data first: a missing table is a clear error before anything connects.
  const airports = await loadAirportIndex({ dir: config.data.dir, warn: (m) => log.warn(m) });
  log.info({ airports: airports.size, origin: airports.origin }, 'airport table loaded');
  const enrich = loadEnrichment(config, log);
  let ingest: IngestStage = buildIngest(config, { log, enrich });
  const counters = createPollCounters();

  const redis = await resolveRedis({ env, dataDir: config.data.dir, log });
  log.info({ origin: redis.origin }, 'using Redis');
  const connection = createRedis(redis.url, 'worker');
  connection.on('error', (e) => log.warn({ err: e.message }, 'Redis connection error (reconnecting)'));

  const store = new RedisTrackStore({
    redis: connection,
    prefix: `${prefix}:`,
    ttlMs: config.detect.trackTtlDays * 86_400_000,
    onCorrupt: (hex, e) => log.error({ hex, err: e.message }, 'corrupt track state discarded'),
  });
  const detector = createDetector(detectorOptionsFromConfig(config, airports, store, log));
  const channels = buildChannels(config.alerts, { env, log });

  const pipeline = await startPipeline({
    alerts: config.alerts,
    connection,
    channels,
    detector,
    schedule: config.poll.schedule,
    prefix,
    log,
    pollOnce: async () => {
      const r = await runPollCycle({ sources: ingest.sources, plan: ingest.plan, watchlist: ingest.watchlist, enrich, log, metrics: counters });
      o.onPollCycle?.(r);
      log.info(
        { servedBy: r.servedBy, matched: r.matched.length, states: r.states, ms: r.durationMs, failed: r.attempts.filter((a) => !a.ok).map((a) => a.sourceId) },
        'poll cycle',
      );
      return { now: r.startedAt, matched: r.matched };
    },
  });
  log.info({ schedule: config.poll.schedule, sources: ingest.sources.map((s) => s.id), watch: config.watch.filter((w) => w.enabled).length, channels: [...channels.keys()] }, 'worker started');

  return {
    redisUrl: redis.url,
    redisOrigin: redis.origin,
    connection,
    pipeline,
    counters,
    reloadIngest(next: Config) {
      const old = ingest;
      ingest = buildIngest(next, { log, enrich });
      old.close();
    },
    async stop(timeoutMs = 8_000) {
      await pipeline.close(timeoutMs);
      await closeChannels(channels);
      ingest.close();
      await connection.quit().catch(() => connection.disconnect());
      await redis.stop();
    },
  };
}
