/**
 * Events → rows: how the archive's legs, trips and aircraft follow from the detection history. Runs inside
 * the archiver's transaction, only for events the archive did not have (so each is projected once), in
 * history order. A leg opens at a takeoff ("leg:" + its id) and closes at the next landing of the same
 * airframe; a landing with no open leg (first seen airborne) makes a leg of its own from what the landing
 * says of its departure. Destination and diversion events annotate the leg their landing closed.
 */
import type { Kysely } from 'kysely';
import {
  isTestAlert,
  tripIdOf,
  type FlightEvent,
  type LandingEvent,
  type TakeoffEvent,
  type TripEvent,
} from '../domain/event';
import type { ArchiveDatabase, Flag, NewLeg } from './schema';

type Db = Kysely<ArchiveDatabase>;

const flag = (b: boolean | undefined): Flag => (b ? 1 : 0);
const legIdOf = (eventId: string) => `leg:${eventId}`;

export function jsonUnion(stored: string, more: readonly string[]): string {
  let prev: unknown;
  try {
    prev = JSON.parse(stored);
  } catch {
    prev = [];
  }
  const list = Array.isArray(prev) ? prev.filter((x): x is string => typeof x === 'string') : [];
  return JSON.stringify([...new Set([...list, ...more])].sort());
}

/** Applies one new event; returns the leg it belongs to (for the events row), if any. */
export async function projectEvent(db: Db, e: FlightEvent, nowIso: string): Promise<string | null> {
  if (isTestAlert(e)) return null;
  switch (e.type) {
    case 'takeoff':
      return openLeg(db, e, nowIso);
    case 'landing':
      return closeLeg(db, e, nowIso);
    case 'destination': {
      const legId = await legOfLanding(db, e.details?.landingId);
      if (legId)
        await db
          .updateTable('legs')
          .set({ destination_id: e.destination?.id ?? null, updated_at: nowIso })
          .where('id', '=', legId)
          .execute();
      return legId;
    }
    case 'diversion': {
      const legId = await legOfLanding(db, e.details?.landingId);
      const from = e.details?.predicted.map((p) => p.destination).join(',') || null;
      if (legId)
        await db.updateTable('legs').set({ diverted_from: from, updated_at: nowIso }).where('id', '=', legId).execute();
      return legId;
    }
    case 'trip':
      await upsertTrip(db, e, nowIso);
      return null;
    default:
      return null;
  }
}

async function legOfLanding(db: Db, landingId: string | undefined): Promise<string | null> {
  if (!landingId) return null;
  const row = await db.selectFrom('legs').select('id').where('landing_event_id', '=', landingId).executeTakeFirst();
  return row?.id ?? null;
}

const common = (e: FlightEvent, nowIso: string) => ({
  hex: e.aircraft.hex,
  trip_id: tripIdOf(e) ?? null,
  callsign: e.aircraft.callsign ?? null,
  watch_ids: JSON.stringify([...e.watch.ids].sort()),
  source: e.source,
  updated_at: nowIso,
});

async function openLeg(db: Db, e: TakeoffEvent, nowIso: string): Promise<string> {
  const id = legIdOf(e.id);
  const leg: NewLeg = {
    id,
    ...common(e, nowIso),
    departure_icao: e.airport?.icao ?? null,
    departure_country: e.airport?.country ?? null,
    departed_at: e.time,
    departure_inferred: flag(e.details?.inferred),
    departure_estimated: flag(e.details?.estimated),
    arrival_inferred: 0,
    arrival_estimated: 0,
    takeoff_event_id: e.id,
    gap_s: e.details?.gapS ?? null,
  };
  await db
    .insertInto('legs')
    .values(leg)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return id;
}

async function closeLeg(db: Db, e: LandingEvent, nowIso: string): Promise<string> {
  const d = e.details;
  const open = await db
    .selectFrom('legs')
    .select(['id', 'gap_s'])
    .where('hex', '=', e.aircraft.hex)
    .where('landing_event_id', 'is', null)
    .where('departed_at', '<=', e.time)
    .orderBy('departed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const arrival = {
    arrival_icao: e.airport?.icao ?? null,
    arrival_country: e.airport?.country ?? null,
    arrived_at: e.time,
    arrival_inferred: flag(d?.inferred),
    arrival_estimated: flag(d?.estimated),
    landing_event_id: e.id,
    updated_at: nowIso,
  };
  let id: string;
  if (open) {
    id = open.id;
    const gap = Math.max(open.gap_s ?? 0, d?.gapS ?? 0) || null;
    const tripId = tripIdOf(e);
    await db
      .updateTable('legs')
      .set({ ...arrival, gap_s: gap, ...(tripId ? { trip_id: tripId } : {}) })
      .where('id', '=', id)
      .execute();
  } else {
    // Never saw it take off: the departure is what the landing inferred (details.departure, departedAt).
    id = legIdOf(e.id);
    await db
      .insertInto('legs')
      .values({
        id,
        ...common(e, nowIso),
        ...arrival,
        departure_icao: d?.departure ?? null,
        departed_at: d?.departedAt ?? null,
        departure_inferred: 1,
        departure_estimated: 0,
        gap_s: d?.gapS ?? null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  await attachPositions(db, e.aircraft.hex, id);
  return id;
}

/** Positions of the airframe between the leg's departure and arrival get the leg's id. */
export async function attachPositions(db: Db, hex: string, legId: string): Promise<void> {
  const leg = await db
    .selectFrom('legs')
    .select(['departed_at', 'arrived_at'])
    .where('id', '=', legId)
    .executeTakeFirst();
  if (!leg?.arrived_at) return;
  const from = leg.departed_at ? Date.parse(leg.departed_at) : Date.parse(leg.arrived_at) - 24 * 3_600_000;
  await db
    .updateTable('leg_positions')
    .set({ leg_id: legId })
    .where('hex', '=', hex)
    .where('t', '>=', from)
    .where('t', '<=', Date.parse(leg.arrived_at))
    .where('leg_id', 'is', null)
    .execute();
}

async function upsertTrip(db: Db, e: TripEvent, nowIso: string): Promise<void> {
  const d = e.details;
  if (!d) return;
  const row = {
    id: d.tripId,
    hex: e.aircraft.hex,
    status: d.status,
    route: d.route,
    origin: d.origin,
    countries: JSON.stringify(d.countries),
    destinations: JSON.stringify(d.destinations),
    legs: JSON.stringify(d.legs),
    close_reason: d.closeReason ?? null,
    event_time: e.time,
    updated_at: nowIso,
  };
  await db
    .insertInto('trips')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          route: eb.ref('excluded.route'),
          origin: eb.ref('excluded.origin'),
          countries: eb.ref('excluded.countries'),
          destinations: eb.ref('excluded.destinations'),
          legs: eb.ref('excluded.legs'),
          close_reason: eb.ref('excluded.close_reason'),
          event_time: eb.ref('excluded.event_time'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        // An older trip event (replayed out of order) never overwrites a newer one.
        .where('trips.event_time', '<=', e.time),
    )
    .execute();
}
