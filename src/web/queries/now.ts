/**
 * What the Now page shows: watched airframes in the air (a leg departed and not landed, within the longest
 * charter day) or seen recently, with their latest archived positions and latest event. Reads the open-leg
 * and departure indexes, the small aircraft table, then per airframe one primary-key range of leg_positions
 * and one row of events_hex_time.
 */
import type { Kysely } from 'kysely';
import type { FlightEvent } from '../../domain/event';
import type { RecordDatabase } from '../../archive/record-schema';

export interface NowAircraft {
  hex: string;
  registration: string | null;
  operator: string | null;
  type_code: string | null;
  /** An open leg (departed, not landed) within AIRBORNE_MS. */
  airborne: boolean;
  lastSeen: string;
  departure: string | null;
  departedAt: string | null;
  tripId: string | null;
  positions: { t: number; lat: number; lon: number; trackDeg: number | null; altFt: number | null }[];
  lastEvent: { type: string; time: string; airport: FlightEvent['airport'] | null } | null;
}

/** An open leg older than this is a landing the feed missed, not an aircraft in the air. */
export const AIRBORNE_MS = 18 * 3_600_000;
/** "Recently seen": within this. */
export const RECENT_MS = 24 * 3_600_000;
/** The track drawn behind each aircraft. */
const TRACK_MS = 3 * 3_600_000;
const MAX_AIRCRAFT = 60;

function eventAirport(body: string): FlightEvent['airport'] | null {
  try {
    const a = (JSON.parse(body) as { airport?: unknown }).airport as FlightEvent['airport'] | undefined;
    return a && typeof a === 'object' && typeof a.icao === 'string' ? a : null;
  } catch {
    return null;
  }
}

export async function nowAircraft(db: Kysely<RecordDatabase>, now: Date): Promise<NowAircraft[]> {
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const open = await db
    .selectFrom('legs')
    .select(['hex', 'departure_icao', 'departed_at', 'trip_id'])
    // Not landed as of `now` (an archive read for an earlier moment holds the later landing too).
    .where((eb) => eb.or([eb('arrived_at', 'is', null), eb('arrived_at', '>', now.toISOString())]))
    .where('departed_at', '>=', iso(AIRBORNE_MS))
    .where('departed_at', '<=', now.toISOString())
    .orderBy('departed_at', 'desc')
    .execute();
  const openByHex = new Map<string, (typeof open)[number]>();
  for (const l of open) if (!openByHex.has(l.hex)) openByHex.set(l.hex, l);
  const recent = await db
    .selectFrom('aircraft')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('last_seen', '>=', iso(RECENT_MS)),
        ...(openByHex.size ? [eb('hex', 'in', [...openByHex.keys()])] : []),
      ]),
    )
    .where('first_seen', '<=', now.toISOString())
    .orderBy('last_seen', 'desc')
    .limit(MAX_AIRCRAFT)
    .execute();
  const out: NowAircraft[] = [];
  for (const a of recent) {
    const leg = openByHex.get(a.hex);
    const positions = await db
      .selectFrom('leg_positions')
      .select(['t', 'lat', 'lon', 'track_deg', 'alt_ft'])
      .where('hex', '=', a.hex)
      .where('t', '>=', now.getTime() - TRACK_MS)
      .where('t', '<=', now.getTime())
      .orderBy('t')
      .execute();
    const ev = await db
      .selectFrom('events')
      .select(['type', 'time', 'body'])
      .where('hex', '=', a.hex)
      .where('time', '<=', now.toISOString())
      .orderBy('time', 'desc')
      .limit(1)
      .executeTakeFirst();
    out.push({
      hex: a.hex,
      registration: a.registration,
      operator: a.operator,
      type_code: a.type_code,
      airborne: !!leg,
      lastSeen: a.last_seen,
      departure: leg?.departure_icao ?? null,
      departedAt: leg?.departed_at ?? null,
      tripId: leg?.trip_id ?? null,
      positions: positions.map((p) => ({
        t: Number(p.t),
        lat: p.lat,
        lon: p.lon,
        trackDeg: p.track_deg,
        altFt: p.alt_ft,
      })),
      lastEvent: ev ? { type: ev.type, time: ev.time, airport: eventAirport(ev.body) } : null,
    });
  }
  // In the air first, then most recently seen.
  return out.sort((x, y) => Number(y.airborne) - Number(x.airborne) || y.lastSeen.localeCompare(x.lastSeen));
}
