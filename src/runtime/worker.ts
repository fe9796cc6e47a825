/**
 * The worker's composition root: validated config → health server → Redis → ingest, detection, delivery
 * pipeline, metrics and the blind watcher. Nothing connects before the config is valid (the caller
 * validates). Returns a handle whose stop() shuts down in order: blind watcher, trigger and workers
 * (in-flight jobs finish, bounded), queues, channels, health server, Redis, embedded Redis.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import { buildIngest, type IngestStage } from '../ingest/build';
import { runPollCycle, createPollCounters, type PollCounters, type PollCycleResult } from '../ingest/poll-cycle';
import { loadEnrichment } from '../enrich/load';
import { loadAirportIndex } from '../data/load-airports';
import { useMapPlaces } from '../alerting/channels/map/places';
import { createDetector, MemoryIdentityMemory, RedisIdentityMemory, type IdentityMemory } from '../detect';
import { detectorOptionsFromConfig } from './detector-setup';
import type { Detector } from '../detect/types';
import { RedisTrackStore } from '../detect/store/redis-store';
import { buildChannels, closeChannels } from '../alerting/build-channels';
import { startPipeline, type Pipeline } from '../pipeline/pipeline';
import type { NotifyJobData, NotifyResult } from '../pipeline/jobs';
import { createRedis, redisPrefix, watchRedis } from '../pipeline/connection';
import { createClusterRedis } from '../pipeline/redis-cluster';
import { resolveRedis } from './redis/resolve-redis';
import { RedisUnavailableError, type ResolvedRedis } from './redis/resolved-redis';
import { createMetrics, deliveryObserver, type Metrics } from '../observability/metrics';
import { newestDataAt, SourceFreshness } from '../observability/freshness';
import { sharedLastDataAt, startBlindWatcher, type BlindWatcher } from '../observability/blind-watcher';
import {
  hostFromEnv,
  startHealthServer,
  timeout,
  type HealthServer,
  type ReadinessCheck,
} from '../observability/http-server';
import { planReload, type ReloadPlan } from './reload-plan';
import type { Archiving } from './archive-setup';
import { createDigestScheduler } from './digests';
import type { PeriodScheduler } from '../pipeline/period-scheduler';
import { startDiscovery } from './discovery-setup';
import { hexOnlyEntries, identityFollow } from './identity-follow';
import { createPollSummary } from './poll-summary';
import { startHistoryTrim } from './history-trim';
import { alertDestinations, archiveForLog, logAlertDestinations, logRedis, redisPersistence } from './startup-lines';
import type { Logger } from '../util/log';
import { registerConfigSecrets } from '../util/redact';
import { workerRecoveryOptions, worstRecoveryMs } from '../config/queue-schema';
import { digestEntryIds } from '../domain/watchlist';

/**
 * The flight record, its report digests and the console load only when configured: Kysely with the SQLite and
 * PostgreSQL drivers and the console's modules are ~500 modules, ~10 MB of a worker that runs without them.
 * require() rather than import(): under `--require tsx/cjs` (npm run cli, the CLI tests) a native import()
 * cannot resolve an extension-less .ts module.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- see above: require() is the lazy loader */
const archiveSetup = () => require('./archive-setup') as typeof import('./archive-setup');
const webSetup = () => require('./web-setup') as typeof import('./web-setup');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Digest entry ids, recomputed only when a reload replaced the watchlist. */
const digestIds = new WeakMap<readonly Config['watch'][number][], ReadonlySet<string>>();
function digestIdsOf(watch: Config['watch']): ReadonlySet<string> {
  let ids = digestIds.get(watch);
  if (!ids) digestIds.set(watch, (ids = digestEntryIds(watch)));
  return ids;
}

export interface WorkerOptions {
  config: Config;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Key prefix for queues and state (several deployments can share one Redis); default FLIGHTWATCH_REDIS_PREFIX. */
  prefix?: string;
  /** Health/metrics HTTP port (0 = any free port); undefined = no HTTP server. */
  port?: number;
  /** Called after every poll cycle. */
  onPollCycle?: (r: PollCycleResult) => void;
}

export interface RunningWorker {
  redisUrl: string;
  redisOrigin: ResolvedRedis['origin'];
  connection: Redis;
  pipeline: Pipeline;
  counters: PollCounters;
  metrics: Metrics;
  health?: HealthServer;
  /** The console's URL when `web.port` is set and it started. */
  webUrl?: string;
  /** The scheduler of watch-entry and report digests (tests tick it with their own clock). */
  digests: PeriodScheduler;
  /** The config in effect (after reloads). */
  config(): Config;
  /** Swaps the ingest stage (sources, plan, watchlist) for a new valid config without restarting queues. */
  reloadIngest(config: Config): void;
  /** Applies what can change at runtime (see reload-plan.ts); returns what was applied and what needs a restart. */
  reload(config: Config): ReloadPlan;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Which Redis to use. FLIGHTWATCH_REDIS=embedded forces the embedded redis-server (ignores REDIS_URL and a
 * local server: tests, demos, a laptop whose 6379 belongs to something else); =external refuses to embed.
 */
export async function chooseRedis(env: NodeJS.ProcessEnv, dataDir: string, log: Logger): Promise<ResolvedRedis> {
  const mode = env.FLIGHTWATCH_REDIS ?? 'auto';
  if (!['auto', 'embedded', 'external'].includes(mode))
    throw new Error(`FLIGHTWATCH_REDIS=${JSON.stringify(mode)}: expected auto, embedded or external`);
  if (mode === 'embedded')
    return resolveRedis({ env: { ...env, REDIS_URL: '', REDIS_CLUSTER_NODES: '' }, dataDir, log, skipLocal: true });
  if (mode === 'external' && !env.REDIS_URL && !env.REDIS_CLUSTER_NODES)
    throw new RedisUnavailableError(
      'REDIS_URL (or REDIS_CLUSTER_NODES) is not set, and FLIGHTWATCH_REDIS=external (the container default) rules out a local or embedded server',
    );
  return resolveRedis({ env, dataDir, log });
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const { log } = o;
  let config = o.config;
  const env = o.env ?? process.env;
  // The env the worker runs with may be given (tests, embedding): its secrets are masked like process.env's.
  registerConfigSecrets(config, env);
  const prefix = redisPrefix(env, o.prefix);
  const startedAt = Date.now();
  const freshness = new SourceFreshness(startedAt);
  const counters = createPollCounters();

  // Mutable parts, swapped by reload; the closures below always read the current ones.
  let ingest: IngestStage | undefined;
  let pipeline: Pipeline | undefined;
  let connection: Redis | undefined;
  let watcher: BlindWatcher | undefined;
  let archiving: Archiving | undefined;
  let lastPollAt: number | undefined;

  const metrics = createMetrics({
    sources: () => ingest?.sources ?? [],
    queues: () => pipeline?.ctx.queues,
    freshness,
    skippedPollSlots: () => pipeline?.skippedPollSlots() ?? 0,
  });
  let health: HealthServer | undefined;
  if (o.port !== undefined)
    health = await startHealthServer({
      port: o.port,
      host: hostFromEnv(config.operate.http.host, env),
      registry: metrics.registry,
      readiness: () => readiness(),
      log,
    });

  async function readiness(): Promise<Record<string, ReadinessCheck>> {
    if (!connection || !pipeline || !ingest) return { started: { ok: false, detail: 'starting' } };
    const now = Date.now();
    const checks: Record<string, ReadinessCheck> = {};
    let shared: number | undefined;
    try {
      await timeout(connection.ping(), 1000, 'Redis');
      shared = await timeout(sharedLastDataAt(connection, prefix), 1000, 'Redis');
      checks.redis = { ok: true };
    } catch (e) {
      checks.redis = { ok: false, detail: (e as Error).message };
    }
    const sources = freshness.status(ingest.sources, now);
    checks.sources = { ok: sources.some((s) => s.healthy), detail: sources };
    // Any replica's data counts (they share the poll slots); this process's own view when Redis is down.
    const newest = newestDataAt(freshness.lastDataAt(), shared);
    const ageS = Math.round((now - newest) / 1000);
    checks.data = {
      ok: now - newest <= config.operate.readyMaxDataAge,
      detail: { ageS, maxAgeS: Math.round(config.operate.readyMaxDataAge / 1000) },
    };
    return checks;
  }

  const redis = await chooseRedis(env, config.data.dir, log).catch(async (e) => {
    await health?.close();
    throw e;
  });
  try {
    // Reference data first: a missing table is a clear error before anything is queued.
    // Compiled (npm start), in a thread that takes what reading needs with it (load-apart.ts). From the sources
    // (tests, npm run cli) in process: a thread would compile the loader again through tsx, ~3x the time.
    const airports = await loadAirportIndex({
      dir: config.data.dir,
      warn: (m) => log.warn(m),
      apart: !__filename.endsWith('.ts'),
    });
    log.info({ airports: airports.size, origin: airports.origin }, 'airport table loaded');
    // Alert maps label nearby places and draw a landing's leg from its departure with the same table.
    useMapPlaces(airports);
    const enrich = loadEnrichment(config, log);
    ingest = buildIngest(config, { log, enrich });

    const conn = redis.cluster ? createClusterRedis(redis.cluster, 'worker') : createRedis(redis.url, 'worker');
    connection = conn;
    // Which Redis, and a warning when it keeps nothing on disk (detections would not survive its restart).
    logRedis(log, redis, await redisPersistence(conn));
    // Loss, recovery and stalls of Redis: one line each per incident.
    const redisWatch = watchRedis(conn, log);

    const store = new RedisTrackStore({
      redis: conn,
      prefix: `${prefix}:`,
      ttlMs: config.detect.trackTtlDays * 86_400_000,
      rememberStates: config.detect.rememberStates,
      onCorrupt: (hex, e) =>
        e.action === 'discarded'
          ? log.error({ hex, err: e.message }, 'unusable track state discarded; the track starts afresh')
          : log.warn({ hex, err: e.message }, 'track state of a newer release left as it is; aircraft skipped'),
    });
    // Track state lives in Redis, so a detector rebuilt on reload (new destinations, thresholds) continues every track.
    // Identity memory: in Redis when shared (a hex change across a restart, or seen by another replica, is still
    // linked), else in this process. One memory per horizon for the detector and the follow step, kept across
    // reloads: the Redis one remembers what it wrote, which is what lets it write behind.
    let identity: MemoryIdentityMemory | RedisIdentityMemory | undefined;
    const identityMemory = (horizonMs: number): IdentityMemory => {
      const shared = config.detect.identity.shared;
      if (identity?.horizonMs === horizonMs && identity instanceof RedisIdentityMemory === shared) return identity;
      identity = shared ? new RedisIdentityMemory(conn, `${prefix}:`, horizonMs) : new MemoryIdentityMemory(horizonMs);
      return identity;
    };
    const follow = identityFollow({ config: () => config, memory: identityMemory, log });
    const makeDetector = (c: Config) =>
      createDetector(detectorOptionsFromConfig(c, airports, store, log, () => archiving?.fleetLegs(), identityMemory));
    let detector = makeDetector(config);
    // Delegates to the detector in effect (reload swaps it). Events are counted when they enter the history
    // (deliveryObserver), so those an outbox drain delivers after a failed batch count too, and none twice.
    const current: Detector = { process: (batch, now) => detector.process(batch, now) };
    const channels = buildChannels(config.alerts, { env, log, watch: config.watch });
    // Per cycle at debug, a summary a minute at info (30 lines/min at a 2 s schedule otherwise).
    const pollSummary = createPollSummary(log);
    const discovery = startDiscovery({
      config: () => config,
      airports,
      db: () => archiving?.db(),
      ctx: () => pipeline?.ctx,
      log,
    });
    logAlertDestinations(log, alertDestinations(config.alerts, channels));
    log.info({ archive: archiveForLog(config, env) }, `archive: ${archiveForLog(config, env)}`);

    pipeline = await startPipeline({
      alerts: config.alerts,
      connection: conn,
      channels,
      detector: current,
      observer: deliveryObserver(metrics),
      digestWatch: () => digestIdsOf(config.watch),
      digestPeriod: () => config.alerts.digest.period,
      outbox: store.outbox,
      schedule: config.poll.schedule,
      pipeline: config.pipeline,
      prefix,
      log,
      redisWatch,
      workerOptions: workerRecoveryOptions(config.queue),
      pollOnce: async () => {
        const stage = ingest!;
        const r = await runPollCycle({
          sources: stage.sources,
          plan: stage.plan,
          watchlist: stage.watchlist,
          enrich,
          log,
          metrics: counters,
          // Every state only for those who read them: discovery, and the follow step when some entry is hex-only.
          keepStates:
            (config.archive.enabled && config.discovery.enabled) ||
            (config.detect.identity.enabled && hexOnlyEntries(config.watch).size > 0),
        });
        // Hex-only entries follow their airframe to a new hex (linked, with the evidence on its events).
        r.matched.push(...(await follow.follow(r.all, r.matched, r.startedAt)));
        metrics.recordPollCycle(r);
        freshness.record(r);
        lastPollAt = r.startedAt + r.durationMs;
        if (r.matched.length) await archiving?.capture(r.matched);
        // Not awaited: scoring candidates never delays detection of this cycle.
        void discovery.afterCycle(r.all, r.startedAt);
        o.onPollCycle?.(r);
        pollSummary.record(r);
        await watcher?.afterCycle(
          r.attempts.some((a) => a.ok),
          r.startedAt + r.durationMs,
        );
        return { now: r.startedAt, matched: r.matched };
      },
    });
    countDeliveries(pipeline, metrics);
    const p = pipeline;
    // The flight record: beside the pipeline, never in it (an archive outage never stops an alert).
    if (config.archive.enabled)
      archiving = archiveSetup().startArchiving({
        config,
        env,
        redis: conn,
        prefix,
        log,
        registry: metrics.registry,
        ctx: () => p.ctx,
      });
    // Watch-entry and report digests: one scheduler, reading the config in effect on every check.
    const digests = createDigestScheduler({ config: () => config, env, redis: conn, prefix, log, ctx: () => p.ctx });
    digests.start();
    const historyTrim = startHistoryTrim({
      redis: conn,
      prefix,
      maxEntries: () => config.pipeline.historyMaxEntries,
      archivedUpTo: async () => (config.archive.enabled ? ((await archiving?.historyCursor()) ?? null) : undefined),
      log,
    });
    watcher = startBlindWatcher({
      redis: conn,
      prefix,
      blindAfterMs: () => config.operate.blindAfter,
      ctx: () => p.ctx,
      sources: () => freshness.status(ingest?.sources ?? [], Date.now()),
      log,
    });
    // The console (web.port): reads the archive and this worker's state; its failure never stops the worker.
    const web = config.web.port === undefined ? undefined : webSetup();
    const webConsole = await web?.startWorkerConsole({
      config: () => config,
      env,
      log,
      health: web.workerHealth({
        startedAt,
        freshness,
        sources: () => ingest?.sources ?? [],
        queues: () => pipeline?.ctx.queues,
        archiving: () => archiving,
        config: () => config,
        lastPollAt: () => lastPollAt,
        sharedLastDataAt: () => (connection ? sharedLastDataAt(connection, prefix) : Promise.resolve(undefined)),
      }),
    });
    log.info(
      {
        schedule: config.poll.schedule,
        sources: ingest.sources.map((s) => s.id),
        watch: config.watch.filter((w) => w.enabled).length,
        channels: [...channels.keys()],
        prefix,
        // How soon another worker runs what this one holds if it dies (queue.lockDuration + stalledInterval).
        recoveryS: worstRecoveryMs(config.queue) / 1000,
      },
      'worker started',
    );

    const reloadIngest = (next: Config) => {
      const old = ingest;
      ingest = buildIngest(next, { log, enrich });
      old?.close();
    };

    return {
      redisUrl: redis.url,
      redisOrigin: redis.origin,
      connection: conn,
      pipeline,
      counters,
      metrics,
      health,
      digests,
      ...(webConsole ? { webUrl: webConsole.server.url } : {}),
      config: () => config,
      reloadIngest,
      reload(next: Config) {
        const plan = planReload(config, next);
        if (plan.ingest) reloadIngest(next);
        if (plan.detector) detector = makeDetector(next);
        // Keep the running values of what needs a restart, so config() tells what is in effect. Digests
        // (alerts.digest, reports) are read per check: applied.
        config = {
          ...next,
          alerts: { ...config.alerts, digest: next.alerts.digest },
          data: config.data,
          queue: config.queue,
          poll: { ...next.poll, schedule: config.poll.schedule },
        };
        return plan;
      },
      async stop(timeoutMs = 8_000) {
        watcher?.stop();
        historyTrim.stop();
        await digests.stop();
        await p.close(timeoutMs);
        await archiving?.stop();
        await webConsole?.close();
        await closeChannels(channels);
        ingest?.close();
        await health?.close();
        redisWatch.stop();
        await conn.quit().catch(() => conn.disconnect());
        await redis.stop();
      },
    };
  } catch (e) {
    // A failed start leaves nothing running: no port, no embedded redis-server.
    await pipeline?.close(2000).catch(() => undefined);
    await archiving?.stop().catch(() => undefined);
    ingest?.close();
    connection?.disconnect();
    await health?.close();
    await redis.stop();
    throw e;
  }
}

/** Notify outcomes of this process → flightwatch_deliveries_total. */
function countDeliveries(pipeline: Pipeline, metrics: Metrics): void {
  const notify = pipeline.workers.find((w) => w.name === 'notify');
  if (!notify) return;
  notify.on('completed', (job, result: NotifyResult) => {
    const d = job.data as NotifyJobData;
    metrics.recordDelivery(d.channelId, result?.outcome ?? 'delivered', d.operational);
  });
  notify.on('failed', (job, err) => {
    if (!job) return;
    const d = job.data as NotifyJobData;
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1) || !!job.finishedOn;
    metrics.recordDelivery(d.channelId, final ? 'dead_letter' : 'retry', d.operational);
  });
}
