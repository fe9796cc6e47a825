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
  /** The redaction layer (util/redact): every configured secret masked by value. */
  mask: (text: string) => string;
  storeBodies: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Below this altitude every position is kept: takeoffs, landings and approaches keep their whole track. */
export const THIN_BELOW_FT = 10_000;
/** In cruise, one position per aircraft per this many milliseconds … */
export const THIN_EVERY_MS = 60_000;
/** … or sooner when the track turned by this much since the last one kept (a diversion, a hold). */
export const THIN_TURN_DEG = 15;
/** Unlawful interference, radio failure, emergency: every position kept while squawked. */
const EMERGENCY_SQUAWKS = new Set(['7500', '7600', '7700']);

const turned = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && Math.abs(((a - b + 540) % 360) - 180) >= THIN_TURN_DEG;

/**
 * Which positions the record keeps (docs/archive.md, "What is kept"): every one on or near the ground (below
 * THIN_BELOW_FT, or no altitude), squawking an emergency, or after a turn of THIN_TURN_DEG; in cruise one per
 * THIN_EVERY_MS per aircraft. It remembers the last position kept per aircraft (forgotten after a while
 * unheard), so one instance lives as long as the worker's capture step.
 */
export class CaptureThinner {
  private readonly last = new Map<string, { t: number; track?: number }>();
  private sweptAt = 0;

  keep(s: MatchedAircraft, t: number): boolean {
    const prev = this.last.get(s.hex);
    const keep =
      !prev ||
      t - prev.t >= THIN_EVERY_MS ||
      t < prev.t ||
      s.onGround ||
      s.altFt === undefined ||
      s.altFt < THIN_BELOW_FT ||
      (s.squawk !== undefined && EMERGENCY_SQUAWKS.has(s.squawk)) ||
      turned(s.trackDeg, prev.track);
    if (keep) this.last.set(s.hex, { t, track: s.trackDeg });
    if (t - this.sweptAt > 10 * THIN_EVERY_MS) this.sweep(t);
    return keep;
  }

  /** Aircraft unheard for a while are forgotten (their next position is kept anyway). */
  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [hex, k] of this.last) if (now - k.t > 2 * THIN_EVERY_MS) this.last.delete(hex);
  }
}

/** A state as a reply record: everything the source said of it, without the watch hit (ours, not the source's). */
const record = (s: MatchedAircraft) => {
  const { watch: _watch, ...state } = s;
  return state;
};

/**
 * The capture of one poll cycle's matched aircraft. Without a thinner every position is kept and each reply
 * holds every record it carried; with one, only the positions it keeps, and each reply only their records
 * (the records evidence can point at), a reply left with none is not kept.
 */
export function buildCapture(
  matched: readonly MatchedAircraft[],
  o: CaptureOptions,
  thinner?: CaptureThinner,
): Capture {
  const groups = new Map<string, MatchedAircraft[]>();
  const kept: { s: MatchedAircraft; t: number }[] = [];
  for (const s of matched) {
    const t = s.positionAt ?? s.observedAt;
    const hasPosition = s.lat !== undefined && s.lon !== undefined;
    if (hasPosition && (!thinner || thinner.keep(s, t))) kept.push({ s, t });
    else if (thinner) continue;
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
    const body = JSON.stringify(g.map(record));
    const bodySha256 = sha256(body);
    const id = sha256(`${first.sourceId}|${first.fetchedAt}|${bodySha256}`).slice(0, 32);
    replies.push({
      id,
      source: first.sourceId,
      url: o.mask(o.sourceUrls.get(first.sourceId) ?? ''),
      fetchedAt: first.fetchedAt,
      status: 200,
      bodySha256,
      bytes: Buffer.byteLength(body),
      body: o.storeBodies ? o.mask(body) : null,
      hexes: [...new Set(g.map((s) => s.hex))].sort(),
    });
    for (const s of g) replyOf.set(s, id);
  }
  const positions = kept.map(({ s, t }): CapturedPosition => [
    s.hex,
    t,
    s.lat as number,
    s.lon as number,
    s.altFt ?? null,
    s.gsKt ?? null,
    s.trackDeg ?? null,
    s.vrateFpm ?? null,
    s.onGround ? 1 : 0,
    s.sourceId,
    replyOf.get(s) ?? '',
  ]);
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
