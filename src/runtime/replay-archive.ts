/**
 * `replay --archive` (and `--deliver`): writes a backtest's events into the archive the worker uses, so
 * recorded data can be browsed, counted and exported like live data. Keyed by event id like the archiver's
 * writes: replaying the same data again, or the worker's archiver later reading the delivered events from
 * the history, adds nothing.
 */
import type { Config } from '../config/schema';
import type { FlightEvent } from '../domain/event';
import { openArchive } from '../archive/open';
import { writeEvents } from '../archive/write-events';
import { archiveTarget } from './archive-setup';

export interface ReplayArchiveResult {
  archived: number;
  skipped: number;
  where: string;
}

const BATCH = 1000;

export async function archiveReplayedEvents(
  events: readonly FlightEvent[],
  o: { config: Config; env?: NodeJS.ProcessEnv },
): Promise<ReplayArchiveResult> {
  const archive = await openArchive(archiveTarget(o.config, o.env ?? process.env));
  try {
    const r = { archived: 0, skipped: 0, where: archive.where };
    // Time order, as the history would hold them: a landing finds the takeoff it closes.
    const sorted = [...events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    for (let i = 0; i < sorted.length; i += BATCH) {
      const w = await writeEvents(
        archive.db,
        sorted.slice(i, i + BATCH).map((event) => ({ event })),
      );
      r.archived += w.archived;
      r.skipped += w.skipped;
    }
    return r;
  } finally {
    await archive.close();
  }
}
