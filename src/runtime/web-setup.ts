/**
 * The console's composition: the archive handle it reads, its dependencies (watchlist in effect, evidence
 * key, the worker's live health) and the server. The worker starts it when `web.port` is set; a console that
 * cannot start (archive unavailable, a user's hash missing) is logged with the reason and the worker goes on.
 */
import type { Config } from '../config/schema';
import { openArchive, type Archive } from '../archive/open';
import { recordDb } from '../archive/record-schema';
import { classifyStaleLegs } from '../archive/classify/store';
import { loadOrCreateSigningKey } from '../archive/evidence/keys';
import { newestDataAt, type SourceFreshness } from '../observability/freshness';
import { readQueueState, withinRedisTimeout } from '../observability/shared-state';
import type { Queues } from '../pipeline/queues';
import type { Source } from '../sources/source';
import { loadAirportNamer } from '../reports';
import { startConsole, type ConsoleServer } from '../web/server';
import type { SharedHealth, WorkerHealth } from '../web/health-model';
import type { Logger } from '../util/log';
import { archiveTarget, type Archiving } from './archive-setup';

export interface WorkerHealthParts {
  startedAt: number;
  freshness: SourceFreshness;
  sources: () => readonly Source[];
  queues: () => Pick<Queues, 'poll' | 'detect' | 'notify'> | undefined;
  archiving: () => Archiving | undefined;
  config: () => Config;
  lastPollAt: () => number | undefined;
  /** Newest data any replica recorded in Redis (what /readyz reads); undefined when unknown. */
  sharedLastDataAt: () => Promise<number | undefined>;
}

/** The worker's state as the Health page shows it; Redis figures are undefined when it does not answer. */
export function workerHealth(p: WorkerHealthParts): () => Promise<WorkerHealth> {
  return async () => {
    const now = Date.now();
    const q = p.queues();
    const queueState = q ? await readQueueState(q) : undefined;
    const status = p.archiving()?.archiver()?.status();
    const config = p.config();
    return {
      startedAt: p.startedAt,
      sources: p.freshness.status(p.sources(), now),
      lastPollAt: p.lastPollAt(),
      // The same newest data /readyz reports: whichever replica ran the last poll, the page says the same.
      lastDataAt: newestDataAt(p.freshness.lastDataAt(), await withinRedisTimeout(p.sharedLastDataAt())),
      blindAfterMs: config.operate.blindAfter,
      ...queueState,
      archive: {
        enabled: config.archive.enabled,
        ...(status?.lagMs !== undefined ? { lagMs: status.lagMs } : {}),
        ...(status?.problem ? { problem: status.problem } : {}),
        ...(status ? { archived: status.archived } : {}),
      },
    };
  };
}

export interface RunningConsole {
  server: ConsoleServer;
  close(): Promise<void>;
}

export interface ConsoleSetupOptions {
  config: () => Config;
  env: NodeJS.ProcessEnv;
  log: Logger;
  health?: () => Promise<WorkerHealth>;
  /** Without a worker in this process: the workers' shared state in their Redis (`flightwatch web`). */
  shared?: () => Promise<SharedHealth>;
  port?: number;
  host?: string;
  /** Bring leg classifications up to date first (no worker runs its refresher beside `flightwatch web`). */
  classifyOnStart?: boolean;
}

/** Opens the archive and serves the console over it; throws with the reason when it cannot. */
export async function startConsoleServer(o: ConsoleSetupOptions): Promise<RunningConsole> {
  const config = o.config();
  // Beside the worker, its archiving migrates the archive; two migrations at once on a new file would collide.
  const archive: Archive = await openArchive({ ...archiveTarget(config, o.env), poolSize: 2, migrate: !o.health });
  try {
    if (o.classifyOnStart) await classifyStaleLegs(recordDb(archive.db), config.classify);
    const server = await startConsole({
      web: config.web,
      db: recordDb(archive.db),
      log: o.log,
      env: o.env,
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.host !== undefined ? { host: o.host } : {}),
      deps: {
        watch: () => o.config().watch,
        evidenceKey: () => loadOrCreateSigningKey(config.data.dir, o.env),
        airports: () => loadAirportNamer(config.data.dir, (m) => o.log.warn(m)),
        ...(o.health ? { health: o.health } : {}),
        ...(o.shared ? { shared: o.shared } : {}),
      },
    });
    return {
      server,
      async close() {
        await server.close();
        await archive.close();
      },
    };
  } catch (e) {
    await archive.close().catch(() => undefined);
    throw e;
  }
}

/** The worker's console: started when `web.port` is set; a failure is logged, never fatal to the worker. */
export async function startWorkerConsole(o: ConsoleSetupOptions): Promise<RunningConsole | undefined> {
  if (o.config().web.port === undefined) return undefined;
  try {
    const c = await startConsoleServer(o);
    o.log.info({ url: c.server.url }, `console on ${c.server.url}`);
    return c;
  } catch (e) {
    o.log.error({ err: (e as Error).message }, 'console not started: detection and alerts go on without it');
    return undefined;
  }
}
