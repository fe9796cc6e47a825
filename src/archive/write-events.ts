/**
 * One archiver transaction: take a batch of history entries, keep those after the saved cursor and not yet
 * archived, project them (project.ts), insert their event rows and move the cursor — all or nothing. The
 * cursor row is written first, which locks it (PostgreSQL row lock; SQLite's write lock), so two replicas
 * archiving the same stream take turns and the second sees the first's cursor: no row twice, none skipped.
 */
import type { Insertable, Kysely } from 'kysely';
import type { FlightEvent } from '../domain/event';
import type { AircraftRow, ArchiveDatabase, IdentityLinksTable, NewEvent } from './schema';
import { BatchProjector, jsonUnion } from './project';
import { compareStreamIds, STREAM_START } from './stream-id';

type Db = Kysely<ArchiveDatabase>;

export interface ArchiveEntry {
  /** Stream entry id; undefined for events that never were in a history stream (replay --archive). */
  historyId?: string;
  event: FlightEvent;
  /** The event's JSON as read from the stream (saves serializing it again). */
  json?: string;
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
    const todo: ArchiveEntry[] = [];
    for (const x of fresh) {
      if (known.has(x.event.id)) continue;
      known.add(x.event.id); // the same event twice in one batch is archived once
      todo.push(x);
    }
    const projector = new BatchProjector(tx, nowIso);
    await projector.load(todo.map((x) => x.event));
    const rows: NewEvent[] = todo.map(({ event: e, historyId, json }) => ({
      id: e.id,
      history_id: historyId ?? null,
      type: e.type,
      hex: e.aircraft.hex,
      time: e.time,
      leg_id: projector.project(e),
      trip_id: tripOf(e),
      source: e.source,
      body: json ?? JSON.stringify(e),
      archived_at: nowIso,
    }));
    await projector.flush();
    for (const part of chunks(rows))
      await tx
        .insertInto('events')
        .values(part)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    await upsertAircraft(
      tx,
      todo.map((x) => x.event),
    );
    await writeIdentityLinks(
      tx,
      todo.map((x) => x.event),
      nowIso,
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

/** One identity_links row per (hex, previous hex): the first archived event carrying the link names it. */
async function writeIdentityLinks(db: Db, events: readonly FlightEvent[], nowIso: string): Promise<void> {
  const rows = new Map<string, Insertable<IdentityLinksTable>>();
  for (const e of events) {
    const l = e.details?.linked;
    const key = l && `${e.aircraft.hex}\n${l.previousHex}`;
    if (!l || !key || rows.has(key)) continue;
    rows.set(key, {
      hex: e.aircraft.hex,
      previous_hex: l.previousHex,
      reason: l.reason,
      matched: l.matched,
      gap_seconds: l.gapSeconds,
      distance_nm: l.distanceNm,
      alt_diff_ft: l.altDiffFt ?? null,
      linked_at: l.at,
      event_id: e.id,
      archived_at: nowIso,
    });
  }
  for (const part of chunks([...rows.values()]))
    await db
      .insertInto('identity_links')
      .values(part)
      .onConflict((oc) => oc.columns(['hex', 'previous_hex']).doNothing())
      .execute();
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
  const stored = new Map<string, AircraftRow>();
  for (const part of chunks([...byHex.keys()])) {
    const rows = await db.selectFrom('aircraft').selectAll().where('hex', 'in', part).execute();
    for (const r of rows) stored.set(r.hex, r);
  }
  const rows = [...byHex].map(([hex, a]) => {
    const s = stored.get(hex);
    const ac = a.newest.aircraft;
    const newer = !s || a.last >= s.last_seen;
    // Identity from the newest event; a missing field never blanks a known one.
    const pick = (mine: string | undefined, theirs: string | null | undefined) =>
      (newer ? (mine ?? theirs) : (theirs ?? mine)) ?? null;
    return {
      hex,
      registration: pick(ac.registration, s?.registration),
      type_code: pick(ac.type, s?.type_code),
      operator: pick(ac.operator, s?.operator),
      watch_ids: jsonUnion(s?.watch_ids ?? '[]', [...a.watch]),
      first_seen: s && s.first_seen < a.first ? s.first_seen : a.first,
      last_seen: s && s.last_seen > a.last ? s.last_seen : a.last,
    };
  });
  // Read-then-write is safe here: the cursor lock serializes archivers.
  for (const part of chunks(rows))
    await db
      .insertInto('aircraft')
      .values(part)
      .onConflict((oc) =>
        oc.column('hex').doUpdateSet((eb) => ({
          registration: eb.ref('excluded.registration'),
          type_code: eb.ref('excluded.type_code'),
          operator: eb.ref('excluded.operator'),
          watch_ids: eb.ref('excluded.watch_ids'),
          first_seen: eb.ref('excluded.first_seen'),
          last_seen: eb.ref('excluded.last_seen'),
        })),
      )
      .execute();
}
