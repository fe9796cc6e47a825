/**
 * The event rules (docs/events.md), pure: given an aircraft's track state and new records (or the passing of
 * time), advance the state and emit events. No I/O; the detector feeds it through a TrackStore.
 *
 * Invariants the rules keep (each has a test in test/unit/detect):
 * - a transition is announced once: events fire only on committed phase changes, positions not newer than the
 *   newest fresh one are ignored, and event ids already emitted for the aircraft are suppressed;
 * - a coverage gap is not a transition: an airborne aircraft that reappears airborne is still airborne; a
 *   landing is inferred only by the timer (airport-inference.ts names the airport) or when the aircraft
 *   reappears climbing out of an airport (the open leg closed there);
 * - one position never changes the phase: the next confirms it or the timer decides (debounce), and
 *   physically impossible positions are dropped (plausibility.ts);
 * - stale positions (ADS-C, position age above poll.maxPositionAgeS) are heard but never fresh: they never
 *   move the phase, the window or the timers;
 * - absence is "not heard": nothing happens to an aircraft missing from a batch until its timer expires.
 */
import type { DetectConfig } from '../config/detect-schema';
import type {
  AirportRef,
  EventType,
  EvidencePoint,
  FlightEvent,
  FlightEventDetails,
  FlightEventOf,
  FlightEventSink,
  GoAroundDetails,
  LandingDetails,
  SeenDetails,
  TakeoffDetails,
  TouchAndGoDetails,
} from '../domain/event';
import { EVENT_SCHEMA } from '../domain/event';
import type { MatchedAircraft } from '../domain/watchlist';
import { transitionId } from './event-id';
import { haversineNm } from '../geo/sphere';
import { toRef, type NearAirport, type Places } from './places';
import {
  copySample,
  histOf,
  lastSample,
  newTrack,
  pushSlot,
  recentTrack,
  rememberHistory,
  rememberId,
  sampleAgo,
  windowOf,
  type Sample,
  type TrackState,
} from './track-state';
import { aircraftClass, type AircraftClass } from './aircraft-class';
import type { AirportInference } from './airport-inference';
import { implausibleAfter } from './plausibility';
import { keepRolling, TOUCH_AND_GO_MS, TOUCH_MIN_KT } from './touch-and-go';
import { watchApproach, type GoAround } from './go-around';

const MIN = 60_000;
const IGNORE = 0;
const GROUND = 1;
const AIRBORNE = 2;

/** A transition seen across a gap longer than this gets an estimated time and `details.inferred: true`. */
const OBSERVED_GAP_MS = 5 * MIN;
/** Air/ground flapping within this time after a takeoff from the same airport is ignored. */
const GLITCH_MS = 90_000;
/** Ground speed assumed for time estimates when the last position has none. */
const DEFAULT_APPROACH_KT = 140;
/** Above this an airborne report is not believed to be a ground report, however slow. */
const SLOW_AS_GROUND_MAX_ALT_FT = 15_000;
/** After an inferred landing turned out wrong (the aircraft reappeared on approach), the real landing at the same airport within this time is not announced again. */
const REVERT_WINDOW_MS = 120 * MIN;
/** A phase change not confirmed by another position within this time is decided by the timer (debounce). */
const PEND_MS = 90_000;
/** A pending takeoff confirmed by the timer alone needs at least this ground speed (kt): flying, not taxiing. */
const FLYING_KT = 50;
/** An airborne report this fast (kt) right after ground positions is not a takeoff (none leaves at 468 kt). */
const LIFTOFF_MAX_KT = 300;
const LIFTOFF_MAX_AGL_FT = 2000;
/**
 * Positions dropped in a row (and for how long) before the track is believed again: the previous fix was the
 * bad one. OpenSky's "airborne at 38,000 ft" noise on a taxiway lasts a minute and a half.
 */
const MAX_DROP_RUN = 3;
const MAX_DROP_MS = 3 * MIN;
/** Approach thresholds as ranges: over this many kt above slowKt per nm out is still an approach. */
const KT_PER_NM_OUT = 6;
/** The arming pre-filter accepts speeds up to slowKt plus this (the model decides). */
const ARM_EXTRA_KT = 150;
/** Minutes of track the airport inference looks at. */
const INFERENCE_TRACK_MS = 10 * MIN;
/** Average approach speed (kt) the last miles are flown at, for landing time estimates. */
const FINAL_KT = 130;

/** Flying, not taxiing: a speed of FLYING_KT, or covering ground that fast between the two positions. */
function flying(first: Sample, next: Sample): boolean {
  if ((next.gs ?? first.gs ?? 0) >= FLYING_KT) return true;
  const dt = next.t - first.t;
  return dt > 0 && (haversineNm(first.lat, first.lon, next.lat, next.lon) / dt) * 3_600_000 >= FLYING_KT;
}

function inferenceDetails(inf: AirportInference): NonNullable<LandingDetails['airportInference']> {
  const d: NonNullable<LandingDetails['airportInference']> = {
    confidence: inf.confidence,
    candidates: inf.candidates,
    aircraftClass: inf.aircraftClass,
    basis: inf.basis,
  };
  if (inf.runnerUp) d.runnerUp = inf.runnerUp;
  if (inf.runway) d.runway = inf.runway;
  return d;
}

export const SQUAWK_MEANINGS: Record<string, string> = {
  '7500': 'unlawful interference',
  '7600': 'radio failure',
  '7700': 'emergency',
};

const iso = (ms: number) => new Date(ms).toISOString();

export function evidenceOf(s: Sample): EvidencePoint {
  const p: EvidencePoint = { time: iso(s.t), onGround: s.og, source: s.src, fetchedAt: iso(s.fat) };
  if (Number.isFinite(s.lat) && Number.isFinite(s.lon)) {
    p.lat = s.lat;
    p.lon = s.lon;
  }
  if (s.alt !== undefined) p.altFt = s.alt;
  if (s.gs !== undefined) p.gsKt = s.gs;
  if (s.trk !== undefined) p.trackDeg = s.trk;
  if (s.age !== undefined) p.positionAgeS = s.age;
  return p;
}

/** An event before it becomes a document: what the rules concluded, in track terms (samples, epoch ms). */
interface EventDraft<T extends EventType> {
  type: T;
  /** The id key: the type, qualified where one aircraft can have several at once (destination:<id>, squawk:<code>). */
  idKey: string;
  time: number;
  /** The position that triggered it; undefined when the record had none. */
  sample: Sample | undefined;
  airport: AirportRef | undefined;
  evidence: Sample[];
  details: FlightEventDetails[T];
  destination?: { id: string };
}

/** A takeoff the rules concluded: when, from where, on what evidence. */
interface Takeoff {
  time: number;
  /** The first airborne position. */
  sample: Sample;
  departure: AirportRef | undefined;
  evidence: Sample[];
  details: TakeoffDetails;
}

/** A landing the rules concluded. `where` (the airport's position, else the aircraft's) matches destinations. */
interface Landing {
  time: number;
  /** The position the landing was concluded from (first ground, or last airborne when inferred). */
  sample: Sample;
  arrival: AirportRef | undefined;
  where: { lat: number; lon: number };
  evidence: Sample[];
  details: LandingDetails;
}

/** What a `seen` needs to know about the record besides the record itself. */
interface Sighting {
  hasPosition: boolean;
  stale: boolean;
  /** The store did not know the aircraft. */
  first: boolean;
  /** Time since it was last heard (0 on the first sighting). */
  quietGapMs: number;
}

export interface RulesOptions {
  cfg: DetectConfig;
  places: Places;
  /** poll.maxPositionAgeS: older positions are stale. */
  maxPositionAgeS: number;
}

/**
 * An event timed at an estimate rather than at a position it was observed at (a takeoff estimated back from
 * the climb, a landing estimated from the last airborne position) says so: `estimated: true`, and
 * `observedAt`, the time of the position the estimate starts from. The estimate may lie before the first
 * observation of the aircraft (first seen climbing): the takeoff did happen before it was seen, and timing it
 * at the first position would claim a takeoff at 13,000 ft.
 */
function markEstimated(details: TakeoffDetails | LandingDetails, time: number, s: Sample): void {
  if (time === s.t) return;
  details.estimated = true;
  details.observedAt = iso(s.t);
}

export class Rules {
  private readonly cfg: DetectConfig;
  private readonly places: Places;
  private readonly maxAgeS: number;
  private readonly quietMs: number;
  private readonly timeoutMs: number;
  private readonly reacquireMs: number;
  private readonly holdMs: number;
  private readonly squawks: Set<string>;
  /** Below this a low and slow airborne position arms the inferred-landing timer (cheap pre-filter; the airport check runs when it fires). */
  private readonly timerAltFt: number;

  constructor(opts: RulesOptions) {
    this.cfg = opts.cfg;
    this.places = opts.places;
    this.maxAgeS = opts.maxPositionAgeS;
    this.quietMs = opts.cfg.quietPeriodMinutes * MIN;
    this.timeoutMs = opts.cfg.landingTimeoutMinutes * MIN;
    this.reacquireMs = opts.cfg.reacquireGapMinutes * MIN;
    this.holdMs = opts.cfg.squawkHoldSeconds * 1000;
    this.squawks = new Set(opts.cfg.squawkCodes);
    this.timerAltFt = opts.cfg.lowAltFt + 10_000;
  }

  /** Stale: ADS-C (minutes old by nature) or a position age above the configured limit. */
  isStale(rec: MatchedAircraft): boolean {
    return this.staleOf(rec.sourceType, rec.positionAgeS);
  }

  private staleOf(sourceType: string | undefined, ageS: number | undefined): boolean {
    return sourceType === 'adsc' || (ageS !== undefined && ageS > this.maxAgeS);
  }

  private classify(rec: MatchedAircraft): number {
    return this.classifyOf(rec.onGround, rec.gsKt, rec.altFt);
  }

  private classifyOf(onGround: boolean, gs: number | undefined, altFt: number | undefined): number {
    if (onGround) return gs !== undefined && gs > this.cfg.groundMaxKt ? IGNORE : GROUND;
    const sag = this.cfg.slowAsGroundKt;
    if (sag > 0 && gs !== undefined && gs < sag && (altFt === undefined || altFt < SLOW_AS_GROUND_MAX_ALT_FT))
      return GROUND;
    if (altFt === undefined && gs === undefined) return IGNORE;
    return AIRBORNE;
  }

  private fill(s: Sample, rec: MatchedAircraft, ground: boolean): Sample {
    s.t = rec.positionAt ?? rec.observedAt;
    s.lat = rec.lat as number;
    s.lon = rec.lon as number;
    s.alt = rec.onGround ? null : rec.altFt;
    s.og = rec.onGround;
    s.g = ground;
    s.gs = rec.gsKt;
    s.trk = rec.trackDeg;
    s.vr = rec.vrateFpm;
    s.age = rec.positionAgeS;
    s.src = rec.sourceId;
    s.fat = rec.fetchedAt;
    s.st = rec.sourceType;
    return s;
  }

  /** Applies one aircraft's records (any order; sorted here by position time). */
  applyRecords(
    hex: string,
    prev: TrackState | undefined,
    recs: readonly MatchedAircraft[],
    out: FlightEvent[],
  ): TrackState {
    let st = prev;
    const only = recs.length === 1 ? recs[0] : undefined;
    if (only) return this.applyRecord(hex, st, only, out);
    const sorted = recs.slice().sort((a, b) => (a.positionAt ?? a.observedAt) - (b.positionAt ?? b.observedAt));
    for (const r of sorted) st = this.applyRecord(hex, st, r, out);
    return st as TrackState;
  }

  applyRecord(hex: string, prev: TrackState | undefined, rec: MatchedAircraft, out: FlightEvent[]): TrackState {
    // Each field of `rec` is read once: replay records come in many shapes, so every read is a slow lookup.
    const observedAt = rec.observedAt;
    const first = prev === undefined;
    const st = prev ?? newTrack(hex, observedAt);
    const ident = st.ident;
    const reg = rec.registration;
    const typ = rec.type;
    const cs = rec.callsign;
    const op = rec.operator;
    if (reg !== undefined && reg !== ident.registration) ident.registration = reg;
    if (typ !== undefined && typ !== ident.type) ident.type = typ;
    if (cs !== undefined && cs !== ident.callsign) ident.callsign = cs;
    if (op !== undefined && op !== ident.operator) ident.operator = op;
    st.watch = rec.watch;

    const quietGap = first ? 0 : observedAt - st.heardAt;
    if (observedAt > st.heardAt) st.heardAt = observedAt;
    const lat = rec.lat;
    const lon = rec.lon;
    const hasPos = lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon);
    const stale = this.staleOf(rec.sourceType, rec.positionAgeS);

    if (first || quietGap >= this.quietMs)
      this.seen(st, rec, { hasPosition: hasPos, stale, first, quietGapMs: quietGap }, out);
    const squawk = rec.squawk;
    if (squawk !== undefined && (st.squawk !== undefined || this.squawks.has(squawk)))
      this.squawk(st, rec, hasPos, out);

    if (!hasPos || stale) return st;
    const positionAt = rec.positionAt;
    const t = positionAt ?? observedAt;
    if (t <= st.freshAt) return st; // duplicate or older than what we know: already applied
    const cls = this.classifyOf(rec.onGround, rec.gsKt, rec.altFt);
    if (cls === IGNORE) {
      if (rec.onGround) st.implausible = (st.implausible ?? 0) + 1; // "on ground" at airborne speed
      return st;
    }

    const before = lastSample(st);
    if (before && this.dropImplausible(st, before, rec, t, cls)) return st;
    const gapMs = st.freshAt ? t - st.freshAt : Infinity;
    const s = this.fill(pushSlot(st, this.cfg.windowSize), rec, cls === GROUND);
    st.freshAt = t;
    rememberHistory(st, s);
    const pend = st.pend;
    // A landing still rolling fast may yet be a touch-and-go (touch-and-go.ts): held, not confirmed.
    const rolling = pend?.kind === 'landing' && cls === GROUND && keepRolling(pend, s, PEND_MS);
    // A takeoff needs flying evidence (speed, or distance covered), not only an "airborne" flag and altitude.
    const waiting = rolling || (pend?.kind === 'takeoff' && cls === AIRBORNE && !flying(pend.s, s));
    if (pend && !waiting) {
      delete st.pend;
      if ((pend.kind === 'takeoff') === (cls === AIRBORNE)) this.confirm(st, pend, out);
      else if (pend.kind === 'landing' && this.isTouchAndGo(st, pend, s)) this.touchAndGo(st, pend, s, out);
      else if (pend.kind === 'landing' && (pend.n ?? 1) > 1)
        this.confirm(st, pend, out); // two ground positions
      else st.flips = (st.flips ?? 0) + 1; // not confirmed: a flip of the flag, taxi noise
    }
    const phase = st.phase;
    if (phase === 'airborne' || st.appr) {
      const ga = watchApproach(st, s, before, this.places, this.cfg.slowKt);
      if (ga) this.goAround(st, ga, out);
    }

    if (cls === GROUND) {
      if (phase === 'airborne' && !rolling) this.pending(st, 'landing', s, before, gapMs);
      else if (phase === 'unknown') this.setPhase(st, 'ground', t, false);
    } else if (phase === 'ground') {
      if (!waiting && !(st.phaseInferred && this.revertInferredLanding(st, s)))
        this.pending(st, 'takeoff', s, before, gapMs);
    } else if (phase === 'unknown') {
      this.setPhase(st, 'airborne', t, false);
      st.leg = {};
      if (this.isClimbing(s, before)) this.takeoffFromClimb(st, s, 'first-seen-climbing', out);
    } else if (gapMs >= this.reacquireMs && this.isClimbing(s, before)) {
      // Lost airborne, found climbing out of an airport long after: it landed and departed unseen.
      this.takeoffFromClimb(st, s, 'reacquired-climbing', out, before);
    }
    this.arm(st, s);
    return st;
  }

  /**
   * The timer: a pending phase change waits PEND_MS for its confirmation; an airborne aircraft low enough to be
   * approaching (slowKt + ARM_EXTRA_KT, below lowAltFt + 10,000 ft: the model decides) arms the inferred landing.
   * Any fresh position re-arms or clears it.
   */
  private arm(st: TrackState, s: Sample): void {
    if (st.pend) st.deadline = st.pend.s.t + PEND_MS;
    else if (
      st.phase === 'airborne' &&
      s.alt != null &&
      s.alt <= this.timerAltFt &&
      (s.gs === undefined || s.gs <= this.cfg.slowKt + ARM_EXTRA_KT)
    )
      st.deadline = s.t + this.timeoutMs;
    else if (st.deadline !== undefined) st.deadline = undefined;
  }

  /**
   * Drops (and counts) a position no aircraft can fly after the previous one; true when dropped. After
   * MAX_DROP_RUN drops in a row the previous fix is taken to be the bad one and the track believed again.
   */
  private dropImplausible(st: TrackState, before: Sample, rec: MatchedAircraft, t: number, cls: number): boolean {
    const lat = rec.lat as number;
    const lon = rec.lon as number;
    let alt0 = !before.g && before.alt != null ? before.alt : NaN;
    let alt = cls === AIRBORNE && rec.altFt !== undefined ? rec.altFt : NaN;
    // Ground against air: compare with the field elevation (a lookup only at such a transition).
    if (before.g && alt === alt) alt0 = this.places.fieldElevationAt(before.lat, before.lon) ?? NaN;
    else if (cls === GROUND && alt0 === alt0) alt = this.places.fieldElevationAt(lat, lon) ?? NaN;
    let bad = implausibleAfter(before.t, before.lat, before.lon, alt0, t, lat, lon, alt);
    // Over 300 kt close to the field's elevation just after ground positions: not a liftoff (4 minutes later at
    // 8,000 ft it may well be one, seen late).
    if (!bad && before.g && cls === AIRBORNE && rec.gsKt !== undefined && rec.gsKt > LIFTOFF_MAX_KT)
      bad = t - before.t < OBSERVED_GAP_MS && !(alt - alt0 >= LIFTOFF_MAX_AGL_FT);
    if (!bad) {
      if (st.dropRun) delete st.dropRun;
      return false;
    }
    st.dropRun = (st.dropRun ?? 0) + 1;
    if (st.dropRun > MAX_DROP_RUN && t - before.t >= MAX_DROP_MS) {
      delete st.dropRun;
      return false;
    }
    st.implausible = (st.implausible ?? 0) + 1;
    return true;
  }

  private pending(
    st: TrackState,
    kind: 'takeoff' | 'landing',
    s: Sample,
    before: Sample | undefined,
    gapMs: number,
  ): void {
    st.pend = { kind, s: copySample(s), gapMs: Number.isFinite(gapMs) ? gapMs : -1 };
    if (before) st.pend.before = copySample(before);
  }

  /** A pending phase change confirmed (by a position, or by the timer): announce it. */
  private confirm(st: TrackState, pend: NonNullable<TrackState['pend']>, out: FlightEvent[]): void {
    const gapMs = pend.gapMs < 0 ? Infinity : pend.gapMs;
    if (pend.kind === 'takeoff') this.takeoffFromGround(st, pend.before, pend.s, gapMs, out);
    else this.landing(st, pend.before, pend.s, gapMs, out);
  }

  /**
   * A held landing followed by an airborne position is a touch-and-go, not noise, when the aircraft rolled at
   * an airport (never slower than TOUCH_MIN_KT) and climbs away from it: above its altitude before the touch,
   * or at a climb rate. Not seconds after lifting off from there (the flag flapping on the takeoff roll).
   */
  private isTouchAndGo(st: TrackState, pend: NonNullable<TrackState['pend']>, s: Sample): boolean {
    const g = pend.s;
    if ((pend.minGs ?? g.gs ?? 0) < TOUCH_MIN_KT || s.t - g.t > TOUCH_AND_GO_MS || s.alt == null) return false;
    const prevAlt = pend.before && !pend.before.g ? pend.before.alt : undefined;
    const climbing = (s.vr ?? 0) >= this.cfg.minClimbFpm || (prevAlt != null && s.alt > prevAlt + 50);
    if (!climbing) return false;
    const ap = this.places.at(g.lat, g.lon);
    if (!ap) return false;
    const leg = st.leg;
    return !(leg?.depAt !== undefined && g.t - leg.depAt < GLITCH_MS && leg.dep?.icao === ap.icao);
  }

  /** Touched down and took off again: the event, and nothing else changes (still airborne, the leg goes on). */
  private touchAndGo(st: TrackState, pend: NonNullable<TrackState['pend']>, s: Sample, out: FlightEvent[]): void {
    const g = pend.s;
    const ap = this.places.at(g.lat, g.lon);
    const lastAir = pend.before && !pend.before.g ? pend.before : undefined;
    const details: TouchAndGoDetails = {
      groundS: Math.round((s.t - g.t) / 1000),
      groundPositions: pend.n ?? 1,
      minGsKt: Math.round(pend.minGs ?? g.gs ?? 0),
      departure: st.leg?.dep?.icao ?? null,
    };
    if (s.vr !== undefined) details.climbFpm = s.vr;
    if (lastAir) details.lastAirborneAt = iso(lastAir.t);
    const evidence = [...(lastAir ? [lastAir] : []), g, ...(pend.last ? [pend.last] : []), s];
    const airport = ap ? toRef(ap, ap.distanceNm) : undefined;
    this.emit(
      st,
      { type: 'touch_and_go', idKey: 'touch_and_go', time: g.t, sample: g, airport, evidence, details },
      out,
    );
  }

  /** An approach climbed away without touching down: timed at its lowest position. */
  private goAround(st: TrackState, ga: GoAround, out: FlightEvent[]): void {
    const { approach: a, climb } = ga;
    const lowAlt = a.low.alt as number;
    const details: GoAroundDetails = {
      lowestAltFt: lowAlt,
      lowestHeightFt: Math.round(lowAlt - a.elev),
      distanceNm: Math.round(a.lowNm * 10) / 10,
      descentFt: Math.round((a.from.alt as number) - lowAlt),
      climbFt: Math.round((climb.alt as number) - lowAlt),
      approachFrom: iso(a.from.t),
      departure: st.leg?.dep?.icao ?? null,
    };
    const airport = { ...a.airport, distanceNm: details.distanceNm };
    const evidence = [a.from, a.low, climb];
    this.emit(
      st,
      { type: 'go_around', idKey: 'go_around', time: a.low.t, sample: a.low, airport, evidence, details },
      out,
    );
  }

  /** Aircraft class from the type designator, else from the fastest speed in the window. */
  private classOf(st: TrackState): AircraftClass {
    let max: number | undefined;
    for (const list of [windowOf(st), histOf(st) ?? []])
      for (const w of list) if (w.gs !== undefined && !w.g && (max === undefined || w.gs > max)) max = w.gs;
    return aircraftClass(st.ident.type, max);
  }

  /**
   * Vertical speed (ft/min) now, from the altitude series over the last 30 s – 2 min (a level-off's momentary
   * +400 ft/min is not a climb-out), else the reported rate.
   */
  private verticalFpm(st: TrackState): number | undefined {
    const s = lastSample(st);
    if (!s || s.alt == null) return undefined;
    for (const p of recentTrack(st, 2 * MIN)) {
      if (p.g || p.alt == null) continue;
      if (s.t - p.t >= 30_000) return ((s.alt - p.alt) / (s.t - p.t)) * MIN;
      break;
    }
    return s.vr;
  }

  /**
   * The timer fired: confirm or drop a pending phase change; or infer a landing when the last fresh position
   * was descending towards an airport the model names (airport-inference.ts).
   */
  applyTimeout(prev: TrackState | undefined, now: number, out: FlightEvent[]): TrackState | undefined {
    const st = prev;
    if (!st || st.deadline === undefined || st.deadline > now) return st;
    st.deadline = undefined;
    const pend = st.pend;
    if (pend) {
      delete st.pend;
      // Unconfirmed: a landing stands (signal lost on the ground is common); a takeoff only at flying speed.
      if (pend.kind === 'landing' || (pend.s.gs ?? 0) >= FLYING_KT) this.confirm(st, pend, out);
      else st.flips = (st.flips ?? 0) + 1;
      const s = lastSample(st);
      if (s && st.phase === 'airborne') this.arm(st, s);
      return st;
    }
    if (st.phase !== 'airborne') return st;
    const s = lastSample(st);
    if (!s || s.alt === undefined) return st;
    const vs = this.verticalFpm(st);
    if (vs !== undefined && vs >= this.cfg.minClimbFpm) return st; // climbing away: a departure leaving coverage
    const track = recentTrack(st, INFERENCE_TRACK_MS).filter((w) => !w.g);
    const inf = this.places.arrivalFor(track, this.classOf(st));
    if (!inf) return st;
    const ap = inf.airport;
    if (s.gs !== undefined && s.gs > this.cfg.slowKt + KT_PER_NM_OUT * ap.distanceNm) return st;
    // The last miles are flown slower and not quite straight: average of now and final speed, 15 % longer path.
    const gs = s.gs && s.gs > 30 ? (s.gs + FINAL_KT) / 2 : DEFAULT_APPROACH_KT;
    const time = s.t + Math.round(((ap.distanceNm * 1.15) / gs) * 3_600_000);
    if (time > now) {
      st.deadline = time; // not down yet: decide when it would be
      return st;
    }
    const airport = toRef(ap, ap.distanceNm);
    const evidence: Sample[] = [];
    for (let k = 2; k >= 0; k--) {
      const e = sampleAgo(st, k);
      if (e) evidence.push(e);
    }
    const details: LandingDetails = {
      inferred: true,
      reason: 'signal-lost-low-slow',
      signalLostAt: iso(s.t),
      lastAltFt: s.alt,
      lastDistanceNm: airport.distanceNm,
      airportInference: inferenceDetails(inf),
      ...this.legDetails(st, time),
    };
    this.emitLanding(st, { time, sample: s, arrival: airport, where: ap, evidence, details }, out);
    this.setPhase(st, 'ground', time, true);
    st.lastArr = { airport, at: time, inferred: true };
    return st;
  }

  private setPhase(st: TrackState, phase: TrackState['phase'], at: number, inferred: boolean): void {
    st.phase = phase;
    st.phaseAt = at;
    if (inferred) st.phaseInferred = true;
    else delete st.phaseInferred;
  }

  private isClimbing(s: Sample, before: Sample | undefined): boolean {
    if (s.alt == null) return false;
    const min = this.cfg.minClimbFpm;
    if (s.vr !== undefined) return s.vr >= min;
    if (before && before.alt != null && !before.g && s.t - before.t <= 5 * MIN && s.t > before.t)
      return ((s.alt - before.alt) / (s.t - before.t)) * MIN >= min;
    return false;
  }

  private legDetails(
    st: TrackState,
    arrAt: number,
  ): Pick<LandingDetails, 'departure' | 'departedAt' | 'flightMinutes'> {
    const leg = st.leg;
    if (!leg || leg.depAt === undefined) return { departure: leg?.dep?.icao ?? null };
    return {
      departure: leg.dep?.icao ?? null,
      departedAt: iso(leg.depAt),
      flightMinutes: Math.round((arrAt - leg.depAt) / MIN),
    };
  }

  // ---- takeoff ---------------------------------------------------------------------------------

  private takeoffFromGround(
    st: TrackState,
    before: Sample | undefined,
    s: Sample,
    gapMs: number,
    out: FlightEvent[],
  ): void {
    const groundFix = before && before.g ? before : undefined;
    let ap: NearAirport | undefined = groundFix ? this.places.at(groundFix.lat, groundFix.lon) : undefined;
    let dep: AirportRef | undefined = ap ? toRef(ap, ap.distanceNm) : undefined;
    if (!dep && st.lastArr?.airport) dep = st.lastArr.airport;
    let inf: AirportInference | undefined;
    if (!dep && s.alt != null) {
      inf = this.places.departureFor({ ...s, alt: s.alt }, this.classOf(st));
      ap = inf?.airport;
      if (ap) dep = toRef(ap, ap.distanceNm);
    }
    const observed = gapMs <= OBSERVED_GAP_MS && groundFix !== undefined;
    let time = s.t;
    if (!observed) time = this.climbStart(s, dep, groundFix?.t ?? st.lastArr?.at ?? st.phaseAt);
    const details: TakeoffDetails = {
      inferred: !observed,
      reason: observed ? 'ground-to-air' : 'ground-to-air-after-gap',
    };
    if (!observed && Number.isFinite(gapMs)) details.gapS = Math.round(gapMs / 1000);
    if (groundFix) details.lastGroundAt = iso(groundFix.t);
    if (inf) details.airportInference = inferenceDetails(inf);
    const arr = st.lastArr;
    if (observed && arr && !arr.inferred && s.t - arr.at <= TOUCH_AND_GO_MS && arr.airport?.icao === dep?.icao)
      details.touchAndGo = true;
    const evidence = groundFix ? [groundFix, s] : [s];
    this.emitTakeoff(st, { time, sample: s, departure: dep, evidence, details }, out);
  }

  /**
   * `lastAir`: the last position before a gap (reacquired): the aircraft cannot have departed before it, and
   * the leg it was flying ended at this departure airport — that landing is back-filled first.
   */
  private takeoffFromClimb(
    st: TrackState,
    s: Sample,
    reason: 'first-seen-climbing' | 'reacquired-climbing',
    out: FlightEvent[],
    lastAir?: Sample,
  ): void {
    if (s.alt == null) return;
    const inf = this.places.departureFor({ ...s, alt: s.alt }, this.classOf(st));
    if (!inf) return;
    const ap = inf.airport;
    const dep = toRef(ap, ap.distanceNm);
    const time = this.climbStart(s, dep, lastAir?.t ?? -Infinity);
    if (lastAir) this.backfillLanding(st, lastAir, inf, time, out);
    const details: TakeoffDetails = { inferred: true, reason, altFt: s.alt, airportInference: inferenceDetails(inf) };
    this.emitTakeoff(st, { time, sample: s, departure: dep, evidence: [s], details }, out);
  }

  /**
   * An open leg closed by the next takeoff: the aircraft was lost in the air and found climbing out of `dep`
   * long after, so it landed there unseen. The landing is timed as if it flew straight there from where it was
   * lost (never after the takeoff), flagged inferred, the gap stated.
   */
  private backfillLanding(
    st: TrackState,
    lastAir: Sample,
    dep: AirportInference,
    takeoffAt: number,
    out: FlightEvent[],
  ): void {
    const ap = dep.airport;
    const nm = haversineNm(lastAir.lat, lastAir.lon, ap.lat, ap.lon);
    const gs = lastAir.gs && lastAir.gs > 30 ? (lastAir.gs + FINAL_KT) / 2 : DEFAULT_APPROACH_KT;
    const time = Math.max(lastAir.t, Math.min(takeoffAt - MIN, lastAir.t + Math.round(((nm * 1.15) / gs) * 3_600_000)));
    const airport = toRef(ap, nm);
    const details: LandingDetails = {
      inferred: true,
      reason: 'closed-by-next-takeoff',
      signalLostAt: iso(lastAir.t),
      lastAltFt: lastAir.alt ?? null,
      lastDistanceNm: airport.distanceNm,
      gapS: Math.round((takeoffAt - lastAir.t) / 1000),
      airportInference: inferenceDetails(dep),
      ...this.legDetails(st, time),
    };
    this.emitLanding(st, { time, sample: lastAir, arrival: airport, where: ap, evidence: [lastAir], details }, out);
    st.lastArr = { airport, at: time, inferred: true };
  }

  /** Estimated takeoff time from the climb so far (height above the airport / climb rate), not before `notBefore`. */
  private climbStart(s: Sample, dep: AirportRef | undefined, notBefore: number): number {
    if (s.alt == null || !s.vr || s.vr < this.cfg.minClimbFpm) return s.t;
    const elev = dep ? this.places.elevationOf(dep.icao) : 0;
    const est = s.t - Math.round(((s.alt - elev) / s.vr) * MIN);
    return Math.min(s.t, Math.max(est, notBefore));
  }

  private emitTakeoff(st: TrackState, takeoff: Takeoff, out: FlightEvent[]): void {
    const { time, sample, departure, evidence, details } = takeoff;
    markEstimated(details, time, sample);
    this.setPhase(st, 'airborne', time, false);
    st.leg = { dep: departure, depAt: time, inferred: details.inferred };
    if (st.lastArr) delete st.lastArr.reverted;
    this.emit(st, { type: 'takeoff', idKey: 'takeoff', time, sample, airport: departure, evidence, details }, out);
  }

  /**
   * After an inferred landing the aircraft reappears, not climbing, low and slow near the same airport: it had
   * only dropped out of coverage on approach. Undo the ground phase silently; the landing was already announced.
   */
  private revertInferredLanding(st: TrackState, s: Sample): boolean {
    const arr = st.lastArr;
    if (!arr?.inferred || !arr.airport || s.t - arr.at > REVERT_WINDOW_MS) return false;
    if (this.isClimbing(s, undefined)) return false;
    const ap = this.places.lowSlowNear(s.lat, s.lon, s.alt, s.gs, s.trk);
    if (!ap || ap.icao !== arr.airport.icao) return false;
    this.setPhase(st, 'airborne', s.t, false);
    arr.reverted = true;
    return true;
  }

  // ---- landing ---------------------------------------------------------------------------------

  private landing(st: TrackState, before: Sample | undefined, s: Sample, gapMs: number, out: FlightEvent[]): void {
    const ap = this.places.at(s.lat, s.lon);
    const airport = ap ? toRef(ap, ap.distanceNm) : undefined;
    const leg = st.leg;
    if (leg?.depAt !== undefined && s.t - leg.depAt < GLITCH_MS && airport && leg.dep?.icao === airport.icao) {
      // A "ground" report seconds after lifting off from this very airport: the air/ground bit flapping on the
      // takeoff roll, not a landing. Stay airborne.
      s.g = false;
      return;
    }
    const observed = gapMs <= OBSERVED_GAP_MS;
    let time = s.t;
    const lastAir = before && !before.g ? before : undefined;
    if (!observed && lastAir) {
      // Touchdown somewhere between the last airborne and the first ground position: fly the rest at the last speed.
      const gs = lastAir.gs && lastAir.gs > 30 ? lastAir.gs : DEFAULT_APPROACH_KT;
      const nm = haversineNm(lastAir.lat, lastAir.lon, airport?.lat ?? s.lat, airport?.lon ?? s.lon);
      time = Math.min(s.t, lastAir.t + Math.round((nm / gs) * 3_600_000));
    }
    const arr = st.lastArr;
    const alreadyAnnounced =
      arr?.reverted && arr.airport && airport && arr.airport.icao === airport.icao && s.t - arr.at <= REVERT_WINDOW_MS;
    const details: LandingDetails = {
      inferred: !observed,
      reason: observed ? 'air-to-ground' : 'air-to-ground-after-gap',
      ...this.legDetails(st, time),
    };
    if (!observed && Number.isFinite(gapMs)) details.gapS = Math.round(gapMs / 1000);
    if (lastAir) details.lastAirborneAt = iso(lastAir.t);
    if (!alreadyAnnounced) {
      const where = { lat: airport?.lat ?? s.lat, lon: airport?.lon ?? s.lon };
      const evidence = lastAir ? [lastAir, s] : [s];
      this.emitLanding(st, { time, sample: s, arrival: airport, where, evidence, details }, out);
    }
    this.setPhase(st, 'ground', time, false);
    st.lastArr = { airport, at: time, inferred: !observed };
  }

  private emitLanding(st: TrackState, landing: Landing, out: FlightEvent[]): void {
    const { time, sample, arrival, where, evidence, details } = landing;
    markEstimated(details, time, sample);
    const landed = this.emit(
      st,
      { type: 'landing', idKey: 'landing', time, sample, airport: arrival, evidence, details },
      out,
    );
    for (const m of this.places.destinationsFor(arrival, where.lat, where.lon)) {
      this.emit(
        st,
        {
          type: 'destination',
          idKey: `destination:${m.id}`,
          time,
          sample,
          airport: m.airport,
          evidence,
          details: {
            via: m.via,
            inferred: details.inferred,
            ...(details.estimated ? { estimated: true } : {}),
            landingId: landed?.id ?? transitionId(st.hex, 'landing', time, arrival?.icao),
            ...(arrival && arrival.icao !== m.airport.icao ? { arrival: arrival.icao } : {}),
          },
          destination: { id: m.id },
        },
        out,
      );
    }
  }

  // ---- seen, squawk ----------------------------------------------------------------------------

  private seen(st: TrackState, rec: MatchedAircraft, sighting: Sighting, out: FlightEvent[]): void {
    const { stale, first } = sighting;
    let s: Sample | undefined;
    let airport: AirportRef | undefined;
    if (sighting.hasPosition) {
      const cls = this.classify(rec);
      s = this.fill({} as Sample, rec, cls === GROUND);
      // A stale airborne position says little about where the aircraft is now (200 kt × 4 min = 13 nm): no airport.
      const ap = s.g
        ? this.places.at(s.lat, s.lon)
        : stale
          ? undefined
          : this.places.airborneAt(s.lat, s.lon, s.alt, s.gs, s.trk);
      if (ap) airport = toRef(ap, ap.distanceNm);
    }
    const time = s ? s.t : rec.observedAt;
    const details: SeenDetails = {
      firstSighting: first,
      phase: s ? (s.g ? 'ground' : 'airborne') : 'unknown',
    };
    if (!first) details.quietMinutes = Math.round(sighting.quietGapMs / MIN);
    if (stale) details.stale = true;
    const evidence = [s ?? this.noPositionSample(rec)];
    this.emit(st, { type: 'seen', idKey: 'seen', time, sample: s, airport, evidence, details }, out);
  }

  private noPositionSample(rec: MatchedAircraft): Sample {
    return {
      t: rec.observedAt,
      lat: NaN,
      lon: NaN,
      alt: rec.onGround ? null : rec.altFt,
      og: rec.onGround,
      g: rec.onGround,
      gs: rec.gsKt,
      trk: rec.trackDeg,
      vr: rec.vrateFpm,
      age: rec.positionAgeS,
      src: rec.sourceId,
      fat: rec.fetchedAt,
      st: rec.sourceType,
    };
  }

  private squawk(st: TrackState, rec: MatchedAircraft, hasPos: boolean, out: FlightEvent[]): void {
    const code = rec.squawk as string;
    const cur = st.squawk;
    if (!this.squawks.has(code)) {
      if (cur && rec.observedAt >= cur.since) st.squawk = undefined;
      return;
    }
    const sample = hasPos ? this.fill({} as Sample, rec, rec.onGround) : this.noPositionSample(rec);
    if (!cur || cur.code !== code) {
      if (cur && rec.observedAt < cur.since) return;
      st.squawk = { code, since: rec.observedAt, fired: false, first: sample };
    }
    const sq = st.squawk as NonNullable<TrackState['squawk']>;
    if (rec.observedAt < sq.since) {
      // An older record of the same squawk (another source lagging): the squawk started earlier.
      sq.since = rec.observedAt;
      sq.first = sample;
    }
    const held = rec.observedAt - sq.since;
    if (sq.fired || held < this.holdMs) return;
    sq.fired = true;
    this.emit(
      st,
      {
        type: 'squawk',
        idKey: `squawk:${code}`,
        time: sq.since,
        sample: hasPos ? sample : undefined,
        airport: undefined,
        evidence: sq.first === sample ? [sample] : [sq.first, sample],
        details: { code, meaning: SQUAWK_MEANINGS[code] ?? 'watched squawk', heldS: Math.round(held / 1000) },
      },
      out,
    );
  }

  // ---- the event document ----------------------------------------------------------------------

  /** Appends the event document unless its id was emitted for this aircraft before; returns it when appended. */
  private emit<T extends EventType>(
    st: TrackState,
    draft: EventDraft<T>,
    out: FlightEventSink<NoInfer<T>>,
  ): FlightEventOf<T> | undefined {
    const { type, time, sample: s, airport, evidence, destination } = draft;
    const id = transitionId(st.hex, draft.idKey, time, airport?.icao);
    if (!rememberId(st, id)) return undefined;
    const aircraft: FlightEvent['aircraft'] = { hex: st.hex };
    const { registration, type: acType, callsign, operator } = st.ident;
    if (registration !== undefined) aircraft.registration = registration;
    if (acType !== undefined) aircraft.type = acType;
    if (callsign !== undefined) aircraft.callsign = callsign;
    if (operator !== undefined) aircraft.operator = operator;
    const ev: FlightEventOf<T> = {
      schema: EVENT_SCHEMA,
      id,
      type,
      time: iso(time),
      aircraft,
      watch: { ids: [...st.watch.ids], tags: [...st.watch.tags] },
      source: (s ?? evidence[evidence.length - 1])?.src ?? 'unknown',
      evidence: evidence.map(evidenceOf),
    };
    if (s && Number.isFinite(s.lat)) {
      const position: NonNullable<FlightEvent['position']> = { lat: s.lat, lon: s.lon, altFt: s.alt ?? null };
      if (s.gs !== undefined) position.gsKt = s.gs;
      if (s.trk !== undefined) position.trackDeg = s.trk;
      ev.position = position;
    }
    if (airport) ev.airport = airport;
    if (destination) ev.destination = destination;
    ev.details = draft.details;
    out.push(ev);
    return ev;
  }
}
