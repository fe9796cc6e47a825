/**
 * Captured positions and replies → leg_positions and raw_replies, with the "captures" cursor, in one
 * transaction. Rows are keyed (hex + time; reply id), so re-reading entries after a crash adds nothing.
 * A position that arrives after its leg closed gets the leg's id here; the others get it at the landing.
 */
import type { Kysely } from 'kysely';
import type { ArchiveDatabase } from './schema';
import type { Capture } from './capture';
import { CAPTURES_CURSOR, lockCursor } from './write-events';
import { compareStreamIds } from './stream-id';

type Db = Kysely<ArchiveDatabase>;

export interface CaptureEntry {
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
    const byKey = new Map<string, (typeof positions)[number]>();
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
async function attachLate(db: Db, positions: readonly Capture['positions'][number][]): Promise<void> {
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
