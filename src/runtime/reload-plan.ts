/**
 * What a config change means for a running worker. Pure: compares two valid configs section by section.
 *   applied at once   sources, areas, watch (new ingest stage: sources start with a clean health record),
 *                     destinations, detect, poll.maxPositionAgeS (new detector; track state is in Redis),
 *                     operate (read on every check), alerts.digest and reports (digests, read on every check)
 *   restart needed    alerts except digest (channels, routes, retry: the notify workers and their SMTP pools hold them),
 *                     poll.schedule (the cron trigger), data (reference tables loaded at start),
 *                     queue (lock and stall settings of the running BullMQ workers)
 */
import type { Config } from '../config/schema';

export interface ReloadPlan {
  /** Top-level keys (or key paths) that differ. */
  changed: string[];
  ingest: boolean;
  detector: boolean;
  /** Changed keys kept at their running value until the worker restarts. */
  restartNeeded: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function planReload(prev: Config, next: Config): ReloadPlan {
  const changed: string[] = [];
  for (const k of new Set([...Object.keys(prev), ...Object.keys(next)]) as Set<keyof Config>) {
    if (k === 'poll') {
      if (prev.poll.schedule !== next.poll.schedule) changed.push('poll.schedule');
      if (prev.poll.maxPositionAgeS !== next.poll.maxPositionAgeS) changed.push('poll.maxPositionAgeS');
    } else if (k === 'alerts') {
      if (!same(prev.alerts.digest, next.alerts.digest)) changed.push('alerts.digest');
      if (!same({ ...prev.alerts, digest: 0 }, { ...next.alerts, digest: 0 })) changed.push('alerts');
    } else if (!same(prev[k], next[k])) changed.push(k);
  }
  const has = (...keys: string[]) => keys.some((k) => changed.includes(k));
  return {
    changed,
    ingest: has('sources', 'areas', 'watch'),
    detector: has('destinations', 'detect', 'poll.maxPositionAgeS'),
    restartNeeded: changed.filter((k) => ['alerts', 'poll.schedule', 'data', 'queue'].includes(k)),
  };
}
