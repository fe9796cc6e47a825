/**
 * Reads legs for `export legs` page by page (classification, review, airframe, and the airport coordinates the
 * takeoff/landing events carry) and hands each page's rows to a writer, so a year of legs never sits in memory.
 */
import { sql, type Kysely } from 'kysely';
import { aircraftLinks } from '../../alerting/channels/links';
import type { RecordDatabase } from '../record-schema';
import type { Period } from '../report/period';
import { countMethod, type ExportedLeg } from './columns';

const PAGE = 2000;

const parseList = (s: string | null): string[] => {
  try {
    const v: unknown = JSON.parse(s ?? '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

function airportOf(body: string | undefined): { lat: number; lon: number } | null {
  if (!body) return null;
  try {
    const ev = JSON.parse(body) as { airport?: { lat?: unknown; lon?: unknown } };
    const { lat, lon } = ev.airport ?? {};
    return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null;
  } catch {
    return null;
  }
}

/** Legs departing in [from, to) (arriving, when the departure time is unknown), in time order. */
export async function forEachExportedLeg(
  db: Kysely<RecordDatabase>,
  period: Period,
  onPage: (legs: ExportedLeg[]) => Promise<void> | void,
): Promise<number> {
  let total = 0;
  for (let offset = 0; ; offset += PAGE) {
    const rows = await db
      .selectFrom('legs as l')
      .leftJoin('leg_classes as c', 'c.leg_id', 'l.id')
      .leftJoin('leg_reviews as r', 'r.leg_id', 'l.id')
      .leftJoin('aircraft as a', 'a.hex', 'l.hex')
      .selectAll('l')
      .select([
        'c.category as c_category',
        'c.confidence',
        'c.reasons',
        'c.destination_country',
        'c.border_city',
        'r.state as r_state',
        'r.category as r_category',
        'r.reviewer',
        'r.reviewed_at',
        'r.note as r_note',
        'a.registration',
        'a.type_code',
        'a.operator',
      ])
      .where(
        sql<boolean>`((l.departed_at >= ${period.from} and l.departed_at < ${period.to}) or (l.departed_at is null and l.arrived_at >= ${period.from} and l.arrived_at < ${period.to}))`,
      )
      .orderBy(sql`coalesce(l.departed_at, l.arrived_at)`)
      .orderBy('l.id')
      .limit(PAGE)
      .offset(offset)
      .execute();
    if (rows.length === 0) break;
    const eventIds = rows.flatMap((r) => [r.takeoff_event_id, r.landing_event_id]).filter((x): x is string => !!x);
    const bodies = new Map<string, string>();
    for (let i = 0; i < eventIds.length; i += 500)
      for (const e of await db
        .selectFrom('events')
        .select(['id', 'body'])
        .where('id', 'in', eventIds.slice(i, i + 500))
        .execute())
        bodies.set(e.id, e.body);
    const legs = rows.map((r): ExportedLeg => {
      const dep = airportOf(r.takeoff_event_id ? bodies.get(r.takeoff_event_id) : undefined);
      const arr = airportOf(r.landing_event_id ? bodies.get(r.landing_event_id) : undefined);
      const state = r.r_state ?? 'unreviewed';
      const category = state === 'corrected' ? r.r_category : r.c_category;
      const day = (r.departed_at ?? r.arrived_at)?.slice(0, 10);
      return {
        leg_id: r.id,
        trip_id: r.trip_id,
        hex: r.hex,
        registration: r.registration,
        aircraft_type: r.type_code,
        operator: r.operator,
        callsign: r.callsign,
        departure_icao: r.departure_icao,
        departure_country: r.departure_country,
        departure_lat: dep?.lat ?? null,
        departure_lon: dep?.lon ?? null,
        departed_at: r.departed_at,
        takeoff_inferred: r.departure_inferred === 1,
        departure_time_estimated: r.departure_estimated === 1,
        arrival_icao: r.arrival_icao,
        arrival_country: r.arrival_country,
        arrival_lat: arr?.lat ?? null,
        arrival_lon: arr?.lon ?? null,
        arrived_at: r.arrived_at,
        landing_inferred: r.arrival_inferred === 1,
        arrival_time_estimated: r.arrival_estimated === 1,
        max_gap_s: r.gap_s,
        category,
        classified_category: r.c_category,
        confidence: r.confidence,
        reasons: parseList(r.reasons),
        destination_country: r.destination_country,
        border_city: r.border_city,
        review_state: state,
        reviewer: r.reviewer,
        reviewed_at: r.reviewed_at,
        review_note: r.r_note,
        counted: state !== 'rejected',
        count_method: countMethod(r.confidence, state),
        configured_destination: r.destination_id,
        diverted_from: r.diverted_from,
        watch_ids: parseList(r.watch_ids),
        evidence_id: r.id,
        permalink: day ? `${aircraftLinks(r.hex).adsbexchange}&showTrace=${day}` : null,
      };
    });
    total += legs.length;
    await onPage(legs);
    if (rows.length < PAGE) break;
  }
  return total;
}
