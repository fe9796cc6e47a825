/**
 * `archive:` — the flight record (docs/archive.md). The store is an SQLite file in the data dir unless
 * DATABASE_URL (environment, never the file: it may carry a password) points at PostgreSQL. Every key has a
 * default, so the section may be omitted and `npm start` archives with nothing else set up.
 */
import { z } from 'zod';
import { duration } from './alerts-schema';

export const archiveSchema = z
  .strictObject({
    /** false: no archiver and no capture (alerts are unaffected either way). */
    enabled: z.boolean().default(true),
    /** SQLite file; default `<data.dir>/archive.sqlite`. Ignored when DATABASE_URL is set. */
    file: z.string().min(1).optional(),
    /** Days to keep positions and raw replies (`archive prune`); legs, trips and events are kept forever. */
    rawRetentionDays: z.number().int().min(1).default(90),
    /** Keep each reply's body (true) or only its SHA-256 (false). */
    storeReplyBodies: z.boolean().default(true),
    /** The oldest unarchived history entry older than this → one operational alert. */
    lagAlertAfter: duration({ min: 1000 }).default(15 * 60_000),
    /** History entries per archive transaction. */
    batchSize: z.number().int().min(1).max(10_000).default(500),
    /** Approximate length bound of the captures stream (positions, replies) the archiver drains. */
    capturesMaxLen: z.number().int().min(100).default(200_000),
  })
  .prefault({});

export type ArchiveConfig = z.output<typeof archiveSchema>;
