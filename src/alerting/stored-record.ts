/**
 * What the alerting records kept in Redis (silences, the notification log, channel state) share: a shape
 * `version`, and what happens to a record this release cannot use. Such a record (unreadable, or written by a
 * newer release) is ignored — treated as absent, so the alert is delivered: a lost alert costs more than a
 * repeated one — and logged once per key, reason and outcome per process with the key and the reason only, never the
 * content (an operator's comment, a receiver's reply).
 */
import type { z } from 'zod';
import type { Logger } from '../util/log';

export type RecordLog = Pick<Logger, 'warn'>;

export type VersionCheck = { kind: 'known' } | { kind: 'newer' | 'invalid'; reason: string };

/** A record's `version` (number in JSON, string in a hash); absent means 1, written before records had one. */
export function checkVersion(value: unknown, current: number): VersionCheck {
  const v = value === undefined ? 1 : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    return { kind: 'invalid', reason: 'version is not a positive integer' };
  if (v > current) return { kind: 'newer', reason: `version ${v} is newer than this release reads (${current})` };
  return { kind: 'known' };
}

/** "endsAt: Invalid input…" — the path and zod's message, which names types and options, not values. */
export function issueReason(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  return `${first.path.map(String).join('.') || '(record)'}: ${first.message}`;
}

const logged = new Set<string>();
/** Bound on the memory of what was logged (cleared when full: at worst a record is logged again). */
const MAX_LOGGED = 1000;

/** Logs once per key, reason and outcome (what was done about the record). */
export function logUnusableRecord(log: RecordLog | undefined, key: string, reason: string, outcome: string): void {
  if (!log) return;
  const id = `${key}\n${reason}\n${outcome}`;
  if (logged.has(id)) return;
  if (logged.size >= MAX_LOGGED) logged.clear();
  logged.add(id);
  log.warn({ key, reason }, `stored record ignored: ${outcome}`);
}
