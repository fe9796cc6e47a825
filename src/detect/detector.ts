/**
 * The detector: groups a batch by aircraft, runs the rules through the track store (atomically per aircraft),
 * then fires expired timers (inferred landings), and returns the step's events in time order.
 */
import { detectSchema, type DetectConfig, type DetectConfigInput } from '../config/detect-schema';
import type { Destination } from '../config/schema';
import type { FlightEvent } from '../domain/event';
import type { MatchedAircraft } from '../domain/watchlist';
import type { AirportIndex } from '../places/airport-index';
import type { Logger } from '../util/log';
import { Places } from './places';
import { Rules } from './rules';
import { MemoryTrackStore } from './store/memory-store';
import type { TrackStep, TrackStore } from './store/track-store';
import type { TrackState } from './track-state';
import type { Detector, DetectorExtension, DetectorExtensionFactory } from './types';
import {
  DEFAULT_IDENTITY_RULES,
  IdentityLinker,
  identityHorizonMs,
  type IdentityLink,
  type IdentityMemory,
} from './identity';
import { MemoryIdentityMemory } from './identity-memory';

export interface DetectorOptions {
  airports: AirportIndex;
  /** Parsed `detect:` config, or partial input (defaults filled in). */
  detect?: DetectConfig | DetectConfigInput;
  /** poll.maxPositionAgeS */
  maxPositionAgeS?: number;
  destinations?: readonly Destination[];
  /** Defaults to a fresh in-memory store. */
  store?: TrackStore;
  logger?: Logger;
  /** Extensions run after the rules in each track step (src/trips: trips, en-route, diversions). */
  extensions?: readonly DetectorExtensionFactory[];
  /** Where identity links are remembered (the worker: Redis, across restarts and replicas); default in memory. */
  identityMemory?: (horizonMs: number) => IdentityMemory;
}

/** Order of simultaneous events: a sighting before what it shows, a landing before its destination. */
const TYPE_ORDER: Record<string, number> = {
  seen: 0,
  squawk: 1,
  takeoff: 2,
  landing: 3,
  destination: 4,
  touch_and_go: 5,
  go_around: 6,
};

export function byTime(a: FlightEvent, b: FlightEvent): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return (TYPE_ORDER[a.type] ?? 9) - (TYPE_ORDER[b.type] ?? 9);
}

export interface FlightDetector extends Detector {
  readonly store: TrackStore;
  readonly config: DetectConfig;
}

/** The identity linker the config asks for, over the given memory (in the process by default). */
export function createLinker(
  cfg: DetectConfig,
  memory?: (horizonMs: number) => IdentityMemory,
): IdentityLinker | undefined {
  const c = cfg.identity;
  if (!c.enabled) return undefined;
  const rules = {
    ...DEFAULT_IDENTITY_RULES,
    maxAirGapS: c.maxAirGapMinutes * 60,
    maxGroundGapS: c.maxGroundGapHours * 3600,
    maxSpeedKt: c.maxSpeedKt,
  };
  const horizon = identityHorizonMs(rules);
  return new IdentityLinker(memory ? memory(horizon) : new MemoryIdentityMemory(horizon), rules);
}

/**
 * Puts the link evidence on every event of a hex that continues another one (docs/events.md `linked`), after
 * the steps: for the in-memory store only, which queues nothing, so only the hexes with events are looked up.
 * A store with an outbox needs it on the events as the steps emit them (withLinks).
 */
async function annotateLinks(linker: IdentityLinker, out: FlightEvent[]): Promise<void> {
  const links = await linker.linksOf([...new Set(out.map((e) => e.aircraft.hex))]);
  if (!links.size) return;
  for (const e of out) {
    const link = links.get(e.aircraft.hex);
    if (link && e.details) e.details.linked = link;
  }
}

/** The step, with the link evidence of its aircraft (docs/events.md `linked`) put on the events it emits. */
function withLinks(links: ReadonlyMap<string, IdentityLink> | undefined, step: TrackStep): TrackStep {
  if (!links?.size) return step;
  return (hex, prev, out) => {
    const from = out.length;
    const next = step(hex, prev, out);
    const link = links.get(hex);
    if (link)
      for (let i = from; i < out.length; i++) {
        const details = out[i]!.details;
        if (details) details.linked = link;
      }
    return next;
  };
}

/** Rules whose every step ends with the extensions' afterStep (same atomic step, same `out`). */
function withExtensions(
  rules: Rules,
  exts: readonly DetectorExtension[],
): Pick<Rules, 'applyRecord' | 'applyRecords' | 'applyTimeout'> {
  let now = 0;
  const after = (st: TrackState | undefined, out: FlightEvent[], from: number, timeout: boolean) => {
    if (st) for (const x of exts) x.afterStep(st, out, from, now, timeout);
    return st;
  };
  return {
    applyRecord: (hex, prev, rec, out) => {
      const from = out.length;
      now = Math.max(now, rec.observedAt);
      return after(rules.applyRecord(hex, prev, rec, out), out, from, false) as TrackState;
    },
    applyRecords: (hex, prev, recs, out) => {
      const from = out.length;
      for (const r of recs) if (r.observedAt > now) now = r.observedAt;
      return after(rules.applyRecords(hex, prev, recs, out), out, from, false) as TrackState;
    },
    applyTimeout: (prev, at, out) => {
      const from = out.length;
      now = Math.max(now, at);
      return after(rules.applyTimeout(prev, at, out), out, from, true);
    },
  };
}

export function createDetector(opts: DetectorOptions): FlightDetector {
  const cfg = detectSchema.parse(opts.detect ?? {});
  const places = new Places(opts.airports, cfg, opts.destinations ?? []);
  if (places.unknownDestinationAirports.length)
    opts.logger?.warn(
      { airports: places.unknownDestinationAirports },
      'destination airports not in the airport table: only their countries (if any) can match',
    );
  const baseRules = new Rules({ cfg, places, maxPositionAgeS: opts.maxPositionAgeS ?? 60 });
  const exts = (opts.extensions ?? []).map((f) =>
    f({ airports: opts.airports, detect: cfg, destinations: opts.destinations ?? [] }),
  );
  const rules = exts.length ? withExtensions(baseRules, exts) : baseRules;
  const store = opts.store ?? new MemoryTrackStore();
  const memory = store instanceof MemoryTrackStore ? store : undefined;
  // The worker remembers in Redis (a hex change across a restart or replicas is linked); replays in memory.
  const linker = createLinker(cfg, opts.identityMemory);

  // The memory store is synchronous: one set of step closures serves every call (no per-call allocation).
  // Other stores await between steps, so each call gets its own closures (calls may overlap).
  let now = 0;
  let single: MatchedAircraft | undefined;
  let groups = new Map<string, MatchedAircraft[]>();
  const timeoutStep: TrackStep = (_hex, prev, out) => rules.applyTimeout(prev, now, out);
  const singleStep: TrackStep = (hex, prev, out) => rules.applyRecord(hex, prev, single as MatchedAircraft, out);
  const groupStep: TrackStep = (hex, prev, out) => rules.applyRecords(hex, prev, groups.get(hex) ?? [], out);

  function group(batch: readonly MatchedAircraft[]): Map<string, MatchedAircraft[]> {
    const m = new Map<string, MatchedAircraft[]>();
    for (const a of batch) {
      const g = m.get(a.hex);
      if (g) g.push(a);
      else m.set(a.hex, [a]);
    }
    return m;
  }

  function processMemory(
    mem: MemoryTrackStore,
    batch: readonly MatchedAircraft[],
    at: number,
  ): FlightEvent[] | Promise<FlightEvent[]> {
    now = at;
    const out: FlightEvent[] = [];
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only) {
      single = only;
      mem.updateOne(only.hex, singleStep, out);
      single = undefined;
    } else if (batch.length > 1) {
      groups = group(batch);
      mem.updateSync([...groups.keys()], groupStep, out);
      groups = new Map();
    }
    const due = mem.dueSync(at);
    if (due.length) mem.updateSync(due, timeoutStep, out);
    return finish(batch, at, out);
  }

  async function process(batch: readonly MatchedAircraft[], at: number): Promise<FlightEvent[]> {
    if (memory) return processMemory(memory, batch, at);
    const out: FlightEvent[] = [];
    // A store with an outbox (Redis) queues each step's events as it saves the step: the link evidence must be
    // on them by then, so the links are looked up before the steps, not put on the events after them.
    if (linker) await linker.observe(batch, at);
    if (batch.length) {
      const g = group(batch);
      const hexes = [...g.keys()];
      const links = linker && (await linker.linksOf(hexes));
      await store.update(
        hexes,
        withLinks(links, (hex, prev, o) => rules.applyRecords(hex, prev, g.get(hex) ?? [], o)),
        out,
      );
    }
    const due = await store.due(at);
    if (due.length) {
      const links = linker && (await linker.linksOf(due));
      await store.update(
        due,
        withLinks(links, (_hex, prev, o) => rules.applyTimeout(prev, at, o)),
        out,
      );
    }
    if (out.length > 1) out.sort(byTime);
    return out;
  }

  function finish(
    batch: readonly MatchedAircraft[],
    at: number,
    out: FlightEvent[],
  ): FlightEvent[] | Promise<FlightEvent[]> {
    if (out.length > 1) out.sort(byTime);
    // Without a linker the memory store's step stays synchronous.
    return linker ? link(linker, batch, at, out) : out;
  }

  async function link(
    l: IdentityLinker,
    batch: readonly MatchedAircraft[],
    at: number,
    out: FlightEvent[],
  ): Promise<FlightEvent[]> {
    await l.observe(batch, at);
    if (out.length) await annotateLinks(l, out);
    return out;
  }

  return { process, store, config: cfg };
}
