/**
 * One archiver transaction: take a batch of history entries, keep those after the saved cursor and not yet
 * archived, project them (project.ts), insert their event rows and move the cursor — all or nothing. The
 * cursor row is written first, which locks it (PostgreSQL row lock; SQLite's write lock), so two replicas
 * archiving the same stream take turns and the second sees the first's cursor: no row twice, none skipped.
 */
import type { Kysely } from 'kysely';
import type { FlightEvent } from '../domain/event';
import type { ArchiveDatabase, NewEvent } from './schema';
import { jsonUnion, projectEvent } from './project';
import { compareStreamIds, STREAM_START } from './stream-id';

type Db = Kysely<ArchiveDatabase>;

export interface ArchiveEntry {
  /** Stream entry id; undefined for events that never were in a history stream (replay --archive). */
  historyId?: string;
  event: FlightEvent;
}

export interface WriteResult {
  /** Events new to the archive. */
  archived: number;
  /** Already archived (a replay, a rebuild, another replica) or behind the cursor. */
  skipped: number;
  /** The cursor after this batch. */
  cursor?: string;
}

/** Cursor names (archiver_cursor.name). */
export const HISTORY_CURSOR = 'history';
export const CAPTURES_CURSOR = 'captures';

/** Upserts the cursor row (taking its lock) and returns its stream id. */
export async function lockCursor(db: Db, name: string, nowIso: string): Promise<string> {
  await db
    .insertInto('archiver_cursor')
    .values({ name, stream_id: STREAM_START, updated_at: nowIso })
    .onConflict((oc) => oc.column('name').doUpdateSet({ updated_at: nowIso }))
    .execute();
  const row = await db
    .selectFrom('archiver_cursor')
    .select('stream_id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.stream_id;
}

export async function readCursor(db: Db, name: string): Promise<string> {
  const row = await db.selectFrom('archiver_cursor').select('stream_id').where('name', '=', name).executeTakeFirst();
  return row?.stream_id ?? STREAM_START;
}

const CHUNK = 100; // rows per multi-row statement (well under SQLite's and PostgreSQL's parameter limits)

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Archives `entries` (history order) in one transaction. With `cursor`, entries at or before the saved
 * cursor are skipped and the cursor moves to the last entry; without (replay --archive), ids alone dedupe.
 */
export async function writeEvents(
  db: Db,
  entries: readonly ArchiveEntry[],
  o: { cursor?: string; now?: Date; upTo?: string } = {},
): Promise<WriteResult> {
  const nowIso = (o.now ?? new Date()).toISOString();
  return db.transaction().execute(async (tx) => {
    const saved = o.cursor ? await lockCursor(tx, o.cursor, nowIso) : undefined;
    const fresh = saved ? entries.filter((x) => !x.historyId || compareStreamIds(x.historyId, saved) > 0) : entries;
    const ids = [...new Set(fresh.map((x) => x.event.id))];
    const known = new Set<string>();
    for (const part of chunks(ids)) {
      const rows = await tx.selectFrom('events').select('id').where('id', 'in', part).execute();
      for (const r of rows) known.add(r.id);
    }
    const rows: NewEvent[] = [];
    for (const x of fresh) {
      const e = x.event;
      if (known.has(e.id)) continue;
      known.add(e.id); // the same event twice in one batch is archived once
      const legId = await projectEvent(tx, e, nowIso);
      rows.push({
        id: e.id,
        history_id: x.historyId ?? null,
        type: e.type,
        hex: e.aircraft.hex,
        time: e.time,
        leg_id: legId,
        trip_id: tripOf(e),
        source: e.source,
        body: JSON.stringify(e),
        archived_at: nowIso,
      });
    }
    for (const part of chunks(rows))
      await tx
        .insertInto('events')
        .values(part)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    await upsertAircraft(
      tx,
      rows.map((r) => JSON.parse(r.body) as FlightEvent),
    );
    // upTo: the last stream id read, which may be an unreadable entry that was logged and left out.
    const last = o.upTo ?? entries.at(-1)?.historyId;
    let cursor = saved;
    if (o.cursor && last && (!saved || compareStreamIds(last, saved) > 0)) {
      await tx
        .updateTable('archiver_cursor')
        .set({ stream_id: last, updated_at: nowIso })
        .where('name', '=', o.cursor)
        .execute();
      cursor = last;
    }
    return { archived: rows.length, skipped: entries.length - rows.length, cursor };
  });
}

function tripOf(e: FlightEvent): string | null {
  const d = e.details;
  return d && 'tripId' in d && typeof d.tripId === 'string' ? d.tripId : null;
}

/** One upsert per airframe in the batch: identity fields from its newest event, seen range widened. */
async function upsertAircraft(db: Db, events: readonly FlightEvent[]): Promise<void> {
  const byHex = new Map<string, { first: string; last: string; newest: FlightEvent; watch: Set<string> }>();
  for (const e of events) {
    const a = byHex.get(e.aircraft.hex);
    if (!a) byHex.set(e.aircraft.hex, { first: e.time, last: e.time, newest: e, watch: new Set(e.watch.ids) });
    else {
      if (e.time < a.first) a.first = e.time;
      if (e.time >= a.last) [a.last, a.newest] = [e.time, e];
      for (const w of e.watch.ids) a.watch.add(w);
    }
  }
  if (!byHex.size) return;
  const stored = new Map<string, { watch_ids: string; first_seen: string; last_seen: string }>();
  for (const part of chunks([...byHex.keys()])) {
    const rows = await db
      .selectFrom('aircraft')
      .select(['hex', 'watch_ids', 'first_seen', 'last_seen'])
      .where('hex', 'in', part)
      .execute();
    for (const r of rows) stored.set(r.hex, r);
  }
  for (const [hex, a] of byHex) {
    const s = stored.get(hex);
    const ac = a.newest.aircraft;
    const newer = !s || a.last >= s.last_seen;
    const row = {
      hex,
      registration: ac.registration ?? null,
      type_code: ac.type ?? null,
      operator: ac.operator ?? null,
      watch_ids: jsonUnion(s?.watch_ids ?? '[]', [...a.watch]),
      first_seen: s && s.first_seen < a.first ? s.first_seen : a.first,
      last_seen: s && s.last_seen > a.last ? s.last_seen : a.last,
    };
    if (!s) await db.insertInto('aircraft').values(row).execute();
    else
      await db
        .updateTable('aircraft')
        .set({
          watch_ids: row.watch_ids,
          first_seen: row.first_seen,
          last_seen: row.last_seen,
          // identity from the newest event; a missing field never blanks a known one
          ...(newer && row.registration ? { registration: row.registration } : {}),
          ...(newer && row.type_code ? { type_code: row.type_code } : {}),
          ...(newer && row.operator ? { operator: row.operator } : {}),
        })
        .where('hex', '=', hex)
        .execute();
  }
}
