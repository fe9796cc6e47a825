/**
 * Keeps `leg_classes` in step with the legs: every leg whose classification is missing, was made from an
 * older leg row, or with other rules, is reclassified together with the rest of its trip (a later leg can
 * change an earlier one's category). Run before anything reads categories (report, export, review list), so
 * the archiver needs no hook and a config change takes effect at the next read.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { classifyTrip, type ClassifyRules, type LegEnd } from '../../domain/leg-classification';
import type { LegRow } from '../schema';
import type { RecordDatabase, ReviewState } from '../record-schema';

const CHUNK = 400;

export function rulesHash(rules: ClassifyRules): string {
  const canonical = {
    homeCountry: rules.homeCountry.toUpperCase(),
    hubs: [...rules.hubs].map((h) => h.toUpperCase()).sort(),
    borderCities: rules.borderCities
      .map((c) => ({ name: c.name, airports: [...c.airports].map((a) => a.toUpperCase()).sort() }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    destinationCountries: [...rules.destinationCountries].map((c) => c.toUpperCase()).sort(),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16);
}

/** The category a leg counts as: a reviewer's correction wins; a rejected leg counts as nothing. */
export function countedCategory(classified: string, review: { state: string; category: string | null } | undefined) {
  if (review?.state === 'rejected') return null;
  if (review?.state === 'corrected' && review.category) return review.category;
  return classified;
}

const end = (icao: string | null, country: string | null): LegEnd | null =>
  icao && country ? { icao, country } : null;

/** Legs in flight order: by departure, else arrival time. */
const flightOrder = (a: LegRow, b: LegRow) =>
  (a.departed_at ?? a.arrived_at ?? '').localeCompare(b.departed_at ?? b.arrived_at ?? '');

function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Reclassifies stale legs (and their trips); returns how many legs were written. */
export async function classifyStaleLegs(db: Kysely<RecordDatabase>, rules: ClassifyRules): Promise<number> {
  const hash = rulesHash(rules);
  const stale = await db
    .selectFrom('legs as l')
    .leftJoin('leg_classes as c', 'c.leg_id', 'l.id')
    .select(['l.id', 'l.trip_id'])
    .where((eb) =>
      eb.or([
        eb('c.leg_id', 'is', null),
        eb('c.rules_hash', '!=', hash),
        eb('c.leg_updated_at', '!=', eb.ref('l.updated_at')),
      ]),
    )
    .execute();
  if (stale.length === 0) return 0;
  const tripIds = [...new Set(stale.map((s) => s.trip_id).filter((t): t is string => t !== null))];
  const loneIds = stale.filter((s) => s.trip_id === null).map((s) => s.id);
  const groups = new Map<string, LegRow[]>();
  for (const ids of chunks(tripIds))
    for (const leg of await db.selectFrom('legs').selectAll().where('trip_id', 'in', ids).execute()) {
      const key = leg.trip_id ?? leg.id;
      groups.set(key, [...(groups.get(key) ?? []), leg]);
    }
  for (const ids of chunks(loneIds))
    for (const leg of await db.selectFrom('legs').selectAll().where('id', 'in', ids).execute())
      groups.set(leg.id, [leg]);

  const reviews = new Map<string, { state: string; category: string | null }>();
  const allIds = [...groups.values()].flat().map((l) => l.id);
  for (const ids of chunks(allIds))
    for (const r of await db
      .selectFrom('leg_reviews')
      .select(['leg_id', 'state', 'category'])
      .where('leg_id', 'in', ids)
      .execute())
      reviews.set(r.leg_id, r);

  const rows: RecordDatabase['leg_classes'][] = [];
  const now = new Date().toISOString();
  for (const legs of groups.values()) {
    legs.sort(flightOrder);
    const classes = classifyTrip(
      legs.map((l) => ({
        from: end(l.departure_icao, l.departure_country),
        to: end(l.arrival_icao, l.arrival_country),
        takeoffInferred: l.departure_inferred === 1,
        landingInferred: l.arrival_inferred === 1,
        takeoffEstimated: l.departure_estimated === 1,
        landingEstimated: l.arrival_estimated === 1,
      })),
      rules,
    );
    legs.forEach((l, i) => {
      const c = classes[i];
      if (!c) return;
      const review = reviews.get(l.id);
      rows.push({
        leg_id: l.id,
        category: c.category,
        confidence: c.confidence,
        reasons: JSON.stringify(c.reasons),
        destination_country: c.destinationCountry ?? null,
        border_city: c.borderCity ?? null,
        rules_hash: hash,
        leg_updated_at: l.updated_at,
        classified_at: now,
        at: l.departed_at ?? l.arrived_at ?? l.updated_at,
        hex: l.hex,
        arrival_icao: l.arrival_icao,
        departure_icao: l.departure_icao,
        review_state: (review?.state ?? 'unreviewed') as ReviewState,
        counted_category: countedCategory(c.category, review),
      });
    });
  }
  await db.transaction().execute(async (tx) => {
    for (const batch of chunks(rows, 300))
      await tx
        .insertInto('leg_classes')
        .values(batch)
        .onConflict((oc) =>
          oc.column('leg_id').doUpdateSet((eb) => ({
            category: eb.ref('excluded.category'),
            confidence: eb.ref('excluded.confidence'),
            reasons: eb.ref('excluded.reasons'),
            destination_country: eb.ref('excluded.destination_country'),
            border_city: eb.ref('excluded.border_city'),
            rules_hash: eb.ref('excluded.rules_hash'),
            leg_updated_at: eb.ref('excluded.leg_updated_at'),
            classified_at: eb.ref('excluded.classified_at'),
            at: eb.ref('excluded.at'),
            hex: eb.ref('excluded.hex'),
            arrival_icao: eb.ref('excluded.arrival_icao'),
            departure_icao: eb.ref('excluded.departure_icao'),
            review_state: eb.ref('excluded.review_state'),
            counted_category: eb.ref('excluded.counted_category'),
          })),
        )
        .execute();
  });
  return rows.length;
}
