/**
 * The worker's archiving, beside the pipeline: opens the archive (DATABASE_URL or the SQLite file), runs
 * the archiver and the lag watch, and captures each poll cycle's positions. None of it can stop the worker
 * or an alert: an archive that cannot be opened (PostgreSQL down, a corrupt or foreign file, a newer schema)
 * is logged with the reason and retried with backoff while detection and delivery go on; the archiver then
 * starts from its saved cursor, so nothing detected meanwhile is missing from the record.
 */
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema';
import type { MatchedAircraft } from '../domain/watchlist';
import type { DeliveryContext } from '../pipeline/context';
import { keys } from '../alerting/keys';
import { openArchive, archiveFileIn, type Archive } from '../archive/open';
import { ArchiveError, archiveErrorFrom } from '../archive/errors';
import { Archiver } from '../archive/archiver';
import { pruneArchive } from '../archive/maintenance';
import { appendCapture, buildCapture, CaptureThinner, capturesKey } from '../archive/capture';
import { startClassifyRefresh, type ClassifyRefresh } from '../archive/classify/refresh';
import { recordDb, type RecordDatabase } from '../archive/record-schema';
import type { Kysely } from 'kysely';
import { readFleetLegs } from '../archive/fleet-legs';
import { HISTORY_CURSOR, readCursor } from '../archive/write-events';
import type { FleetLegs } from '../trips/fleet-priors';
import { startFleetRefresh, type FleetRefresh } from './fleet-refresh';
import { loadOrCreateSigningKey, type SigningKey } from '../archive/evidence/keys';
import { startArchiveLagWatch, type ArchiveLagWatch } from '../observability/archive-lag';
import type { Logger } from '../util/log';
import { maskUrlCredentials, redact } from '../util/redact';

export interface ArchivingOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  redis: Redis;
  prefix: string;
  log: Logger;
  registry: Registry;
  ctx: () => DeliveryContext | undefined;
}

export interface Archiving {
  /** Appends one poll cycle's positions and replies to the captures stream; never throws. */
  capture(matched: readonly MatchedAircraft[]): Promise<void>;
  archiver(): Archiver | undefined;
  /** The last history entry the archive holds; null while it is not open or its cursor cannot be read. */
  historyCursor(): Promise<string | null>;
  /** The open archive's database (discovery writes its sightings and candidates there). */
  db(): Kysely<RecordDatabase> | undefined;
  /** The leg classification refresher, once the archive is open. */
  classification(): ClassifyRefresh | undefined;
  /** The evidence signing key's public id (undefined when it could not be loaded or created). */
  evidenceKeyId(): string | undefined;
  /** The archive's recent legs for fleet priors; undefined until the archive opened and was read. */
  fleetLegs(): FleetLegs | undefined;
  stop(): Promise<void>;
}

/**
 * The evidence signing key, created in the data dir at first start (not at first export), so its key id can
 * be published before anyone needs a bundle and a backup of the data dir taken from day one holds it. A key
 * that cannot be read or written is logged (why, never the key) and archiving goes on: the export command
 * reports the same problem when asked for a bundle.
 */
export function ensureEvidenceKey(dataDir: string, env: NodeJS.ProcessEnv, log: Logger): SigningKey | undefined {
  try {
    const key = loadOrCreateSigningKey(dataDir, env);
    log.info({ keyId: key.keyId, from: key.from }, 'evidence signing key (publish its key id with your counts)');
    return key;
  } catch (e) {
    log.error({ err: (e as Error).message }, 'evidence signing key unavailable: bundles cannot be signed until fixed');
    return undefined;
  }
}

/** Where the archive is: DATABASE_URL, else archive.file, else `<data.dir>/archive.sqlite`. */
export function archiveTarget(config: Config, env: NodeJS.ProcessEnv): { databaseUrl?: string; file?: string } {
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
  return { file: config.archive.file ?? archiveFileIn(config.data.dir) };
}

export function startArchiving(o: ArchivingOptions): Archiving {
  const { log } = o;
  const cfg = o.config.archive;
  const sourceUrls = new Map(o.config.sources.map((s) => [s.id, maskUrlCredentials('url' in s ? s.url : s.baseUrl)]));
  const key = capturesKey(o.prefix);
  let archive: Archive | undefined;
  let archiver: Archiver | undefined;
  let lag: ArchiveLagWatch | undefined;
  let classes: ClassifyRefresh | undefined;
  let fleet: FleetRefresh | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let captureFailed = false;
  // One position per minute in cruise, every one near the ground (docs/archive.md, "What is kept").
  const thinner = new CaptureThinner();
  const evidenceKey = ensureEvidenceKey(o.config.data.dir, o.env, log);

  const opening = (async () => {
    let retryMs = 2000;
    let lastProblem: string | undefined;
    while (!stopped) {
      try {
        archive = await openArchive({ ...archiveTarget(o.config, o.env), poolSize: 2 });
        break;
      } catch (e) {
        const err = e instanceof ArchiveError ? e : archiveErrorFrom(e, 'open');
        if (err.message !== lastProblem)
          log.error(
            { problem: err.problem, err: err.message, retryInS: Math.round(retryMs / 1000) },
            'archive unavailable: alerts are delivered as usual; archiving starts from its cursor once it opens',
          );
        lastProblem = err.message;
        await new Promise<void>((r) => {
          const t = setTimeout(r, retryMs);
          wake = () => (clearTimeout(t), r());
        });
        retryMs = Math.min(retryMs * 2, 60_000);
      }
    }
    if (stopped || !archive) return;
    const k = keys(o.prefix);
    archiver = new Archiver({
      redis: o.redis,
      historyKey: k.history,
      capturesKey: key,
      archive,
      log,
      batchSize: cfg.batchSize,
    });
    archiver.start();
    // Categories current in the database itself, for whoever queries it directly (docs/record.md).
    const running = archiver;
    classes = startClassifyRefresh({
      db: recordDb(archive.db),
      rules: o.config.classify,
      written: () => running.status().archived,
      log,
    });
    lag = startArchiveLagWatch({
      archiver,
      registry: o.registry,
      thresholdMs: () => cfg.lagAlertAfter,
      ctx: o.ctx,
      log,
    });
    const fleetCfg = o.config.trips.enRoute.history.fleet;
    if (o.config.trips.enabled && fleetCfg.enabled) {
      const db = archive.db;
      fleet = startFleetRefresh({
        read: () => readFleetLegs(db, { days: fleetCfg.days }),
        everyMs: fleetCfg.refreshMinutes * 60_000,
        log,
      });
    }
    log.info({ archive: archive.where, engine: archive.engine }, 'archiving');
    // Retention without a cron job: at start and daily (`archive prune` does the same by hand).
    const a = archive;
    const prune = () =>
      pruneArchive(a, cfg.rawRetentionDays)
        .then((r) => {
          if (r.positions || r.replies) log.info({ ...r, before: new Date(r.before).toISOString() }, 'archive pruned');
        })
        .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'archive prune failed (retried tomorrow)'));
    void prune();
    pruneTimer = setInterval(() => void prune(), 86_400_000);
    pruneTimer.unref();
  })();

  return {
    async capture(matched) {
      try {
        await appendCapture(
          o.redis,
          key,
          buildCapture(matched, { sourceUrls, mask: redact, storeBodies: cfg.storeReplyBodies }, thinner),
          cfg.capturesMaxLen,
        );
        captureFailed = false;
      } catch (e) {
        if (!captureFailed) log.warn({ err: (e as Error).message }, 'position capture failed (alerts unaffected)');
        captureFailed = true;
      }
    },
    archiver: () => archiver,
    historyCursor: async () => (archive ? await readCursor(archive.db, HISTORY_CURSOR).catch(() => null) : null),
    db: () => (archiver && archive ? recordDb(archive.db) : undefined),
    classification: () => classes,
    evidenceKeyId: () => evidenceKey?.keyId,
    fleetLegs: () => fleet?.current(),
    async stop() {
      stopped = true;
      wake?.();
      await opening;
      clearInterval(pruneTimer);
      lag?.stop();
      fleet?.stop();
      await archiver?.stop();
      await classes?.stop();
      await archive?.close().catch(() => undefined);
    },
  };
}
