/**
 * The leg filter as conditions on `leg_classes as c`: every field but the operator is a column of its covering
 * index (leg_classes_report), so a month's list or count reads one index range. The operator lives in the small
 * aircraft table: an IN over its hexes.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { RecordDatabase } from '../../archive/record-schema';
import type { LegFilter } from './filters';

type Eb = ExpressionBuilder<RecordDatabase & { c: RecordDatabase['leg_classes'] }, 'c'>;

export function legFilterWhere(eb: Eb, f: LegFilter): Expression<SqlBool> {
  const and: Expression<SqlBool>[] = [];
  if (f.from) and.push(eb('c.at', '>=', f.from));
  if (f.to) and.push(eb('c.at', '<', f.to));
  if (f.country) and.push(eb('c.destination_country', '=', f.country));
  if (f.aircraft) and.push(eb('c.hex', '=', f.aircraft));
  if (f.category) and.push(eb('c.counted_category', '=', f.category));
  if (f.confidence) and.push(eb('c.confidence', '=', f.confidence));
  if (f.review) and.push(eb('c.review_state', '=', f.review as never));
  if (f.airport) and.push(eb('c.arrival_icao', '=', f.airport));
  if (f.operator)
    and.push(
      eb('c.hex', 'in', eb.selectFrom('aircraft').select('aircraft.hex').where('aircraft.operator', '=', f.operator)),
    );
  return eb.and(and);
}

/** A position in a list ordered newest first: the leg's time, then its id (ties). */
export interface Keyset {
  at: string;
  id: string;
}

/** Rows strictly after `k` in (at desc, leg_id desc) order; `at <= k.at` keeps it one index range. */
export const afterKeyset = (eb: Eb, k: Keyset): Expression<SqlBool> =>
  eb.and([eb('c.at', '<=', k.at), eb.or([eb('c.at', '<', k.at), eb('c.leg_id', '<', k.id)])]);

/** Rows at or before `k` (already listed on an earlier page). */
export const atOrBeforeKeyset = (eb: Eb, k: Keyset): Expression<SqlBool> =>
  eb.or([eb('c.at', '>', k.at), eb.and([eb('c.at', '=', k.at), eb('c.leg_id', '>=', k.id)])]);

/** The `page` query value: an opaque token for a keyset. */
export const encodeKeyset = (k: Keyset): string => Buffer.from(`${k.at}|${k.id}`, 'utf8').toString('base64url');

export function decodeKeyset(token: string | null): Keyset | null {
  if (!token) return null;
  const s = Buffer.from(token, 'base64url').toString('utf8');
  const bar = s.indexOf('|');
  const at = s.slice(0, bar);
  return bar > 0 && Number.isFinite(Date.parse(at)) ? { at, id: s.slice(bar + 1) } : null;
}
