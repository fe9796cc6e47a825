/**
 * The routes detector extension: runs in the detector's track step right after the rules (same atomic step,
 * state in TrackState.ext.trips) and turns their takeoffs and landings into trips, scores the destination
 * of airborne aircraft, and announces `en_route` / `diversion`. Pure: no I/O (the callsign table is loaded by
 * the caller).
 */
import type { TripsConfig } from '../config/trips-schema';
import { isInferred, type AirportRef, type EnRouteDetails, type FlightEvent } from '../domain/event';
import { eventId } from '../detect/event-id';
import { Places, toRef } from '../detect/places';
import { lastSample, sampleAgo, windowInOrder, type Sample, type TrackState } from '../detect/track-state';
import type { DetectorExtension, DetectorExtensionContext } from '../detect/types';
import { routePrior, type CallsignRouteTable } from './callsign-routes';
import { fleetPriors, mergePriors, operatorKey, type FleetLegs } from './fleet-priors';
import { buildCandidates, type CandidateSet } from './candidates';
import { addTripId, emitTripEvent, evidenceOf } from './event';
import { bearingDeg } from '../geo/sphere';
import { historyPriors, recordLanding } from './history';
import { Predictor, type Corridor, type Evaluation, type Observation, type Scored, type Scores } from './predict';
import { tripsTrackState, type LegPrediction, type TripsTrackState } from './state';
import { closeTrip, onLanding, onTakeoff, openTrip, recordPoint, type TripContext } from './trips';

const MIN = 60_000;
const CANDIDATE_CACHE = new WeakMap<object, Map<string, CandidateSet>>();
const iso = (ms: number) => new Date(ms).toISOString();
/** Per-aircraft corridor lists kept at most (a pure cache: dropping one only costs a rebuild). */
const MAX_CORRIDORS = 20_000;

export interface TripsExtensionOptions {
  cfg: TripsConfig;
  callsignRoutes?: CallsignRouteTable;
  /** The archive's recent legs (operator, hub → where they went), current at each call; see fleet-priors.ts. */
  fleet?: () => FleetLegs | undefined;
}

export function tripsExtension(opts: TripsExtensionOptions) {
  return (ctx: DetectorExtensionContext): DetectorExtension => new TripsExtension(ctx, opts);
}

export class TripsExtension implements DetectorExtension {
  private readonly cfg: TripsConfig;
  private readonly places: Places;
  private readonly trips: TripContext;
  private readonly bucketMs: number;
  private candidates?: CandidateSet;
  private predictor?: Predictor;
  /** Candidates in each airborne aircraft's corridor (see Corridor); derived data, not state. */
  private readonly corridors = new Map<string, Corridor>();
  private readonly predictDestinations: boolean;

  constructor(
    private readonly ctx: DetectorExtensionContext,
    private readonly opts: TripsExtensionOptions,
  ) {
    this.cfg = opts.cfg;
    this.places = new Places(ctx.airports, ctx.detect, ctx.destinations);
    this.bucketMs = ctx.detect.eventIdBucketMinutes * MIN;
    this.trips = { cfg: this.cfg.stitch, places: this.places, bucketMs: this.bucketMs };
    this.predictDestinations = ctx.destinations.length > 0;
  }

  /** Built on first use (~5,000 airports) and shared by detectors over the same table and settings (config reloads, bench). */
  candidateSet(): CandidateSet {
    if (this.candidates) return this.candidates;
    const key = JSON.stringify([
      this.ctx.destinations,
      this.cfg.enRoute.candidateKinds,
      this.cfg.enRoute.kindWeights,
      this.cfg.enRoute.destinationWeight,
    ]);
    let byKey = CANDIDATE_CACHE.get(this.ctx.airports);
    if (!byKey) CANDIDATE_CACHE.set(this.ctx.airports, (byKey = new Map<string, CandidateSet>()));
    let set = byKey.get(key);
    if (!set) {
      if (byKey.size > 8) byKey.clear();
      byKey.set(key, (set = buildCandidates(this.ctx.airports, this.ctx.destinations, this.cfg.enRoute)));
    }
    return (this.candidates = set);
  }

  afterStep(st: TrackState, out: FlightEvent[], from: number, now: number, timeout: boolean): void {
    if (!this.cfg.enabled || !this.needsState(st, out, from, now, timeout)) return;
    const r = tripsTrackState(st);
    const end = out.length;
    for (let i = from; i < end; i++) {
      const ev = out[i]!;
      if (ev.aircraft.hex !== st.hex) continue;
      if (ev.type === 'takeoff') {
        r.trip = onTakeoff(st, r.trip, ev, this.trips, out);
        st.extDeadline = undefined;
        r.leg = this.newLeg(st, Date.parse(ev.time), ev.airport, r);
        this.corridors.delete(st.hex);
      } else if (ev.type === 'landing') {
        r.trip ??= openTrip(st, st.leg?.dep ?? null, st.leg?.depAt ?? null, Date.parse(ev.time), this.trips);
        this.diversion(st, r, ev, out);
        if (ev.airport?.icao)
          r.hist = recordLanding(
            r.hist,
            r.leg?.dep ?? st.leg?.dep?.icao,
            ev.airport.icao,
            Date.parse(ev.time),
            this.cfg.enRoute.history,
          );
        r.leg = undefined;
        this.corridors.delete(st.hex);
        onLanding(st, r.trip, ev, this.trips, out);
        st.extDeadline =
          r.trip.status === 'open' ? Date.parse(ev.time) + this.cfg.stitch.maxGroundStopMinutes * MIN : undefined;
      }
      if (r.trip) addTripId(ev, r.trip.id);
    }
    if (timeout && st.extDeadline !== undefined && st.extDeadline <= now) {
      const trip = r.trip;
      st.extDeadline = undefined;
      if (trip && trip.status === 'open' && st.phase !== 'airborne') {
        const last = trip.legs[trip.legs.length - 1];
        closeTrip(
          st,
          trip,
          (last?.arrivedAt ?? now) + this.cfg.stitch.maxGroundStopMinutes * MIN,
          'ground-stop-limit',
          this.trips,
          out,
        );
      }
    }
    if (st.phase === 'airborne' && !timeout) this.airborne(st, r, out);
    st.extWake = this.wake(r);
  }

  /**
   * Whether this step would change the entry at all (else it is not read: with the Redis store, reading and
   * writing it back was a fifth of a step's cost): an event of this aircraft (trips follow takeoffs and
   * landings, and every event carries its trip's id), the trip timer, or an airborne position at or past the
   * entry's wake time (see wake()). Everything else leaves the entry as it is, as airborne() would.
   */
  private needsState(st: TrackState, out: FlightEvent[], from: number, now: number, timeout: boolean): boolean {
    for (let i = from; i < out.length; i++) if (out[i]!.aircraft.hex === st.hex) return true;
    if (timeout) return st.extDeadline !== undefined && st.extDeadline <= now;
    if (st.phase !== 'airborne') return false;
    const s = lastSample(st);
    if (!s || s.g || s.alt == null) return false;
    return st.extWake === undefined || s.t >= st.extWake;
  }

  /**
   * The position time from which airborne() next changes the entry: the open leg's next map point
   * (recordPoint: a point every `gap`), and with destinations to score, the leg's next evaluation. Undefined
   * (every airborne step) when there is no open trip or no leg prediction yet: airborne() creates them.
   */
  private wake(r: TripsTrackState): number | undefined {
    const trip = r.trip;
    if (!trip || trip.status === 'closed') return undefined;
    const leg = trip.legs[trip.legs.length - 1];
    let wake = Number.MAX_SAFE_INTEGER; // no open leg: no point to record
    if (leg && leg.arrivedAt === undefined) {
      const last = leg.pts[leg.pts.length - 1];
      if (!last) return undefined;
      wake = last[0] + leg.gap;
    }
    if (!this.predictDestinations) return wake;
    if (!r.leg) return undefined;
    const e = this.cfg.enRoute;
    return Math.min(wake, Math.max(r.leg.evalAt + e.evaluateEverySeconds * 1000, r.leg.key + e.minFlightMinutes * MIN));
  }

  private newLeg(st: TrackState, key: number, dep: AirportRef | null | undefined, r: TripsTrackState): LegPrediction {
    const leg: LegPrediction = { key, dep: dep?.icao ?? null, evalAt: 0, streak: {}, emitted: [] };
    const h = this.cfg.enRoute.history;
    const fleet = h.fleet.enabled ? this.opts.fleet?.() : undefined;
    if (this.predictDestinations && h.enabled && (r.hist?.length || fleet?.legs.length)) {
      // Generic prior mass around the departure (or where the leg was first seen): what history is weighed against.
      const at = dep && Number.isFinite(dep.lat) ? dep : lastSample(st);
      const mass = at ? this.predictorFor().genericMass(at.lat, at.lon) : 0;
      const own = at && r.hist?.length ? historyPriors(r.hist, leg.dep, key, mass, h) : [];
      const op = operatorKey(st.ident.callsign, st.ident.operator);
      const fromFleet = fleetPriors(fleet, op, leg.dep, key, mass, h);
      const prior = mergePriors(own, fromFleet, r.hist?.length ?? 0, h.maxAirports);
      if (prior.length) leg.prior = prior;
      // A fleet prior is a guess about this airframe from others' legs: announce on it only with more confidence.
      if (fromFleet.length) leg.threshold = Math.max(this.cfg.enRoute.threshold, h.fleet.threshold);
    }
    // A leg is not announced en route to a destination it departed from: it would name where the aircraft is
    // leaving (a return leg out of Shenyang over China), and a hop inside it is reported on landing.
    if (dep && this.predictDestinations) {
      const from = this.places.destinationsFor(dep, dep.lat, dep.lon).map((m) => m.id);
      if (from.length) leg.from = from;
    }
    return leg;
  }

  private predictorFor(): Predictor {
    return (this.predictor ??= new Predictor(this.candidateSet(), this.cfg.enRoute));
  }

  private airborne(st: TrackState, r: TripsTrackState, out: FlightEvent[]): void {
    const s = lastSample(st);
    if (!s || s.g || s.alt == null) return;
    if (!r.trip || r.trip.status === 'closed') {
      // Airborne without a takeoff we saw (first sighting in flight): the trip starts here, origin unknown.
      r.trip = openTrip(st, st.leg?.dep ?? null, st.leg?.depAt ?? null, st.phaseAt, this.trips);
    }
    recordPoint(r.trip, s, this.cfg.stitch.mapPointsPerLeg);
    if (!this.predictDestinations) return;
    r.leg ??= this.newLeg(st, st.leg?.depAt ?? st.phaseAt, st.leg?.dep, r);
    const leg = r.leg;
    const e = this.cfg.enRoute;
    if (s.t - leg.evalAt < e.evaluateEverySeconds * 1000) return;
    if (s.t - leg.key < e.minFlightMinutes * MIN) return;
    const obs = this.observe(st, s);
    if (!obs) return;
    leg.evalAt = s.t;
    const prior =
      this.opts.callsignRoutes && st.ident.callsign
        ? routePrior(this.opts.callsignRoutes.get(st.ident.callsign), this.ctx.airports, s.lat, s.lon, obs.trackDeg)
        : undefined;
    const dep = st.leg?.dep && st.leg.dep.icao === leg.dep ? st.leg.dep : undefined;
    const predictor = this.predictorFor();
    const ev = predictor.observe(obs, {
      priorIcao: prior?.next,
      priorWeight: this.cfg.callsignRoutes.weight,
      history: leg.prior,
      dep,
    });
    const dests = this.ctx.destinations;
    const threshold = leg.threshold ?? e.threshold;
    const scores = this.scoreIfLikely(st.hex, ev, leg.from, threshold);
    if (!scores) {
      for (const id in leg.streak) delete leg.streak[id];
      return;
    }
    dests.forEach((d, k) => {
      const p = scores.destinationP[k] ?? 0;
      const best = scores.best(k);
      if (!best || p < threshold || leg.from?.includes(d.id)) {
        delete leg.streak[d.id];
        return;
      }
      const streak = (leg.streak[d.id] ?? 0) + 1;
      leg.streak[d.id] = streak;
      if (streak < e.confirmEvaluations || leg.emitted.some((x) => x.destination === d.id)) return;
      this.emitEnRoute(st, r, d.id, p, best, scores.top(4), obs, s, prior, out);
    });
  }

  /**
   * The scores of an evaluation when some destination (other than those the leg departed from) may reach the
   * threshold; undefined when none can. Cheap bound first: most evaluations have no destination anywhere near
   * ahead.
   */
  private scoreIfLikely(
    hex: string,
    ev: Evaluation,
    from: readonly string[] | undefined,
    threshold: number,
  ): Scores | undefined {
    const predictor = this.predictorFor();
    const gate = predictor.gate(ev, threshold);
    const possible = this.ctx.destinations.some((d, k) => (gate.bound[k] ?? 0) >= threshold && !from?.includes(d.id));
    if (!possible) return undefined;
    const cached = this.corridors.get(hex);
    const corridor = predictor.corridor(ev, cached);
    if (corridor !== cached) {
      if (!cached && this.corridors.size >= MAX_CORRIDORS) this.corridors.clear();
      this.corridors.set(hex, corridor);
    }
    return predictor.scoreIfAnyReaches(ev, corridor, gate, threshold);
  }

  /** Position, course, speed and altitude trend from the newest sample (and the window when fields are missing). */
  private observe(st: TrackState, s: Sample): Observation | undefined {
    if (s.gs === undefined || s.gs < 80) return undefined;
    let trk = s.trk;
    let vr = s.vr;
    if (trk === undefined || vr === undefined) {
      for (let k = 1; k < 8; k++) {
        const b = sampleAgo(st, k);
        if (!b || b.g) break;
        if (s.t - b.t < 60_000) continue;
        if (s.t - b.t > 10 * MIN) break;
        trk ??= bearingDeg(b.lat, b.lon, s.lat, s.lon);
        if (vr === undefined && b.alt != null && s.alt != null) vr = ((s.alt - b.alt) / (s.t - b.t)) * MIN;
        break;
      }
    }
    if (trk === undefined || s.alt == null) return undefined;
    return { t: s.t, lat: s.lat, lon: s.lon, altFt: s.alt, gsKt: s.gs, trackDeg: trk, vrateFpm: vr ?? 0 };
  }

  private emitEnRoute(
    st: TrackState,
    r: TripsTrackState,
    destId: string,
    p: number,
    best: Scored,
    top: Scored[],
    obs: Observation,
    s: Sample,
    prior: ReturnType<typeof routePrior>,
    out: FlightEvent[],
  ): void {
    const leg = r.leg!;
    const a = best.candidate.airport;
    const airport = toRef(a, best.distanceNm);
    const evidence = windowInOrder(st)
      .filter((x) => !x.g)
      .slice(-4)
      .map(evidenceOf);
    const details: EnRouteDetails = {
      tripId: r.trip?.id,
      confidence: round(p),
      eta: iso(Math.round(best.etaMs / 60_000) * 60_000),
      etaMinutes: Math.round((best.etaMs - obs.t) / 60_000),
      distanceNm: Math.round(best.distanceNm),
      departure: leg.dep,
      alternatives: top
        .filter((x) => x.candidate.airport.icao !== a.icao)
        .slice(0, 3)
        .map((x) => ({ icao: x.candidate.airport.icao, p: round(x.p) })),
      basis: ['track', ...(prior ? ['callsign-route'] : []), ...(leg.prior?.length ? ['history'] : [])].join('+'),
    };
    if (prior) details.callsignRoute = { route: prior.route, next: prior.next, offRouteNm: prior.offRouteNm };
    // The airframe's own past legs that shaped this prediction (airport, prior weight, how many legs).
    if (leg.prior?.length)
      details.history = leg.prior.slice(0, 4).map(([icao, weight, legs]) => ({ icao, weight, legs }));
    const ev = emitTripEvent(
      st,
      {
        type: 'en_route',
        id: eventId(st.hex, `en_route:${destId}`, leg.key, this.bucketMs),
        time: s.t,
        sample: s,
        airport,
        destination: destId,
        evidence,
        details,
      },
      out,
    );
    // Once per leg and destination, emitted or (already emitted before a restart) not.
    leg.emitted.push({ destination: destId, icao: a.icao, p: round(p), eta: best.etaMs, at: s.t });
    void ev;
  }

  /** The leg was announced en route to a destination and landed somewhere that is not it. */
  private diversion(st: TrackState, r: TripsTrackState, landing: FlightEvent, out: FlightEvent[]): void {
    const leg = r.leg;
    if (!leg || !leg.emitted.length) return;
    const lat = landing.airport?.lat ?? landing.position?.lat;
    const lon = landing.airport?.lon ?? landing.position?.lon;
    const reached =
      lat === undefined || lon === undefined
        ? []
        : this.places.destinationsFor(landing.airport, lat, lon).map((m) => m.id);
    const missed = leg.emitted.filter((x) => !reached.includes(x.destination));
    if (!missed.length) return;
    const first = missed[0]!;
    const time = Date.parse(landing.time);
    emitTripEvent(
      st,
      {
        type: 'diversion',
        id: eventId(st.hex, `diversion:${first.destination}`, leg.key, this.bucketMs),
        time,
        sample: lastSample(st),
        airport: landing.airport ?? null,
        destination: first.destination,
        evidence: landing.evidence,
        details: {
          tripId: r.trip?.id,
          predicted: missed.map((x) => ({
            destination: x.destination,
            icao: x.icao,
            confidence: x.p,
            eta: iso(x.eta),
            announcedAt: iso(x.at),
          })),
          landedAt: landing.airport?.icao ?? null,
          landingId: landing.id,
          departure: leg.dep,
          ...(isInferred(landing) ? { inferred: true } : {}),
        },
      },
      out,
    );
  }
}

const round = (p: number) => Math.round(p * 1000) / 1000;
