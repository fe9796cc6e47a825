/**
 * Sightings and candidates in the archive (migration 006). Works on SQLite and PostgreSQL alike.
 */
import type { Kysely } from 'kysely';
import type { Sighting } from './sighting';
import type { Behaviour } from './score';
import { unionBehaviour } from './decide';
import type { CandidateRow, CandidateState, DiscoveryDatabase, SightingRow } from './tables';
import { CANDIDATE_STATES } from './tables';

export class CandidateError extends Error {
  override name = 'CandidateError';
}

const iso = (t: number) => new Date(t).toISOString();
const sightingId = (s: Sighting) => `${s.hex}|${iso(s.at)}|${s.place}|${s.callsign ?? ''}`;

export async function saveSightings(db: Kysely<DiscoveryDatabase>, sightings: readonly Sighting[]): Promise<void> {
  if (!sightings.length) return;
  const rows: SightingRow[] = sightings.map((s) => ({
    id: sightingId(s),
    hex: s.hex,
    at: iso(s.at),
    source: s.source,
    place: s.place,
    country: s.country,
    hub: s.hub ? 1 : 0,
    on_ground: s.onGround ? 1 : 0,
    alt_ft: s.altFt === null ? null : Math.round(s.altFt),
    lat: s.lat,
    lon: s.lon,
    callsign: s.callsign,
    registration: s.registration,
    type: s.type,
    operator: s.operator,
  }));
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('discovery_sightings')
      .values(rows.slice(i, i + 100))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
}

export const sightingFromRow = (r: SightingRow): Sighting => ({
  hex: r.hex,
  at: Date.parse(r.at),
  source: r.source,
  place: r.place,
  country: r.country,
  hub: r.hub === 1,
  onGround: r.on_ground === 1,
  altFt: r.alt_ft,
  lat: r.lat,
  lon: r.lon,
  callsign: r.callsign,
  registration: r.registration,
  type: r.type,
  operator: r.operator,
});

/** An aircraft's sightings from `since` on (epoch ms), oldest first. */
export async function sightingsOf(db: Kysely<DiscoveryDatabase>, hex: string, since: number): Promise<Sighting[]> {
  const rows = await db
    .selectFrom('discovery_sightings')
    .selectAll()
    .where('hex', '=', hex)
    .where('at', '>=', iso(since))
    .orderBy('at')
    .execute();
  return rows.map(sightingFromRow);
}

export async function candidateByHex(db: Kysely<DiscoveryDatabase>, hex: string): Promise<CandidateRow | undefined> {
  return db.selectFrom('discovery_candidates').selectAll().where('hex', '=', hex).executeTakeFirst();
}

export async function writeCandidate(db: Kysely<DiscoveryDatabase>, row: CandidateRow, isNew: boolean): Promise<void> {
  if (isNew) await db.insertInto('discovery_candidates').values(row).execute();
  else {
    const { id, ...rest } = row;
    await db.updateTable('discovery_candidates').set(rest).where('id', '=', id).execute();
  }
}

/** A candidate by id (`cand-<hex>`) or by hex; the error names what was asked for. */
export async function getCandidate(db: Kysely<DiscoveryDatabase>, idOrHex: string): Promise<CandidateRow> {
  const key = idOrHex.trim().toLowerCase();
  const row = await db
    .selectFrom('discovery_candidates')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', key), eb('hex', '=', key)]))
    .executeTakeFirst();
  if (!row) throw new CandidateError(`no candidate ${JSON.stringify(idOrHex)} (see \`flightwatch candidates list\`)`);
  return row;
}

export interface ListOptions {
  state?: CandidateState | 'all';
  limit?: number;
}

/** Candidates, highest score first (then newest proposal). */
export async function listCandidates(db: Kysely<DiscoveryDatabase>, o: ListOptions = {}): Promise<CandidateRow[]> {
  const state = o.state ?? 'proposed';
  if (state !== 'all' && !CANDIDATE_STATES.includes(state))
    throw new CandidateError(`--state ${JSON.stringify(state)}: expected ${CANDIDATE_STATES.join(', ')} or all`);
  let q = db.selectFrom('discovery_candidates').selectAll();
  if (state !== 'all') q = q.where('state', '=', state);
  return q
    .orderBy('score', 'desc')
    .orderBy('proposed_at', 'desc')
    .limit(o.limit ?? 100)
    .execute();
}

export interface Decider {
  by: string;
  note?: string;
  at?: Date;
}

function requireName(by: string): string {
  const name = by.trim();
  if (!name) throw new CandidateError('--reviewer: who decided must not be empty');
  return name;
}

/** Marks a candidate accepted with the watch entry written for it. */
export async function markAccepted(
  db: Kysely<DiscoveryDatabase>,
  row: CandidateRow,
  d: Decider & { watchId: string },
): Promise<CandidateRow> {
  if (row.state === 'accepted') throw new CandidateError(`${row.id} is already accepted (watch entry ${row.watch_id})`);
  const next: CandidateRow = {
    ...row,
    state: 'accepted',
    decided_by: requireName(d.by),
    decided_at: (d.at ?? new Date()).toISOString(),
    note: d.note ?? null,
    watch_id: d.watchId,
  };
  await writeCandidate(db, next, false);
  return next;
}

/** Rejects a candidate: it is proposed again only when it does something beyond what it was rejected with. */
export async function markRejected(
  db: Kysely<DiscoveryDatabase>,
  row: CandidateRow,
  d: Decider,
): Promise<CandidateRow> {
  if (row.state === 'accepted') throw new CandidateError(`${row.id} is accepted (watch entry ${row.watch_id})`);
  const now = JSON.parse(row.behaviour) as Behaviour;
  const before = row.rejected_behaviour ? (JSON.parse(row.rejected_behaviour) as Behaviour) : now;
  const next: CandidateRow = {
    ...row,
    state: 'rejected',
    decided_by: requireName(d.by),
    decided_at: (d.at ?? new Date()).toISOString(),
    note: d.note ?? null,
    rejected_behaviour: JSON.stringify(unionBehaviour(before, now)),
  };
  await writeCandidate(db, next, false);
  return next;
}
