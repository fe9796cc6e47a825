/**
 * The archiver: a consumer of the detection history (and of the captures stream) that writes the archive.
 * It runs beside the pipeline, never in it: alert delivery neither waits for it nor fails with it. Its
 * place in each stream is the cursor row saved in the same transaction as the rows (write-events.ts), so
 * after a crash, a PostgreSQL restart or a full disk it resumes where the last commit left it, and entries
 * read twice add nothing (rows are keyed by event id). Errors are logged once per kind of problem and
 * retried with backoff; `lagMs` says how far behind the history it is (metric and operational alert).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../util/log';
import { fieldsToEvent } from '../pipeline/history';
import type { Archive } from './open';
import { archiveErrorFrom, type ArchiveProblem } from './errors';
import { CAPTURES_CURSOR, HISTORY_CURSOR, readCursor, writeEvents, type ArchiveEntry } from './write-events';
import { writeCaptures, type CaptureEntry } from './write-captures';
import { parseCapture } from './capture';
import { streamIdMs } from './stream-id';

/** The value of a stream entry's field (names at even positions). */
function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

export interface ArchiverOptions {
  /** A normal (non-blocking) connection to the deployment's Redis. */
  redis: Redis;
  historyKey: string;
  capturesKey: string;
  archive: Archive;
  log: Logger;
  /** Stream entries per transaction (default 500). */
  batchSize?: number;
  /** Wait between empty reads (default 1 s). */
  idleMs?: number;
  /** Longest wait between retries after an error (default 30 s). */
  maxRetryMs?: number;
  now?: () => number;
}

export interface ArchiverStatus {
  /** Age of the oldest history entry not yet archived (0 when caught up); undefined before the first check. */
  lagMs?: number;
  /** The current problem (undefined when the last attempt succeeded). */
  problem?: ArchiveProblem;
  lastError?: string;
  /** Events archived by this process. */
  archived: number;
}

export interface DrainResult {
  events: number;
  positions: number;
  /** Stream entries read (history + captures); 0 means caught up. */
  read: number;
}

export class Archiver {
  private readonly o: Required<Omit<ArchiverOptions, 'now'>> & { now: () => number };
  private stopped = true;
  private loop?: Promise<void>;
  private wake?: () => void;
  private cursor?: string;
  private readonly state: ArchiverStatus = { archived: 0 };

  constructor(o: ArchiverOptions) {
    this.o = { batchSize: 500, idleMs: 1000, maxRetryMs: 30_000, now: Date.now, ...o };
  }

  status(): ArchiverStatus {
    return { ...this.state };
  }

  /** One batch of each stream; throws archive errors (the loop catches them). */
  async drainOnce(): Promise<DrainResult> {
    const h = await this.historyBatch();
    const c = await this.capturesBatch();
    return { events: h.events, positions: c.positions, read: h.read + c.read };
  }

  /** Until both streams are caught up (tests, `archive rebuild`). */
  async drain(): Promise<{ events: number; positions: number }> {
    const total = { events: 0, positions: 0 };
    for (;;) {
      const r = await this.drainOnce();
      total.events += r.events;
      total.positions += r.positions;
      if (!r.read) {
        await this.refreshLag();
        return total;
      }
    }
  }

  private async historyBatch(): Promise<{ events: number; read: number }> {
    const { db } = this.o.archive;
    const cursor = await readCursor(db, HISTORY_CURSOR);
    this.cursor = cursor;
    const rows = await this.read(this.o.historyKey, cursor);
    if (!rows.length) return { events: 0, read: 0 };
    const entries: ArchiveEntry[] = [];
    for (const [historyId, fields] of rows) {
      let event: ReturnType<typeof fieldsToEvent>;
      try {
        event = fieldsToEvent(fields);
      } catch {
        event = undefined;
      }
      if (event) entries.push({ historyId, event, json: fieldValue(fields, 'event') });
      else this.o.log.error({ historyId, fields }, 'archiver: unreadable history entry skipped (its text is here)');
    }
    const r = await writeEvents(db, entries, { cursor: HISTORY_CURSOR, upTo: rows.at(-1)?.[0] });
    this.cursor = r.cursor;
    this.state.archived += r.archived;
    return { events: r.archived, read: rows.length };
  }

  private async capturesBatch(): Promise<{ positions: number; read: number }> {
    const { db } = this.o.archive;
    const rows = await this.read(this.o.capturesKey, await readCursor(db, CAPTURES_CURSOR));
    if (!rows.length) return { positions: 0, read: 0 };
    const entries: CaptureEntry[] = [];
    for (const [streamId, fields] of rows) {
      let capture: ReturnType<typeof parseCapture>;
      try {
        capture = parseCapture(fields);
      } catch {
        capture = undefined;
      }
      if (capture) entries.push({ streamId, capture });
      else this.o.log.warn({ streamId }, 'archiver: unreadable capture entry skipped');
    }
    const r = await writeCaptures(db, entries, new Date(this.o.now()), rows.at(-1)?.[0]);
    return { positions: r.positions, read: rows.length };
  }

  private async read(key: string, after: string): Promise<[string, string[]][]> {
    return await this.o.redis.xrange(key, `(${after}`, '+', 'COUNT', this.o.batchSize);
  }

  /** Age of the first history entry after the last known cursor (Redis only: works while the archive is down). */
  async refreshLag(): Promise<number | undefined> {
    if (this.cursor === undefined) {
      try {
        this.cursor = await readCursor(this.o.archive.db, HISTORY_CURSOR);
      } catch {
        return this.state.lagMs;
      }
    }
    const [next] = (await this.o.redis.xrange(this.o.historyKey, `(${this.cursor}`, '+', 'COUNT', 1)) as [
      string,
      string[],
    ][];
    this.state.lagMs = next ? Math.max(0, this.o.now() - streamIdMs(next[0])) : 0;
    return this.state.lagMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let retryMs = 1000;
    while (!this.stopped) {
      let wait = this.o.idleMs;
      try {
        const r = await this.drainOnce();
        if (this.state.problem)
          this.o.log.info({ archive: this.o.archive.where }, 'archiver: archive writable again, resuming');
        this.state.problem = undefined;
        this.state.lastError = undefined;
        retryMs = 1000;
        if (r.read) wait = 0;
      } catch (e) {
        const err = archiveErrorFrom(e, this.o.archive.where);
        // Once per kind of problem: a database down for an hour is one line, not 3,600.
        if (err.problem !== this.state.problem)
          this.o.log.error(
            { problem: err.problem, err: err.message },
            'archiver: cannot write the archive; alerts are unaffected, archiving resumes from its cursor',
          );
        this.state.problem = err.problem;
        this.state.lastError = err.message;
        wait = retryMs;
        retryMs = Math.min(retryMs * 2, this.o.maxRetryMs);
      }
      await this.refreshLag().catch(() => undefined);
      if (wait && !this.stopped) await this.pause(wait);
    }
  }
}
