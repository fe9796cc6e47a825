/**
 * Events → rows: how the archive's legs, trips and aircraft follow from the detection history, one batch at
 * a time inside the archiver's transaction, only for events the archive did not have (so each is projected
 * once), in history order. A leg opens at a takeoff ("leg:" + its id) and closes at the next landing of the
 * same airframe; a landing with no open leg (first seen airborne) makes a leg of its own from what the
 * landing says of its departure. Destination and diversion events annotate the leg their landing closed.
 *
 * Batched for throughput: what the batch needs is read in a few queries (open legs of its airframes, legs
 * of its landings, airframes with positions not yet on a leg), projected in memory, and written as
 * multi-row inserts plus one update per leg opened in an earlier batch.
 */
import type { Kysely } from 'kysely';
import { isTestAlert, tripIdOf, type FlightEvent, type LandingEvent, type TakeoffEvent } from '../domain/event';
import type { ArchiveDatabase, Flag, LegRow, NewLeg } from './schema';

type Db = Kysely<ArchiveDatabase>;

const flag = (b: boolean | undefined): Flag => (b ? 1 : 0);
const legIdOf = (eventId: string) => `leg:${eventId}`;
const CHUNK = 100;

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

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

interface LegState {
  row: LegRow;
  /** Not in the database yet: inserted at flush. */
  isNew: boolean;
  /** In the database and changed: updated at flush. */
  dirty: boolean;
  /** Closed in this batch: positions get attached at flush. */
  closed: boolean;
}

type TripRow = ArchiveDatabase['trips'];

export class BatchProjector {
  private readonly legs = new Map<string, LegState>();
  private readonly open = new Map<string, LegState[]>();
  private readonly byLanding = new Map<string, LegState>();
  private readonly trips = new Map<string, TripRow>();
  private loosePositions = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly nowIso: string,
  ) {}

  /** Reads what projecting `events` needs from the database. */
  async load(events: readonly FlightEvent[]): Promise<void> {
    const hexes = [...new Set(events.filter((e) => e.type === 'landing').map((e) => e.aircraft.hex))];
    for (const part of chunks(hexes)) {
      const rows = await this.db
        .selectFrom('legs')
        .selectAll()
        .where('hex', 'in', part)
        .where('landing_event_id', 'is', null)
        .execute();
      for (const row of rows) this.remember({ row, isNew: false, dirty: false, closed: false });
    }
    const landingIds = events.flatMap((e) =>
      (e.type === 'destination' || e.type === 'diversion') && e.details?.landingId ? [e.details.landingId] : [],
    );
    for (const part of chunks([...new Set(landingIds)])) {
      const rows = await this.db.selectFrom('legs').selectAll().where('landing_event_id', 'in', part).execute();
      for (const row of rows) this.remember({ row, isNew: false, dirty: false, closed: false });
    }
    for (const part of chunks(hexes)) {
      const rows = await this.db
        .selectFrom('leg_positions')
        .select('hex')
        .distinct()
        .where('hex', 'in', part)
        .where('leg_id', 'is', null)
        .execute();
      for (const r of rows) this.loosePositions.add(r.hex);
    }
  }

  private remember(s: LegState): void {
    if (this.legs.has(s.row.id)) return;
    this.legs.set(s.row.id, s);
    if (s.row.landing_event_id) this.byLanding.set(s.row.landing_event_id, s);
    else {
      const list = this.open.get(s.row.hex) ?? [];
      list.push(s);
      this.open.set(s.row.hex, list);
    }
  }

  /** Applies one new event (in memory); returns the leg it belongs to, if any. */
  project(e: FlightEvent): string | null {
    if (isTestAlert(e)) return null;
    switch (e.type) {
      case 'takeoff':
        return this.openLeg(e);
      case 'landing':
        return this.closeLeg(e);
      case 'destination':
      case 'diversion': {
        const leg = e.details?.landingId ? this.byLanding.get(e.details.landingId) : undefined;
        if (!leg) return null;
        if (e.type === 'destination') leg.row.destination_id = e.destination?.id ?? null;
        else leg.row.diverted_from = e.details?.predicted.map((p) => p.destination).join(',') || null;
        leg.row.updated_at = this.nowIso;
        if (!leg.isNew) leg.dirty = true;
        return leg.row.id;
      }
      case 'trip': {
        const d = e.details;
        if (!d) return null;
        const prev = this.trips.get(d.tripId);
        if (prev && prev.event_time > e.time) return null;
        this.trips.set(d.tripId, {
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
          updated_at: this.nowIso,
        });
        return null;
      }
      default:
        return null;
    }
  }

  private base(e: FlightEvent): LegRow {
    return {
      id: '',
      hex: e.aircraft.hex,
      trip_id: tripIdOf(e) ?? null,
      departure_icao: null,
      departure_country: null,
      arrival_icao: null,
      arrival_country: null,
      departed_at: null,
      arrived_at: null,
      departure_inferred: 0,
      arrival_inferred: 0,
      departure_estimated: 0,
      arrival_estimated: 0,
      takeoff_event_id: null,
      landing_event_id: null,
      gap_s: null,
      destination_id: null,
      diverted_from: null,
      callsign: e.aircraft.callsign ?? null,
      watch_ids: JSON.stringify([...e.watch.ids].sort()),
      source: e.source,
      updated_at: this.nowIso,
    };
  }

  private openLeg(e: TakeoffEvent): string {
    const id = legIdOf(e.id);
    if (this.legs.has(id)) return id;
    this.remember({
      row: {
        ...this.base(e),
        id,
        departure_icao: e.airport?.icao ?? null,
        departure_country: e.airport?.country ?? null,
        departed_at: e.time,
        departure_inferred: flag(e.details?.inferred),
        departure_estimated: flag(e.details?.estimated),
        takeoff_event_id: e.id,
        gap_s: e.details?.gapS ?? null,
      },
      isNew: true,
      dirty: false,
      closed: false,
    });
    return id;
  }

  private closeLeg(e: LandingEvent): string {
    const d = e.details;
    const candidates = (this.open.get(e.aircraft.hex) ?? []).filter(
      (s) => s.row.departed_at !== null && s.row.departed_at <= e.time,
    );
    // The latest takeoff before this landing.
    let leg = candidates.reduce<LegState | undefined>(
      (best, s) => (!best || (s.row.departed_at ?? '') > (best.row.departed_at ?? '') ? s : best),
      undefined,
    );
    if (leg) {
      const left = (this.open.get(e.aircraft.hex) ?? []).filter((s) => s !== leg);
      this.open.set(e.aircraft.hex, left);
      leg.row.gap_s = Math.max(leg.row.gap_s ?? 0, d?.gapS ?? 0) || null;
      const tripId = tripIdOf(e);
      if (tripId) leg.row.trip_id = tripId;
      if (!leg.isNew) leg.dirty = true;
    } else {
      // Never saw it take off: the departure is what the landing inferred (details.departure, departedAt).
      leg = {
        row: {
          ...this.base(e),
          id: legIdOf(e.id),
          departure_icao: d?.departure ?? null,
          departed_at: d?.departedAt ?? null,
          departure_inferred: 1,
          gap_s: d?.gapS ?? null,
        },
        isNew: true,
        dirty: false,
        closed: false,
      };
      if (this.legs.has(leg.row.id)) return leg.row.id;
      this.legs.set(leg.row.id, leg);
    }
    Object.assign(leg.row, {
      arrival_icao: e.airport?.icao ?? null,
      arrival_country: e.airport?.country ?? null,
      arrived_at: e.time,
      arrival_inferred: flag(d?.inferred),
      arrival_estimated: flag(d?.estimated),
      landing_event_id: e.id,
      updated_at: this.nowIso,
    });
    leg.closed = true;
    this.byLanding.set(e.id, leg);
    return leg.row.id;
  }

  /** Writes the batch's legs and trips, and attaches loose positions to the legs it closed. */
  async flush(): Promise<void> {
    const states = [...this.legs.values()];
    for (const part of chunks(states.filter((s) => s.isNew).map((s) => s.row as NewLeg)))
      await this.db
        .insertInto('legs')
        .values(part)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    for (const s of states.filter((x) => x.dirty)) {
      const { id: _id, ...rest } = s.row;
      await this.db.updateTable('legs').set(rest).where('id', '=', s.row.id).execute();
    }
    for (const part of chunks([...this.trips.values()]))
      await this.db
        .insertInto('trips')
        .values(part)
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
            .whereRef('trips.event_time', '<=', 'excluded.event_time'),
        )
        .execute();
    for (const s of states)
      if (s.closed && this.loosePositions.has(s.row.hex) && s.row.arrived_at)
        await attachPositions(this.db, s.row.hex, s.row.id, s.row.departed_at, s.row.arrived_at);
  }
}

/** Positions of the airframe between the leg's departure and arrival (not yet on a leg) get the leg's id. */
export async function attachPositions(
  db: Db,
  hex: string,
  legId: string,
  departedAt: string | null,
  arrivedAt: string,
): Promise<void> {
  const to = Date.parse(arrivedAt);
  const from = departedAt ? Date.parse(departedAt) : to - 24 * 3_600_000;
  await db
    .updateTable('leg_positions')
    .set({ leg_id: legId })
    .where('hex', '=', hex)
    .where('t', '>=', from)
    .where('t', '<=', to)
    .where('leg_id', 'is', null)
    .execute();
}
