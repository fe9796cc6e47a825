/**
 * Capture of what the history stream does not carry: the normalized positions of watched aircraft (the track
 * behind each leg) and the source replies they came from. After each poll cycle the worker appends ONE entry
 * to a bounded Redis stream (XADD MAXLEN ~), which the archiver drains like the history: a failed append is
 * logged and dropped (the poll and every alert go on), and a slow or stopped archive never slows polling.
 *
 * A reply is recorded as the records of watched aircraft it carried, as normalized (body, or only its
 * SHA-256 when bodies are not stored), with the source, its URL with every secret masked, fetch time and
 * status. The source's full raw body is not available above the HTTP layer (see docs/archive.md).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MatchedAircraft } from '../domain/watchlist';
import { maskSecrets } from '../util/log';

export const capturesKey = (prefix: string) => `${prefix}:archive-captures`;

/** [hex, t (epoch ms), lat, lon, altFt, gsKt, trackDeg, vrateFpm, onGround 0/1, source, reply id]. */
export type CapturedPosition = [
  string,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  0 | 1,
  string,
  string,
];

export interface CapturedReply {
  id: string;
  source: string;
  url: string;
  fetchedAt: number;
  status: number;
  bodySha256: string;
  bytes: number;
  body: string | null;
  hexes: string[];
}

export interface Capture {
  positions: CapturedPosition[];
  replies: CapturedReply[];
}

export interface CaptureOptions {
  /** Source id → the URL it polls (masked here, in one place, before anything is stored). */
  sourceUrls: ReadonlyMap<string, string>;
  /** Values to mask (secretValues(env)). */
  secrets: readonly string[];
  storeBodies: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The capture of one poll cycle's matched aircraft (pure). */
export function buildCapture(matched: readonly MatchedAircraft[], o: CaptureOptions): Capture {
  const groups = new Map<string, MatchedAircraft[]>();
  for (const s of matched) {
    const k = `${s.sourceId}\u0000${s.fetchedAt}`;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  const replies: CapturedReply[] = [];
  const replyOf = new Map<MatchedAircraft, string>();
  for (const g of groups.values()) {
    const first = g[0];
    if (!first) continue;
    const body = JSON.stringify(g.map(({ watch: _watch, ...state }) => state));
    const bodySha256 = sha256(body);
    const id = sha256(`${first.sourceId}|${first.fetchedAt}|${bodySha256}`).slice(0, 32);
    replies.push({
      id,
      source: first.sourceId,
      url: maskSecrets(o.sourceUrls.get(first.sourceId) ?? '', o.secrets),
      fetchedAt: first.fetchedAt,
      status: 200,
      bodySha256,
      bytes: Buffer.byteLength(body),
      body: o.storeBodies ? maskSecrets(body, o.secrets) : null,
      hexes: [...new Set(g.map((s) => s.hex))].sort(),
    });
    for (const s of g) replyOf.set(s, id);
  }
  const positions: CapturedPosition[] = [];
  for (const s of matched) {
    if (s.lat === undefined || s.lon === undefined) continue;
    positions.push([
      s.hex,
      s.positionAt ?? s.observedAt,
      s.lat,
      s.lon,
      s.altFt ?? null,
      s.gsKt ?? null,
      s.trackDeg ?? null,
      s.vrateFpm ?? null,
      s.onGround ? 1 : 0,
      s.sourceId,
      replyOf.get(s) ?? '',
    ]);
  }
  return { positions, replies };
}

/** Appends a capture (one XADD, bounded); nothing when there is nothing to keep. */
export async function appendCapture(redis: Redis, key: string, c: Capture, maxLen: number): Promise<string | null> {
  if (!c.positions.length && !c.replies.length) return null;
  return redis.xadd(key, 'MAXLEN', '~', String(maxLen), '*', 'v', '1', 'capture', JSON.stringify(c));
}

/** A capture read back from the stream; undefined when the entry is not one (logged by the caller). */
export function parseCapture(fields: readonly string[]): Capture | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2)
    if (fields[i] === 'capture') {
      const v = JSON.parse(fields[i + 1] ?? '') as Partial<Capture>;
      if (Array.isArray(v.positions) && Array.isArray(v.replies)) return { positions: v.positions, replies: v.replies };
    }
  return undefined;
}
