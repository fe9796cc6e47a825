/**
 * Silences: stored matchers with an end time (Alertmanager). Each silence is a Redis hash that expires at its
 * end, plus an index set pruned lazily. Matching is pure (`silenceMatches`) and applied in the notify step,
 * so a silence added while alerts wait for a retry still holds them back.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from './keys';

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
    .hset(k.silence(s.id), s as unknown as Record<string, string>)
    .pexpireat(k.silence(s.id), now + n.forMs)
    .sadd(k.silenceIndex, s.id)
    .exec();
  return s;
}

/** Active silences; ids whose hash expired are removed from the index on the way. */
export async function listSilences(redis: Redis, k: Keys, now = Date.now(), knownIds?: string[]): Promise<Silence[]> {
  const ids = knownIds ?? (await redis.smembers(k.silenceIndex));
  if (!ids.length) return [];
  const p = redis.pipeline();
  for (const id of ids) p.hgetall(k.silence(id));
  const rows = (await p.exec()) ?? [];
  const out: Silence[] = [];
  const stale: string[] = [];
  ids.forEach((id, i) => {
    const [err, h] = rows[i] ?? [new Error('no reply'), null];
    const rec = h as Record<string, string> | null;
    if (err || !rec?.id || !rec.endsAt || Date.parse(rec.endsAt) <= now) stale.push(id);
    else out.push(rec as unknown as Silence);
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
