/**
 * One poll cycle: the first available source (config order) serves the whole plan; when one of its
 * requests fails, the failure is logged once and the next source serves the same cycle, keeping what the
 * failed source already returned. States are merged (newest observation per hex), enriched, and matched.
 * Never throws for source trouble: a cycle nobody could serve returns what it has, with the attempts.
 */
import type { Logger } from 'pino';
import type { AircraftState } from '../domain/aircraft-state';
import type { MatchedAircraft, Watchlist } from '../domain/watchlist';
import {
  SourceError,
  type FetchOptions,
  type PlannedRequest,
  type Source,
  type SourceErrorKind,
  type WatchPlan,
} from '../sources/source';
import { IncidentLog, pollIncidents } from './incident-log';
import { watchedOnly } from './select';

/** Plain counters a metrics module can read (and turn into Prometheus series) without touching this code. */
export interface PollCounters {
  cycles: number;
  /** Cycles no source could serve completely. */
  unserved: number;
  /** Times a cycle moved on to the next source after a failure. */
  failovers: number;
  requests: Record<string, number>;
  failures: Record<string, Partial<Record<SourceErrorKind, number>>>;
  /** Cycles a source was passed over because it was out of rotation (auth backoff, 429 window, credits). */
  skipped: Record<string, number>;
  bytes: Record<string, number>;
  states: number;
  rejected: number;
  matched: number;
}

export function createPollCounters(): PollCounters {
  return {
    cycles: 0,
    unserved: 0,
    failovers: 0,
    requests: {},
    failures: {},
    skipped: {},
    bytes: {},
    states: 0,
    rejected: 0,
    matched: 0,
  };
}

export interface SourceAttempt {
  sourceId: string;
  ok: boolean;
  /** Why the source was not tried at all. */
  skipped?: string;
  error?: { kind: SourceErrorKind; message: string; path?: string };
  requests: number;
  bytes: number;
  states: number;
}

export interface PollCycleResult {
  matched: MatchedAircraft[];
  /** Source that completed the plan; undefined when none could. */
  servedBy?: string;
  attempts: SourceAttempt[];
  /** Distinct aircraft seen this cycle (after the per-hex merge). */
  states: number;
  rejected: number;
  startedAt: number;
  durationMs: number;
  /** Every (enriched) state of the cycle, when `keepStates` was asked for. */
  all?: readonly AircraftState[];
}

export interface PollCycleOptions {
  sources: readonly Source[];
  plan: WatchPlan;
  watchlist: Watchlist;
  /** Fills registration/type/operator from the aircraft database (sources without them: OpenSky, receivers). */
  enrich?: (s: AircraftState) => AircraftState;
  log: Logger;
  metrics?: PollCounters;
  now?: () => number;
  signal?: AbortSignal;
  /** Failures are logged once per incident (start, summaries, end); default: the process-wide one. */
  incidents?: IncidentLog;
  /**
   * Also return every state of the cycle, watched or not (discovery looks for unlisted aircraft in them).
   * Without it, parsers build full records only for watched aircraft (src/ingest/select.ts).
   */
  keepStates?: boolean;
}

type Plannable = Source & { planNotes?: (p: WatchPlan) => string[] };
const notesLogged = new WeakMap<Source, Set<string>>();

function logPlanNotes(source: Plannable, plan: WatchPlan, log: Logger) {
  if (typeof source.planNotes !== 'function') return;
  let seen = notesLogged.get(source);
  if (!seen) notesLogged.set(source, (seen = new Set()));
  for (const note of source.planNotes(plan))
    if (!seen.has(note)) {
      seen.add(note);
      log.info({ source: source.id }, note);
    }
}

const bump = (m: Record<string, number>, k: string, by = 1) => (m[k] = (m[k] ?? 0) + by);

/**
 * Keeps the newest observation per hex; on a tie the one with a position wins. Only built (selected)
 * records take part: an aircraft some reply of the cycle matched keeps that record even when another reply
 * passed over a newer one of it.
 */
function mergeInto(byHex: Map<string, AircraftState>, states: readonly AircraftState[]) {
  for (const s of states) {
    const prev = byHex.get(s.hex);
    if (
      !prev ||
      s.observedAt > prev.observedAt ||
      (s.observedAt === prev.observedAt && prev.lat === undefined && s.lat !== undefined)
    )
      byHex.set(s.hex, s);
  }
}

/** Queries whose reply always holds traffic where a source hears anything: hub circles, whole feeds. */
const coversTraffic = (r: PlannedRequest) => r.query.kind === 'point' || r.query.kind === 'all';

export async function runPollCycle(o: PollCycleOptions): Promise<PollCycleResult> {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const m = o.metrics;
  const byHex = new Map<string, AircraftState>();
  /** Hexes of the aircraft the parsers passed over (watched by nobody), for the distinct count. */
  const passedOver = new Set<string>();
  const fetchOptions: FetchOptions = o.keepStates ? {} : { select: watchedOnly(o.watchlist, o.enrich) };
  const attempts: SourceAttempt[] = [];
  let rejected = 0;
  let servedBy: string | undefined;
  let emptyFallback: string | undefined;
  if (m) m.cycles++;
  const incidents = o.incidents ?? pollIncidents;

  for (const source of o.sources) {
    if (o.signal?.aborted) break;
    const skip = source.unavailableReason(now());
    if (skip) {
      // Already logged when the source went out of rotation; repeating it every cycle is noise.
      o.log.debug({ source: source.id, reason: skip }, 'source skipped');
      attempts.push({ sourceId: source.id, ok: false, skipped: skip, requests: 0, bytes: 0, states: 0 });
      if (m) bump(m.skipped, source.id);
      continue;
    }
    logPlanNotes(source, o.plan, o.log);
    const attempt: SourceAttempt = { sourceId: source.id, ok: true, requests: 0, bytes: 0, states: 0 };
    attempts.push(attempt);
    let requests: ReturnType<Source['requestsFor']>;
    try {
      requests = source.requestsFor(o.plan);
    } catch (e) {
      // A planning bug in one adapter must not stop the cycle: treat it like a failed request.
      requests = [];
      attempt.ok = false;
      attempt.error = { kind: 'malformed', message: `cannot plan requests: ${(e as Error)?.message ?? String(e)}` };
      incidents.fail(o.log, source, `source ${source.id}`, {
        level: 'error',
        reason: attempt.error.message,
        fields: { source: source.id },
        message: `source ${source.id} could not plan its requests; failing over`,
      });
    }
    for (const req of requests) {
      attempt.requests++;
      if (m) bump(m.requests, source.id);
      try {
        const r = await source.fetch(req, o.signal, fetchOptions);
        attempt.bytes += r.bytes;
        // Passed-over aircraft were heard all the same: they count (an area reply of them is not "empty").
        attempt.states += r.states.length + (r.passedOver?.length ?? 0);
        rejected += r.rejected;
        if (m) bump(m.bytes, source.id, r.bytes);
        if (r.rejected > 0)
          incidents.fail(o.log, source, `source ${source.id} records rejected`, {
            level: 'warn',
            reason: `${r.rejected} rejected: ${r.rejectReasons?.[0] ?? '?'}`,
            fields: { source: source.id, path: req.path, rejected: r.rejected, reasons: r.rejectReasons?.slice(0, 5) },
            message: 'records rejected',
          });
        else incidents.ok(o.log, source, `source ${source.id} records rejected`, { source: source.id });
        mergeInto(byHex, r.states);
        if (r.passedOver) for (const hex of r.passedOver) passedOver.add(hex);
      } catch (e) {
        const err =
          e instanceof SourceError
            ? e
            : new SourceError(source.id, 'network', `unexpected: ${(e as Error)?.message ?? String(e)}`, {
                path: req.path,
              });
        attempt.ok = false;
        attempt.error = { kind: err.kind, message: err.message, path: err.details.path ?? req.path };
        if (m) (m.failures[source.id] ??= {})[err.kind] = (m.failures[source.id]?.[err.kind] ?? 0) + 1;
        const outOfRotation = source.unavailableReason(now());
        const until = outOfRotation && /until (\S+)$/.exec(outOfRotation)?.[1];
        incidents.fail(o.log, source, `source ${source.id}`, {
          level: 'warn',
          reason: err.message,
          kind: err.kind,
          fields: {
            source: source.id,
            path: err.details.path ?? req.path,
            kind: err.kind,
            status: err.details.status,
            ...(outOfRotation ? { outOfRotation } : {}),
          },
          message: `source ${source.id} failed (${err.kind}): ${err.message.replace(/^source [^:]+: [a-z-]+: /, '')}${until ? `; out of rotation until ${until}` : ''}; failing over`,
        });
        break;
      }
    }
    if (
      attempt.ok &&
      attempt.states === 0 &&
      requests.some(coversTraffic) &&
      source !== o.sources[o.sources.length - 1]
    ) {
      // Circles around hubs and whole-feed queries are never empty in practice: a source answering them with
      // no aircraft at all is not hearing (adsb.lol has been seen returning `ac: []` where others had 65).
      // "Not heard" is not "nothing there", so the next source gets the same cycle (the last source's answer
      // stands as it is; when the later sources fail outright, this empty answer stands).
      emptyFallback ??= source.id;
      attempt.ok = false;
      attempt.error = {
        kind: 'empty',
        message: `no aircraft at all in ${requests.filter(coversTraffic).length} area/feed queries`,
      };
      if (m) (m.failures[source.id] ??= {}).empty = (m.failures[source.id]?.empty ?? 0) + 1;
      incidents.fail(o.log, source, `source ${source.id}`, {
        level: 'warn',
        reason: attempt.error.message,
        kind: 'empty',
        fields: { source: source.id, kind: 'empty' },
        message: `source ${source.id} returned no aircraft at all (${attempt.error.message}); trying the next source`,
      });
    }
    if (attempt.ok) {
      incidents.ok(o.log, source, `source ${source.id}`, { source: source.id });
      servedBy = source.id;
      break;
    }
    if (m) m.failovers++;
  }

  if (!servedBy && emptyFallback) {
    servedBy = emptyFallback;
    const a = attempts.find((x) => x.sourceId === emptyFallback);
    if (a) {
      a.ok = true;
      delete a.error;
    }
  }
  if (!servedBy) {
    if (m) m.unserved++;
    incidents.fail(o.log, o.sources, 'poll cycles', {
      level: 'error',
      reason: attempts.map((a) => `${a.sourceId}: ${a.skipped ? 'skipped' : (a.error?.kind ?? '?')}`).join(', '),
      fields: { attempts: attempts.map((a) => ({ source: a.sourceId, skipped: a.skipped, error: a.error?.kind })) },
      message: 'no source could serve this poll cycle',
    });
  } else incidents.ok(o.log, o.sources, 'poll cycles', { servedBy });

  let states: Iterable<AircraftState> = o.keepStates ? [...byHex.values()] : byHex.values();
  if (o.enrich) {
    const enrich = o.enrich;
    let enrichFailed = false;
    states = [...byHex.values()].map((s) => {
      try {
        return enrich(s);
      } catch (e) {
        if (!enrichFailed)
          o.log.warn({ hex: s.hex, reason: (e as Error)?.message }, 'enrichment failed; keeping the state as received');
        enrichFailed = true;
        return s;
      }
    });
  }
  const matched = o.watchlist.filter(states);
  let distinct = byHex.size;
  for (const hex of passedOver) if (!byHex.has(hex)) distinct++;
  if (m) {
    m.states += distinct;
    m.rejected += rejected;
    m.matched += matched.length;
  }
  return {
    matched,
    servedBy,
    attempts,
    states: distinct,
    rejected,
    startedAt,
    durationMs: now() - startedAt,
    ...(o.keepStates ? { all: states as AircraftState[] } : {}),
  };
}
