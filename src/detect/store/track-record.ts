/**
 * The stored form of a TrackState (the Redis store's `s` field): JSON carrying the shape `version`
 * (TRACK_STATE_VERSION). Reading never trusts it: detect's own fields are validated, older versions are
 * migrated, and each `ext` entry is passed through untouched for its extension to check (src/trips/state.ts),
 * since detect does not know what extensions keep.
 *
 *   version 1  no `version` field (before records were versioned); `recent`, `ident`, `watch` may be missing.
 *   version 2  `version: 2`, every field of TrackState as typed (samples as objects), checked with zod.
 *   version 3  samples as positional arrays, both rings oldest first, checked by hand (compact-track.ts):
 *              about half the bytes, and a read that costs little next to the parse.
 *
 * A record of a version above TRACK_STATE_VERSION was written by a newer release (a rolling upgrade, or a
 * rollback): it is reported as `newer`, never read as the current shape; the store leaves it alone.
 */
import { z } from 'zod';
import { TRACK_STATE_VERSION, type TrackState } from '../track-state';
import { encodeCompact, readCompact } from './compact-track';

/** An AirportRef (src/domain/event.ts) as stored; extensions that keep airports check them with it too. */
export const airportRefSchema = z.object({
  icao: z.string(),
  iata: z.string().optional(),
  name: z.string(),
  country: z.string(),
  tz: z.string().optional(),
  lat: z.number(),
  lon: z.number(),
  distanceNm: z.number().optional(),
});

const sample = z.object({
  t: z.number(),
  lat: z.number(),
  lon: z.number(),
  alt: z.number().nullable().optional(),
  og: z.boolean(),
  g: z.boolean(),
  gs: z.number().optional(),
  trk: z.number().optional(),
  vr: z.number().optional(),
  age: z.number().optional(),
  src: z.string(),
  fat: z.number(),
  st: z.string().optional(),
});

/**
 * Version 2: detect's own fields, strictly; `ext` only as "an object of entries" (each extension checks its
 * own). Kept to read the records older releases wrote.
 */
const v2Schema = z.object({
  version: z.literal(2),
  hex: z.string(),
  ident: z.object({
    registration: z.string().optional(),
    type: z.string().optional(),
    callsign: z.string().optional(),
    operator: z.string().optional(),
  }),
  watch: z.object({ ids: z.array(z.string()), tags: z.array(z.string()) }),
  phase: z.enum(['ground', 'airborne', 'unknown']),
  phaseAt: z.number(),
  phaseInferred: z.boolean().optional(),
  firstAt: z.number(),
  heardAt: z.number(),
  freshAt: z.number(),
  window: z.array(sample),
  head: z.number(),
  leg: z
    .object({ dep: airportRefSchema.optional(), depAt: z.number().optional(), inferred: z.boolean().optional() })
    .optional(),
  lastArr: z
    .object({
      airport: airportRefSchema.optional(),
      at: z.number(),
      inferred: z.boolean(),
      reverted: z.boolean().optional(),
    })
    .optional(),
  squawk: z.object({ code: z.string(), since: z.number(), fired: z.boolean(), first: sample }).optional(),
  deadline: z.number().optional(),
  pend: z
    .object({
      kind: z.enum(['takeoff', 'landing']),
      s: sample,
      before: sample.optional(),
      gapMs: z.number(),
      n: z.number().optional(),
      minGs: z.number().optional(),
      last: sample.optional(),
    })
    .optional(),
  appr: z
    .object({ airport: airportRefSchema, elev: z.number(), from: sample, low: sample, lowNm: z.number() })
    .optional(),
  apprCheckAt: z.number().optional(),
  implausible: z.number().optional(),
  dropRun: z.number().optional(),
  hist: z.array(sample).optional(),
  histHead: z.number().optional(),
  flips: z.number().optional(),
  ext: z.record(z.string(), z.unknown()).optional(),
  extDeadline: z.number().optional(),
  recent: z.array(z.string()),
});

// Version 2 held every field of today's state: a field added to TrackState fails here until this file says
// how older records get it (a migration, or an optional field).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<Omit<z.infer<typeof v2Schema>, 'version'>, Omit<TrackState, 'version'>> = true;
void sameShape;

export type TrackRecord =
  /** Readable; `migratedFrom` is the version it was stored as when older than the current one. */
  | { kind: 'state'; state: TrackState; migratedFrom?: number }
  /** Not a track state (not JSON, wrong shape): `reason` names the first problem, never the stored content. */
  | { kind: 'invalid'; reason: string }
  /** Written by a newer release. */
  | { kind: 'newer'; version: number };

/**
 * The single-field record (version 3) as releases before track-fields.ts stored it: rings oldest first, so
 * `head` and `histHead` are 0 after a round trip. The store no longer writes it; the tests and bench:store
 * make records of that form with it, since the store still reads them.
 */
export function serializeTrack(s: TrackState): string {
  return encodeCompact(s);
}

/** Reads a stored record: validates, migrates older versions, reports newer ones. Never throws. */
export function readTrackRecord(text: string): TrackRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: say only what is wrong.
    return { kind: 'invalid', reason: 'not JSON' };
  }
  if (!isObject(raw)) return { kind: 'invalid', reason: 'not a JSON object' };
  const version = raw.version ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { kind: 'invalid', reason: 'version is not a positive integer' };
  if (version > TRACK_STATE_VERSION) return { kind: 'newer', version };
  if (version === TRACK_STATE_VERSION) {
    const read = readCompact(raw);
    return 'state' in read ? { kind: 'state', state: read.state } : { kind: 'invalid', reason: read.reason };
  }
  // Oldest first, one step at a time: a record of version n goes through every migration from n on.
  if (version < 2) v1ToV2(raw);
  const parsed = v2Schema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', reason: describeIssue(parsed.error.issues) };
  return { kind: 'state', state: v2ToV3(parsed.data), migratedFrom: version };
}

/** Version 1 → 2: the fields version 1 could omit get their defaults. */
function v1ToV2(v: Record<string, unknown>): void {
  v.version = 2;
  v.recent ??= [];
  v.ident ??= {};
  v.watch ??= { ids: [], tags: [] };
}

/**
 * Version 2 → 3: only the stored form changed (samples as objects, the window oldest first); in memory the
 * state is the same but for the version.
 */
function v2ToV3(v: z.infer<typeof v2Schema>): TrackState {
  return { ...v, version: 3, head: 0 };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "window.3.lat: expected number" — a path and zod's message, which names types and options, not values. */
function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0];
  if (!first) return 'invalid';
  const path = first.path.map(String).join('.');
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `${path || '(record)'}: ${first.message}${more}`;
}
