/**
 * Archive lag, watched: `flightwatch_archive_lag_seconds` (age of the oldest detection not yet archived; 0
 * when caught up) and `flightwatch_archive_up` (1 when the last archive write succeeded), read at scrape
 * time; and ONE operational alert when the lag passes `archive.lagAlertAfter`. The alert is keyed by the
 * time of the oldest unarchived detection, so every replica and every re-check raises the same incident
 * (same ids: delivered once); a new incident starts only after the archiver caught up.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Archiver } from '../archive/archiver';
import { raiseOperational } from '../pipeline/operational';
import type { DeliveryContext } from '../pipeline/context';
import type { Logger } from '../util/log';

export interface ArchiveLagWatchOptions {
  archiver: Archiver;
  registry: Registry;
  /** Read on every check (a reload may change it). */
  thresholdMs: () => number;
  ctx: () => DeliveryContext | undefined;
  log: Logger;
  /** Default: a quarter of the threshold, at most 30 s. */
  checkEveryMs?: number;
  now?: () => number;
}

export interface ArchiveLagWatch {
  check(): Promise<void>;
  stop(): void;
}

export function startArchiveLagWatch(o: ArchiveLagWatchOptions): ArchiveLagWatch {
  const now = o.now ?? Date.now;
  let raisedFor: string | undefined;
  new Gauge({
    name: 'flightwatch_archive_lag_seconds',
    help: 'Age of the oldest detection in the history not yet in the archive (0 when caught up)',
    registers: [o.registry],
    collect() {
      const lag = o.archiver.status().lagMs;
      if (lag !== undefined) this.set(lag / 1000);
    },
  });
  new Gauge({
    name: 'flightwatch_archive_up',
    help: '1 when the last archive write succeeded, 0 while the archive cannot be written',
    registers: [o.registry],
    collect() {
      this.set(o.archiver.status().problem ? 0 : 1);
    },
  });

  const check = async () => {
    const lagMs = await o.archiver.refreshLag().catch(() => o.archiver.status().lagMs);
    const threshold = o.thresholdMs();
    if (lagMs === undefined || lagMs <= threshold) {
      if (lagMs === 0) raisedFor = undefined;
      return;
    }
    const since = new Date(now() - lagMs).toISOString();
    // The incident is identified by when it began: the same oldest entry keeps the same alert.
    const at = raisedFor ?? since;
    if (raisedFor) return;
    const ctx = o.ctx();
    if (!ctx) return;
    const status = o.archiver.status();
    const minutes = Math.round(lagMs / 60_000);
    await raiseOperational(ctx, {
      kind: 'archive-lag',
      subject: 'archive',
      at,
      summary:
        `The flight record is ${minutes} min behind the detections` +
        (status.problem ? ` (${status.problem}: ${status.lastError ?? ''})` : '') +
        '. Alerts are still delivered; archiving resumes where it stopped once the archive is writable.',
      details: {
        since,
        lagMinutes: minutes,
        thresholdMinutes: Math.round(threshold / 60_000),
        ...(status.problem ? { problem: status.problem } : {}),
      },
    });
    raisedFor = at;
    o.log.warn({ lagMinutes: minutes, problem: status.problem }, 'archive lag alert raised');
  };

  const every = o.checkEveryMs ?? Math.min(30_000, Math.max(1000, o.thresholdMs() / 4));
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= check()
      .catch((e: unknown) => o.log.warn({ err: (e as Error).message }, 'archive lag check failed'))
      .finally(() => (running = undefined));
  }, every);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
