/**
 * Loads what an evidence bundle needs from the archive for a leg, trip or event id: the legs, their
 * positions, the replies those came from, the events, the classification and the review with its history.
 * Watch entries come from the config the caller passes (their provenance lives there).
 */
import type { Kysely } from 'kysely';
import { flightEventSchema, type AirportRef, type FlightEvent } from '../../domain/event';
import type { LegCategory, LegConfidence } from '../../domain/leg-classification';
import type { LegRow } from '../schema';
import type { RecordDatabase } from '../record-schema';
import type { EvidenceInput, EvidenceLeg, EvidenceSubjectKind, EvidenceWatchEntry } from './input';

export class EvidenceNotFoundError extends Error {
  override name = 'EvidenceNotFoundError';
}

const CHUNK = 500;
type Db = Kysely<RecordDatabase>;

async function inChunks<T>(ids: string[], fn: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await fn(ids.slice(i, i + CHUNK))));
  return out;
}

/** A JSON list of strings as the archiver stores it; anything else reads as empty. */
function stringList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** An archived event body, validated as it is read back (a row edited or damaged by hand is left out). */
function parseEvent(body: string): FlightEvent | null {
  try {
    const raw: unknown = JSON.parse(body);
    // Validated, but the archived document is what goes into the bundle, byte for byte the fields it had.
    return flightEventSchema.safeParse(raw).success ? (raw as FlightEvent) : null;
  } catch {
    return null;
  }
}

/** Which legs an id stands for: a leg, a trip's legs, or the leg (or trip) of an event. */
async function resolveSubject(db: Db, id: string): Promise<{ kind: EvidenceSubjectKind; legs: LegRow[] }> {
  const leg = await db.selectFrom('legs').selectAll().where('id', '=', id).executeTakeFirst();
  if (leg) return { kind: 'leg', legs: [leg] };
  const tripLegs = async (tripId: string) =>
    db.selectFrom('legs').selectAll().where('trip_id', '=', tripId).orderBy('departed_at').orderBy('id').execute();
  const trip = await db.selectFrom('trips').select('id').where('id', '=', id).executeTakeFirst();
  if (trip) return { kind: 'trip', legs: await tripLegs(trip.id) };
  const ev = await db
    .selectFrom('events')
    .select(['leg_id', 'trip_id', 'type'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (ev) {
    if (ev.leg_id)
      return { kind: 'event', legs: await db.selectFrom('legs').selectAll().where('id', '=', ev.leg_id).execute() };
    if (ev.trip_id) return { kind: 'event', legs: await tripLegs(ev.trip_id) };
    return { kind: 'event', legs: [] };
  }
  throw new EvidenceNotFoundError(`no leg, trip or event with id "${id}" in the archive`);
}

export interface LoadEvidenceOptions {
  /** false: leave the source replies out (a page showing the trip needs its positions, not the raw bodies). */
  replies?: boolean;
}

export async function loadEvidence(
  db: Db,
  id: string,
  watchEntries: (ids: string[]) => EvidenceWatchEntry[],
  o: LoadEvidenceOptions = {},
): Promise<EvidenceInput> {
  const { kind, legs } = await resolveSubject(db, id);
  const legIds = legs.map((l) => l.id);
  const tripIds = [...new Set(legs.map((l) => l.trip_id).filter((t): t is string => t !== null))];
  const eventRows = new Map<string, { id: string; body: string; time: string }>();
  const addEvents = (rows: { id: string; body: string; time: string }[]) => rows.forEach((r) => eventRows.set(r.id, r));
  addEvents(
    await inChunks(legIds, (p) =>
      db.selectFrom('events').select(['id', 'body', 'time']).where('leg_id', 'in', p).execute(),
    ),
  );
  addEvents(
    await inChunks(tripIds, (p) =>
      db.selectFrom('events').select(['id', 'body', 'time']).where('trip_id', 'in', p).execute(),
    ),
  );
  if (kind === 'event')
    addEvents(await db.selectFrom('events').select(['id', 'body', 'time']).where('id', '=', id).execute());
  const events = [...eventRows.values()]
    .sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id))
    .map((r) => parseEvent(r.body))
    .filter((e): e is FlightEvent => e !== null);

  const positions = await inChunks(legIds, (p) =>
    db.selectFrom('leg_positions').selectAll().where('leg_id', 'in', p).orderBy('t').execute(),
  );
  const replyIds =
    o.replies === false ? [] : [...new Set(positions.map((p) => p.reply_id).filter((r): r is string => r !== null))];
  const replies = await inChunks(replyIds, (p) =>
    db.selectFrom('raw_replies').selectAll().where('id', 'in', p).execute(),
  );
  replies.sort((a, b) => a.fetched_at - b.fetched_at || a.id.localeCompare(b.id));

  const classes = new Map(
    (await inChunks(legIds, (p) => db.selectFrom('leg_classes').selectAll().where('leg_id', 'in', p).execute())).map(
      (c) => [c.leg_id, c],
    ),
  );
  const reviews = new Map(
    (await inChunks(legIds, (p) => db.selectFrom('leg_reviews').selectAll().where('leg_id', 'in', p).execute())).map(
      (r) => [r.leg_id, r],
    ),
  );
  const logs = await inChunks(legIds, (p) =>
    db.selectFrom('leg_review_log').selectAll().where('leg_id', 'in', p).orderBy('at').orderBy('id').execute(),
  );

  const airportOf = (eventId: string | null): AirportRef | null => {
    const ev = eventId ? events.find((e) => e.id === eventId) : undefined;
    return ev?.airport ?? null;
  };
  const fallbackRef = (icao: string | null, country: string | null): AirportRef | null =>
    icao ? { icao, name: icao, country: country ?? '', lat: NaN, lon: NaN } : null;

  const evidenceLegs: EvidenceLeg[] = legs.map((l) => {
    const c = classes.get(l.id);
    const r = reviews.get(l.id);
    const parseJson = (s: string): unknown => {
      try {
        return JSON.parse(s);
      } catch {
        return s;
      }
    };
    return {
      id: l.id,
      tripId: l.trip_id,
      from: airportOf(l.takeoff_event_id) ?? fallbackRef(l.departure_icao, l.departure_country),
      to: airportOf(l.landing_event_id) ?? fallbackRef(l.arrival_icao, l.arrival_country),
      departedAt: l.departed_at,
      arrivedAt: l.arrived_at,
      takeoffInferred: l.departure_inferred === 1,
      landingInferred: l.arrival_inferred === 1,
      takeoffEstimated: l.departure_estimated === 1,
      landingEstimated: l.arrival_estimated === 1,
      gaps: [],
      positions: positions
        .filter((p) => p.leg_id === l.id)
        .map((p) => ({
          time: p.t,
          lat: p.lat,
          lon: p.lon,
          altFt: p.alt_ft,
          gsKt: p.gs_kt,
          trackDeg: p.track_deg,
          onGround: p.on_ground === 1,
          source: p.source,
        })),
      ...(c
        ? {
            classification: {
              category: c.category as LegCategory,
              confidence: c.confidence as LegConfidence,
              reasons: parseJson(c.reasons) as string[],
              ...(c.destination_country ? { destinationCountry: c.destination_country } : {}),
              ...(c.border_city ? { borderCity: c.border_city } : {}),
            },
          }
        : {}),
      review: {
        state: r?.state ?? 'unreviewed',
        category: r?.category ?? null,
        note: r?.note ?? null,
        reviewer: r?.reviewer ?? null,
        at: r?.reviewed_at ?? null,
        history: logs
          .filter((x) => x.leg_id === l.id)
          .map((x) => ({
            at: x.at,
            reviewer: x.reviewer,
            before: parseJson(x.before),
            after: parseJson(x.after),
            note: x.note,
          })),
      },
    };
  });

  const hex = legs[0]?.hex ?? events[0]?.aircraft.hex ?? '';
  const aircraft = hex
    ? await db.selectFrom('aircraft').selectAll().where('hex', '=', hex).executeTakeFirst()
    : undefined;
  const watchIds = [
    ...new Set([...legs.flatMap((l) => stringList(l.watch_ids)), ...events.flatMap((e) => e.watch.ids)]),
  ].sort();
  return {
    subject: { kind, id },
    aircraft: {
      hex,
      registration: aircraft?.registration ?? events[0]?.aircraft.registration ?? null,
      type: aircraft?.type_code ?? events[0]?.aircraft.type ?? null,
      operator: aircraft?.operator ?? null,
    },
    legs: evidenceLegs,
    events,
    rawReplies: replies.map((r) => ({
      source: r.source,
      url: r.url,
      fetchedAt: new Date(r.fetched_at).toISOString(),
      status: r.status,
      sha256: r.body_sha256,
      body: r.body,
    })),
    watchEntries: watchEntries(watchIds),
  };
}
