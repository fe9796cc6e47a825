/**
 * The capture path as it was before issue 17's work (main at 4708b53: src/archive/capture.ts and
 * write-captures.ts), frozen here as bench:capture's baseline, measured in the same run as the current path.
 * Not used by the worker. Its only change: imports point at src/.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { MatchedAircraft } from '../../src/domain/watchlist';
import type { ArchiveDatabase } from '../../src/archive/schema';
import { CAPTURES_CURSOR, lockCursor } from '../../src/archive/write-events';
import { compareStreamIds } from '../../src/archive/stream-id';
import type { CaptureOptions } from '../../src/archive/capture';

type Db = Kysely<ArchiveDatabase>;

type CapturedPosition = [
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

interface CapturedReply {
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

interface Capture {
  positions: CapturedPosition[];
  replies: CapturedReply[];
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
interface CaptureEntry {
  streamId: string;
  capture: Capture;
}

const CHUNK = 200;

export async function writeCaptures(
  db: Db,
  entries: readonly CaptureEntry[],
  now = new Date(),
  upTo?: string,
): Promise<{ positions: number; replies: number; cursor?: string }> {
  const nowIso = now.toISOString();
  return db.transaction().execute(async (tx) => {
    const saved = await lockCursor(tx, CAPTURES_CURSOR, nowIso);
    const fresh = entries.filter((x) => compareStreamIds(x.streamId, saved) > 0);
    const replies = fresh.flatMap((x) => x.capture.replies);
    const positions = fresh.flatMap((x) => x.capture.positions);
    for (let i = 0; i < replies.length; i += CHUNK)
      await tx
        .insertInto('raw_replies')
        .values(
          replies.slice(i, i + CHUNK).map((r) => ({
            id: r.id,
            source: r.source,
            url: r.url,
            fetched_at: r.fetchedAt,
            status: r.status,
            body_sha256: r.bodySha256,
            bytes: r.bytes,
            body: r.body,
            hexes: JSON.stringify(r.hexes),
          })),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    // The same (hex, time) from two sources or two cycles: the first one kept.
    const byKey = new Map<string, CapturedPosition>();
    for (const p of positions) if (!byKey.has(`${p[0]}|${p[1]}`)) byKey.set(`${p[0]}|${p[1]}`, p);
    const unique = [...byKey.values()];
    for (let i = 0; i < unique.length; i += CHUNK)
      await tx
        .insertInto('leg_positions')
        .values(
          unique.slice(i, i + CHUNK).map(([hex, t, lat, lon, alt, gs, track, vrate, ground, source, reply]) => ({
            hex,
            t,
            lat,
            lon,
            alt_ft: alt === null ? null : Math.round(alt),
            gs_kt: gs,
            track_deg: track,
            vrate_fpm: vrate === null ? null : Math.round(vrate),
            on_ground: ground,
            source,
            reply_id: reply || null,
            leg_id: null,
          })),
        )
        .onConflict((oc) => oc.columns(['hex', 't']).doNothing())
        .execute();
    await attachLate(tx, unique);
    const last = upTo ?? entries.at(-1)?.streamId;
    let cursor = saved;
    if (last && compareStreamIds(last, saved) > 0) {
      await tx
        .updateTable('archiver_cursor')
        .set({ stream_id: last, updated_at: nowIso })
        .where('name', '=', CAPTURES_CURSOR)
        .execute();
      cursor = last;
    }
    return { positions: unique.length, replies: replies.length, cursor };
  });
}

/** Positions inside an already closed leg of their airframe (the capture came after the landing). */
async function attachLate(db: Db, positions: readonly CapturedPosition[]): Promise<void> {
  const span = new Map<string, { min: number; max: number }>();
  for (const [hex, t] of positions) {
    const s = span.get(hex);
    if (!s) span.set(hex, { min: t, max: t });
    else [s.min, s.max] = [Math.min(s.min, t), Math.max(s.max, t)];
  }
  for (const [hex, s] of span) {
    const legs = await db
      .selectFrom('legs')
      .select(['id', 'departed_at', 'arrived_at'])
      .where('hex', '=', hex)
      .where('arrived_at', '>=', new Date(s.min).toISOString())
      .where('arrived_at', 'is not', null)
      .execute();
    for (const leg of legs) {
      if (!leg.arrived_at || !leg.departed_at || Date.parse(leg.departed_at) > s.max) continue;
      await db
        .updateTable('leg_positions')
        .set({ leg_id: leg.id })
        .where('hex', '=', hex)
        .where('t', '>=', Date.parse(leg.departed_at))
        .where('t', '<=', Date.parse(leg.arrived_at))
        .where('leg_id', 'is', null)
        .execute();
    }
  }
}
