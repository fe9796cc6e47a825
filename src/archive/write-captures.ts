/**
 * Captured positions and replies → leg_positions and raw_replies, with the "captures" cursor, in one
 * transaction. Rows are keyed (hex + time; reply id), so re-reading entries after a crash adds nothing.
 * A position that arrives after its leg closed gets the leg's id here; the others get it at the landing.
 */
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';
import type { ArchiveDatabase } from './schema';
import type { Capture, CapturedPosition } from './capture';
import { CAPTURES_CURSOR, lockCursor } from './write-events';
import { compareStreamIds } from './stream-id';

type Db = Kysely<ArchiveDatabase>;

export interface CaptureEntry {
  streamId: string;
  capture: Capture;
}

const CHUNK = 200;
/** SQLite: rows per multi-row INSERT (12 parameters each, well under its 32,766). */
const SQLITE_ROWS = 500;

const COLUMNS = 'hex, t, lat, lon, alt_ft, gs_kt, track_deg, vrate_fpm, on_ground, source, reply_id';
const CONFLICT = 'on conflict (hex, t) do nothing';
/** PostgreSQL: every position of the batch in one statement, one array per column. */
const PG_INSERT =
  `insert into leg_positions (${COLUMNS}) select * from unnest($1::text[], $2::bigint[], $3::float8[], ` +
  `$4::float8[], $5::int[], $6::float8[], $7::float8[], $8::int[], $9::int[], $10::text[], $11::text[]) ${CONFLICT}`;
/** SQLite: the statement text per row count, built once (the last chunk of a batch is shorter). */
const sqliteInserts = new Map<number, string>();
function sqliteInsert(rows: number): string {
  let text = sqliteInserts.get(rows);
  if (!text) {
    text = `insert into leg_positions (${COLUMNS}) values ${Array(rows).fill('(?,?,?,?,?,?,?,?,?,?,?)').join(',')} ${CONFLICT}`;
    sqliteInserts.set(rows, text);
  }
  return text;
}

const intOrNull = (x: number | null) => (x === null ? null : Math.round(x));

/**
 * The positions as plain parameterised statements: the query builder's cost per value (a node per cell,
 * compiled and frozen) was most of the capture path's CPU at 10,000 aircraft (docs/archive.md).
 */
async function insertPositions(db: Db, positions: readonly CapturedPosition[]): Promise<void> {
  if (!positions.length) return;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const cols: unknown[][] = Array.from({ length: 11 }, () => []);
    for (const p of positions) {
      for (let c = 0; c < 11; c++) cols[c]!.push(p[c]);
      cols[4]![cols[4]!.length - 1] = intOrNull(p[4]);
      cols[7]![cols[7]!.length - 1] = intOrNull(p[7]);
      cols[10]![cols[10]!.length - 1] = p[10] || null;
    }
    await db.executeQuery(CompiledQuery.raw(PG_INSERT, cols));
    return;
  }
  for (let i = 0; i < positions.length; i += SQLITE_ROWS) {
    const chunk = positions.slice(i, i + SQLITE_ROWS);
    const params: unknown[] = [];
    for (const [hex, t, lat, lon, alt, gs, track, vrate, ground, source, reply] of chunk)
      params.push(hex, t, lat, lon, intOrNull(alt), gs, track, intOrNull(vrate), ground, source, reply || null);
    await db.executeQuery(CompiledQuery.raw(sqliteInsert(chunk.length), params));
  }
}

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
    for (const x of fresh)
      for (const p of x.capture.positions) {
        const k = `${p[0]}|${p[1]}`;
        if (!byKey.has(k)) byKey.set(k, p);
      }
    const unique = [...byKey.values()];
    await insertPositions(tx, unique);
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

/**
 * Positions inside an already closed leg of their airframe (the capture came after the landing). One query
 * for the legs that landed since the batch's first position (the arrival index), whatever the number of
 * airframes; an UPDATE only for a leg that has positions in the batch.
 */
async function attachLate(db: Db, positions: readonly CapturedPosition[]): Promise<void> {
  if (!positions.length) return;
  const span = new Map<string, { min: number; max: number }>();
  let first = Infinity;
  for (const [hex, t] of positions) {
    if (t < first) first = t;
    const s = span.get(hex);
    if (!s) span.set(hex, { min: t, max: t });
    else [s.min, s.max] = [Math.min(s.min, t), Math.max(s.max, t)];
  }
  const legs = await db
    .selectFrom('legs')
    .select(['id', 'hex', 'departed_at', 'arrived_at'])
    .where('arrived_at', '>=', new Date(first).toISOString())
    .where('arrived_at', 'is not', null)
    .execute();
  for (const leg of legs) {
    const s = span.get(leg.hex);
    if (!s || !leg.arrived_at || !leg.departed_at) continue;
    const from = Date.parse(leg.departed_at);
    const to = Date.parse(leg.arrived_at);
    if (from > s.max || to < s.min) continue;
    await db
      .updateTable('leg_positions')
      .set({ leg_id: leg.id })
      .where('hex', '=', leg.hex)
      .where('t', '>=', from)
      .where('t', '<=', to)
      .where('leg_id', 'is', null)
      .execute();
  }
}
