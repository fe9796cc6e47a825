/**
 * The archive's recent legs for fleet priors (src/trips/fleet-priors.ts): where each operator's and each hub's
 * legs went in the last `days` days. One indexed range scan on legs.arrived_at (legs_arrived), newest first and
 * capped, so a long record costs the worker a bounded read at start and at each refresh.
 */
import type { Kysely } from 'kysely';
import { operatorKey, type FleetLeg, type FleetLegs } from '../trips/fleet-priors';
import type { ArchiveDatabase } from './schema';

const DAY = 86_400_000;

export async function readFleetLegs(
  db: Kysely<ArchiveDatabase>,
  opts: { days: number; now?: number; limit?: number },
): Promise<FleetLegs> {
  const now = opts.now ?? Date.now();
  const rows = await db
    .selectFrom('legs')
    .leftJoin('aircraft', 'aircraft.hex', 'legs.hex')
    .select(['legs.callsign', 'legs.departure_icao', 'legs.arrival_icao', 'legs.arrived_at', 'aircraft.operator'])
    .where('legs.arrived_at', '>=', new Date(now - opts.days * DAY).toISOString())
    .where('legs.arrival_icao', 'is not', null)
    .orderBy('legs.arrived_at', 'desc')
    .limit(opts.limit ?? 50_000)
    .execute();
  const legs: FleetLeg[] = [];
  for (const r of rows) {
    const at = Date.parse(r.arrived_at ?? '');
    if (!r.arrival_icao || !Number.isFinite(at)) continue;
    legs.push([
      operatorKey(r.callsign ?? undefined, r.operator ?? undefined),
      r.departure_icao ?? '',
      r.arrival_icao,
      at,
    ]);
  }
  return { legs, loadedAt: now };
}
