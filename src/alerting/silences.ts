/**
 * Silences: stored matchers with an end time (Alertmanager). Each silence is a Redis hash that expires at its
 * end, plus an index set pruned lazily. Matching is pure (`silenceMatches`) and applied in the notify step,
 * so a silence added while alerts wait for a retry still holds them back.
 *
 * The hash carries `version` (SILENCE_VERSION; absent in silences written before: the same fields) and is
 * validated when read. One that is not a silence (a wrong field, no matcher: it would hold back every alert)
 * is logged and dropped from the index; one of a newer version is logged and not applied, but kept for the
 * release that wrote it (stored-record.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keys } from './keys';
import { checkVersion, issueReason, logUnusableRecord, type RecordLog } from './stored-record';

/** Shape version of a stored silence hash. */
export const SILENCE_VERSION = 1;

export interface Silence {
  id: string;
  hex?: string;
  watch?: string;
  event?: string;
  comment?: string;
  createdAt: string;
  endsAt: string;
}

export interface SilenceTarget {
  hex: string;
  watchIds: readonly string[];
  type: string;
}

const isoTime = z.string().refine((t) => Number.isFinite(Date.parse(t)), 'not a time');

/** The hash's fields (`version` is checked before and left out). */
const storedSilence = z
  .object({
    id: z.string(),
    hex: z.string().optional(),
    watch: z.string().optional(),
    event: z.string().optional(),
    comment: z.string().optional(),
    createdAt: isoTime,
    endsAt: isoTime,
  })
  .refine((x) => x.hex || x.watch || x.event, 'no hex, watch or event: it would hold back every alert');

// The schema and the interface describe the same shape: a field added to one and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<z.infer<typeof storedSilence>, Silence> = true;
void sameShape;

type StoredSilence = { kind: 'active'; silence: Silence } | { kind: 'stale' } | { kind: 'newer' };

/**
 * One stored silence. `stale` (dropped from the index): gone, ended, or not a silence (logged); `newer`:
 * written by a newer release (logged, not applied, kept).
 */
function readSilence(key: string, id: string, h: Record<string, string>, now: number, log?: RecordLog): StoredSilence {
  if (!Object.keys(h).length) return { kind: 'stale' }; // expired: HGETALL of a missing key is {}
  const notASilence = (reason: string): StoredSilence => {
    logUnusableRecord(log, key, reason, 'not a silence: not applied, dropped from the index');
    return { kind: 'stale' };
  };
  const version = checkVersion(h.version, SILENCE_VERSION);
  if (version.kind === 'newer') {
    logUnusableRecord(log, key, version.reason, 'silence not applied, kept for the release that wrote it');
    return { kind: 'newer' };
  }
  if (version.kind === 'invalid') return notASilence(version.reason);
  const parsed = storedSilence.safeParse(h);
  if (!parsed.success) return notASilence(issueReason(parsed.error));
  if (parsed.data.id !== id) return notASilence('id: not the id it is indexed under');
  return Date.parse(parsed.data.endsAt) <= now ? { kind: 'stale' } : { kind: 'active', silence: parsed.data };
}

export function silenceMatches(s: Silence, t: SilenceTarget, now: number): boolean {
  if (Date.parse(s.endsAt) <= now) return false;
  return (
    (!s.hex || s.hex === t.hex.toLowerCase()) &&
    (!s.watch || t.watchIds.includes(s.watch)) &&
    (!s.event || s.event === t.type)
  );
}

export type NewSilence = { hex?: string; watch?: string; event?: string; comment?: string; forMs: number };

export async function addSilence(redis: Redis, k: Keys, n: NewSilence, now = Date.now()): Promise<Silence> {
  if (!n.hex && !n.watch && !n.event) throw new Error('a silence needs at least one of hex, watch, event');
  if (!(n.forMs > 0)) throw new Error('a silence needs a positive duration');
  const s: Silence = {
    id: `sil_${randomBytes(5).toString('hex')}`,
    ...(n.hex ? { hex: n.hex.trim().toLowerCase() } : {}),
    ...(n.watch ? { watch: n.watch } : {}),
    ...(n.event ? { event: n.event } : {}),
    ...(n.comment ? { comment: n.comment } : {}),
    createdAt: new Date(now).toISOString(),
    endsAt: new Date(now + n.forMs).toISOString(),
  };
  await redis
    .multi()
    .hset(k.silence(s.id), { version: String(SILENCE_VERSION), ...s })
    .pexpireat(k.silence(s.id), now + n.forMs)
    .sadd(k.silenceIndex, s.id)
    .exec();
  return s;
}

/**
 * Active silences; ids whose hash expired or is not a silence are removed from the index on the way.
 * `log` gets what cannot be used (once per record and reason).
 */
export async function listSilences(
  redis: Redis,
  k: Keys,
  now = Date.now(),
  knownIds?: string[],
  log?: RecordLog,
): Promise<Silence[]> {
  const ids = knownIds ?? (await redis.smembers(k.silenceIndex));
  if (!ids.length) return [];
  const p = redis.pipeline();
  for (const id of ids) p.hgetall(k.silence(id));
  const rows = (await p.exec()) ?? [];
  const out: Silence[] = [];
  const stale: string[] = [];
  ids.forEach((id, i) => {
    const [err, h] = rows[i] ?? [new Error('no reply'), null];
    if (err) {
      // WRONGTYPE: whatever is under the key, it is not a silence.
      logUnusableRecord(log, k.silence(id), err.message, 'not a silence: not applied, dropped from the index');
      stale.push(id);
      return;
    }
    const read = readSilence(k.silence(id), id, (h ?? {}) as Record<string, string>, now, log);
    if (read.kind === 'active') out.push(read.silence);
    else if (read.kind === 'stale') stale.push(id);
  });
  if (stale.length) await redis.srem(k.silenceIndex, ...stale);
  return out.sort((a, b) => a.endsAt.localeCompare(b.endsAt));
}

export async function removeSilence(redis: Redis, k: Keys, id: string): Promise<boolean> {
  const [[, deleted]] = (await redis.multi().del(k.silence(id)).srem(k.silenceIndex, id).exec()) as [
    [unknown, number],
    unknown,
  ];
  return deleted === 1;
}
