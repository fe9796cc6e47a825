/**
 * npm run bench:routes — issue "Routes", Tests and figures: en-route destination prediction on generated legs
 * flown through the real detector (with the routes extension) over the full airport table. docs/trips.md
 * "Figures" explains the sets and the measured numbers.
 *
 * Destinations: those of the shipped config/flightwatch.yaml (entries of airports + countries: shenyang = ZYTX
 * + CN, northern-triangle = MGGT/MHLM/MSLP + GT/HN/SV, colombia = SKBO + CO), which is what `en_route` names.
 * Each leg is labelled by where it lands, with the detector's own destination rule (airport, radius, country):
 * a leg "ends at a configured destination" when its landing would raise `destination`.
 *
 * The legs (deterministic, seeded; BENCH_SEED) are built to be hard, not flattering:
 *  - dest:        hubs (KAEX, KIWA, KHRL, KELP, KMIA, KSAT, KBRO) → the named airports, and a quarter to other
 *                 airports in the destination countries; long-haul trips to Shenyang with fuel stops;
 *  - near:        to airports near the destinations but outside them (Tapachula, Belize, Managua, San José,
 *                 Panamá, …; Seoul, Pyongyang, Vladivostok, Hong Kong);
 *  - pass:        15–80 nm abeam a destination airport — over its country — landing beyond it outside every
 *                 destination (Lima, Quito, Guayaquil, Caracas, …; Anchorage/Tokyo/Seoul → Pyongyang or
 *                 Ulaanbaatar past Shenyang), on routes at most MAX_PASS_DETOUR longer than the great circle;
 *  - other:       domestic and unrelated legs, return legs;
 *  - diversion:   to a destination airport, turning 15–60 minutes out to an alternate outside it.
 * Routes are not great circles: airway detours (σ ≈ 4 % of the length) and an arrival fix 30–70 nm out, up to
 * 40° off the inbound course; cruise 31–43k ft at 420–490 kt; descent 1,500–2,500 fpm.
 *
 * Sets: the primary **fleet** — airframes that fly their usual rotation with probability BENCH_HABIT_SHARE
 * (0.6), else one drawn from the mix; two warm-up rotations (not counted: the airframe's past, which the
 * detector learns from its own landings), six counted (outbound legs). `withoutHistory`: the same legs with
 * trips.enRoute.history off. `lowHabit`: a fleet with habit 0.3. `coldStart`: one flight per airframe (no
 * past; some callsigns carry a right route in the callsign table, some a wrong one) and its `perAirport` setup
 * (every airport its own destination, no countries). `coldStartFleetPriors`: the single-flight set with the hub
 * prior (another fleet's legs). `coldStartOperators`: new airframes of the watchlist's charter operators, each
 * operator with destination habits (flown with probability BENCH_OPERATOR_HABIT, 0.7, else a leg from the mix),
 * with operator + hub priors from other airframes' archived legs, hub priors only, and no priors (baseline).
 * `otherSeeds`: the primary figure for seeds 1–5
 * (BENCH_ROUTES_SEEDS) in child processes, and the mean with the default seed; `coldStartOperators.otherSeeds`
 * the same for the operators' cold start (BENCH_ROUTES_OPERATOR_SEEDS, default 1–5; empty: none).
 *
 * Figures (per set): rightShare (legs ending at a configured destination for which en_route named it before
 * landing), leadMinutesMedian (minutes before landing of that first right en_route), falseShare (near/pass/
 * other legs with any en_route). Baseline in the same run: "heading only" — a destination airport is named when
 * it lies within ±5° of the track, < 1,500 nm ahead, above 10,000 ft, for two consecutive minutes.
 * Env: BENCH_LEGS_SCALE (default 1), BENCH_ROUTES_CONFIG (JSON `trips:` overrides; default: the shipped
 * defaults), BENCH_ROUTES_PRIMARY_ONLY=1 (tuning: only the primary and its no-history twin; others null),
 * BENCH_ROUTES_COLD_FLEET=1 (with PRIMARY_ONLY: also the cold starts with and without fleet priors),
 * BENCH_ROUTES_COLD_ONLY=1 (tuning: no primary set) or =operators (only the operators' cold start),
 * BENCH_ROUTES_DEBUG=1 (where the first en_route of each right and false leg fired, and the misses),
 * FLIGHTWATCH_DATA_DIR (airport table dir; default data → npm fallback).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../src/config/load';
import { detectSchema } from '../src/config/detect-schema';
import { destinationSchema, type Destination } from '../src/config/schema';
import { tripsSchema } from '../src/config/trips-schema';
import { loadAirportIndex } from '../src/data/load-airports';
import { createDetector } from '../src/detect';
import { Places, toRef } from '../src/detect/places';
import type { EnRouteEvent, FlightEvent } from '../src/domain/event';
import type { Airport } from '../src/places/airport-index';
import { parseCallsignRoutes, tripsExtension, type FleetLeg, type FleetLegs } from '../src/trips';
import { generatePathFlight, type PathLeg, type PathLegTimes } from '../src/sim/route-path';
import { bearingDeg, destinationPoint, distanceNm, interpolate, toPolls, type LatLon } from '../src/sim';
import type { Poll } from '../src/sim/polls';
import type { AircraftState } from '../src/domain/aircraft-state';
import { mulberry32 } from '../src/sim/random';

const SCALE = Number(process.env.BENCH_LEGS_SCALE ?? 1);
const TARGETS = { rightShare: 0.9, leadMinutesMedian: 30, falseShare: 0.05 };
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 1, 6);

const SEED = Number(process.env.BENCH_SEED ?? 20250301);
const rnd = mulberry32(SEED);
const uni = (a: number, b: number) => a + (b - a) * rnd();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

/** The harder secondary setup: every airport its own destination, no countries (what this bench used at first). */
const PER_AIRPORT = [
  { id: 'shenyang', airports: ['ZYTX'] },
  { id: 'guatemala', airports: ['MGGT'] },
  { id: 'san-pedro-sula', airports: ['MHLM'] },
  { id: 'san-salvador', airports: ['MSLP'] },
  { id: 'santo-domingo', airports: ['MDSD'] },
  { id: 'bogota', airports: ['SKBO'] },
];
const HUBS = ['KAEX', 'KIWA', 'KHRL', 'KELP', 'KMIA', 'KSAT', 'KBRO'];
/** The named destination airports of Central/South America. */
const CA_MAIN = ['MGGT', 'MHLM', 'MSLP', 'SKBO'];
/** Other airports in the shipped config's destination countries (GT, HN, SV, CO): landing there is reaching the destination. */
const CA_IN_COUNTRY = ['MHTG', 'MSSS', 'MHSC', 'MHRO', 'MHLC', 'SKRG', 'SKCL', 'SKBQ', 'SKCG', 'MGCB'];
/** Airports near the destinations but outside their countries (Tapachula 60 nm from the Guatemalan border, Belize, Managua, …). */
const NEAR = [
  'MMTP',
  'MZBZ',
  'MNMG',
  'MROC',
  'MRLB',
  'MMUN',
  'MMMD',
  'MMVA',
  'MDSD',
  'MDST',
  'MDPC',
  'MPTO',
  'SVMC',
  'MKJP',
  'TJSJ',
];
/** Near Shenyang / China but not in CN: Pyongyang, Vladivostok, Seoul, Busan, Hong Kong. */
const NEAR_CN = ['RKSI', 'RKSS', 'ZKPY', 'UHWW', 'VHHH', 'RKPK'];
const DOMESTIC = [
  'KDFW',
  'KIAH',
  'KPHX',
  'KLAS',
  'KATL',
  'KORD',
  'KDEN',
  'KMSY',
  'KSLC',
  'KBOI',
  'KOKC',
  'KMEM',
  'KSTL',
  'KJFK',
  'KLAX',
  'KSEA',
];
/** Beyond the Central American / Colombian destinations, outside their countries. */
const FAR_BEYOND_CA = ['SPJC', 'SPIM', 'SEQM', 'SEGU', 'MPTO', 'SVMI', 'MROC', 'MNMG', 'TNCC', 'MRLB', 'SVMC'];
/** Beyond Shenyang from Anchorage, outside China (the track crosses Chinese airspace). */
const BEYOND_ZYTX = ['ZKPY', 'ZMUB', 'ZMCK'];
/** Origins of the flights that pass Shenyang on their way beyond it. */
const PASS_CN_FROM = ['PANC', 'RJAA', 'RKSI', 'RKSS'];
/**
 * An overflight is a real route: flying abeam the destination is at most this much longer than the great circle
 * to where it lands (airway routes run a few percent longer; a 20 % dogleg — Miami → Guayaquil via El Salvador,
 * Anchorage → Ulaanbaatar via Shenyang — is no route anyone flies, and looks to any observer like a flight to
 * the place it heads for). The predictor's own route fit tolerates 15 %.
 */
const MAX_PASS_DETOUR = 0.1;

type Kind = 'dest' | 'near' | 'pass' | 'other' | 'diversion';
interface LegPlan {
  /** What the generator meant; what counts is where the leg lands (labelled per destination setup). */
  kind: Kind;
  leg: PathLeg;
  to: string;
  /** Diversions: the airport the leg was flying to before it turned. */
  plannedTo?: string;
  desc: string;
  /** Fleet: the way home after a rotation (reported apart, not in the shares). */
  ret?: boolean;
  /** Fleet: false for the warm-up rotations (flown, so the airframe has a past, but not counted). */
  measured?: boolean;
}
/** Legs one airframe flies, with their times, positions and the polls that carry them. */
interface Flown {
  plans: LegPlan[];
  times: PathLegTimes[];
  states: AircraftState[];
  polls: Poll[];
}
interface FlightPlan {
  legs: LegPlan[];
  callsign?: string;
}

/** Destinations of the shipped config (the bench measures what users run). */
function shippedDestinations(): Destination[] {
  const file = path.resolve(__dirname, '../config/flightwatch.yaml');
  return loadConfig(file).destinations;
}

async function main() {
  const index = await loadAirportIndex({
    dir: process.env.FLIGHTWATCH_DATA_DIR ?? 'data',
    warn: (m) => console.error(m),
  });
  const ap = (icao: string): Airport => {
    const a = index.byIcao(icao);
    if (!a) throw new Error(`bench: airport ${icao} not in the table`);
    return a;
  };
  const has = (icao: string) => index.byIcao(icao) !== undefined;
  const setups = [
    {
      name: 'shipped',
      label: 'destinations of config/flightwatch.yaml (airports + countries per entry)',
      destinations: shippedDestinations(),
    },
    {
      name: 'perAirport',
      label: 'harder setup: each airport its own destination, no countries',
      destinations: PER_AIRPORT.map((d) => destinationSchema.parse(d)),
    },
  ].map((s) => {
    const places = new Places(index, detectSchema.parse({}), s.destinations);
    const memo = new Map<string, string[]>();
    /** Configured destinations a landing at this airport reaches (same rule as the detector's `destination`). */
    const reaches = (icao: string): string[] => {
      let r = memo.get(icao);
      if (!r) {
        const a = ap(icao);
        memo.set(icao, (r = places.destinationsFor(toRef(a), a.lat, a.lon).map((m) => m.id)));
      }
      return r;
    };
    return { ...s, reaches };
  });
  const reachesAny = (icao: string) => setups.some((s) => s.reaches(icao).length > 0);
  const pt = (a: Airport) => ({ lat: a.lat, lon: a.lon, elevationFt: a.elevationFt ?? 0 });

  /** A realistic path from a to b: airway detours and an arrival fix. */
  function path_(a: Airport, b: Airport, via?: LatLon): PathLeg['path'] {
    const L = distanceNm(a, b);
    const out: PathLeg['path'] = [pt(a)];
    const detour = (f: number) => {
      const base = interpolate(a, b, f);
      const off = Math.max(-0.1, Math.min(0.1, 0.04 * gauss())) * L;
      return destinationPoint(base, bearingDeg(base, b) + 90, off);
    };
    if (via) out.push(via);
    else if (L > 1500) out.push(detour(1 / 3), detour(2 / 3));
    else if (L > 250) out.push(detour(0.5));
    if (L > 200) {
      const inbound = bearingDeg(out[out.length - 1]!, b);
      out.push(destinationPoint(b, inbound + 180 + uni(-40, 40), uni(30, 70)));
    }
    out.push(pt(b));
    return out;
  }
  const profile = (): Omit<PathLeg, 'path'> => ({
    cruiseAltFt: Math.round(uni(31, 43)) * 1000,
    cruiseKt: uni(420, 490),
    descentFpm: uni(1500, 2500),
    descentKt: uni(230, 290),
    climbFpm: uni(1800, 3200),
    groundBeforeMin: uni(6, 20),
  });
  const leg = (kind: Kind, from: string, to: string, extra: Partial<LegPlan> = {}, via?: LatLon): LegPlan => ({
    kind,
    to,
    leg: { ...profile(), path: path_(ap(from), ap(to), via) },
    desc: `${from}-${to}`,
    ...extra,
  });

  const flights: FlightPlan[] = [];
  const n = (k: number) => Math.max(1, Math.round(k * SCALE));
  // To the destinations: mostly their named airports, a quarter other airports in their countries.
  for (let i = 0; i < n(140); i++)
    flights.push({ legs: [leg('dest', pick(HUBS), rnd() < 0.75 ? pick(CA_MAIN) : pick(CA_IN_COUNTRY))] });
  // Long-haul removal trips to Shenyang with fuel stops, and the way back.
  for (let i = 0; i < n(14); i++) {
    const hub = pick(['KAEX', 'KIWA', 'KSAT']);
    const stop = pick(['RKSI', 'RJAA', 'PANC']);
    const legs =
      stop === 'PANC'
        ? [
            leg('other', hub, 'PANC'),
            leg('dest', 'PANC', 'ZYTX'),
            leg('other', 'ZYTX', 'PANC'),
            leg('other', 'PANC', hub),
          ]
        : [
            leg('other', hub, 'PANC'),
            leg('near', 'PANC', stop),
            leg('dest', stop, 'ZYTX'),
            leg('other', 'ZYTX', 'PANC'),
            leg('other', 'PANC', hub),
          ];
    flights.push({ legs });
  }
  for (let i = 0; i < n(10); i++) flights.push({ legs: [leg('dest', pick(['PANC', 'RJAA', 'RKSI', 'ZSPD']), 'ZYTX')] });
  // Near: airports close to the destinations, outside their countries.
  for (let i = 0; i < n(90); i++) flights.push({ legs: [leg('near', pick(HUBS), pick(NEAR.filter(has)))] });
  for (let i = 0; i < n(20); i++)
    flights.push({ legs: [leg('near', pick(['PANC', 'RJAA', 'ZSPD', 'ZBAA']), pick(NEAR_CN.filter(has)))] });
  // Pass: abeam a destination airport at 15–80 nm (over its country), landing beyond it, outside the destinations,
  // on a route at most MAX_PASS_DETOUR longer than the great circle.
  const passOptions = (hub: Airport, abeam: readonly string[], beyond: readonly string[]) =>
    abeam.map(ap).flatMap((d) => {
      const dd = distanceNm(hub, d);
      return beyond
        .filter(has)
        .map(ap)
        .filter((f) => distanceNm(hub, f) > dd + 150 && distanceNm(d, f) > 150 && !reachesAny(f.icao))
        .filter((f) => (dd + distanceNm(d, f)) / distanceNm(hub, f) - 1 <= MAX_PASS_DETOUR)
        .map((f) => ({ d, f }));
    });
  const passLeg = (hub: Airport, o: { d: Airport; f: Airport }): LegPlan => {
    const via = destinationPoint(o.d, bearingDeg(hub, o.d) + (rnd() < 0.5 ? 90 : -90), uni(15, 80));
    return leg('pass', hub.icao, o.f.icao, { desc: `${hub.icao}-${o.f.icao} abeam ${o.d.icao}` }, via);
  };
  /** The options per hub, computed once (the fleet asks for them at every rotation). */
  const memoByHub = (f: (hub: Airport) => { d: Airport; f: Airport }[]) => {
    const memo = new Map<string, { d: Airport; f: Airport }[]>();
    return (hub: Airport) => memo.get(hub.icao) ?? memo.set(hub.icao, f(hub)).get(hub.icao)!;
  };
  const passAmericas = memoByHub((hub) => passOptions(hub, CA_MAIN, FAR_BEYOND_CA));
  const passChina = memoByHub((hub) => passOptions(hub, ['ZYTX'], BEYOND_ZYTX));
  for (let i = 0; i < n(60); i++) {
    let hub: Airport;
    do hub = ap(pick(HUBS));
    while (!passAmericas(hub).length);
    flights.push({ legs: [passLeg(hub, pick(passAmericas(hub)))] });
  }
  const passCnFrom = PASS_CN_FROM.filter((h) => has(h) && passChina(ap(h)).length);
  for (let i = 0; i < n(8); i++) {
    const hub = ap(pick(passCnFrom));
    flights.push({ legs: [passLeg(hub, pick(passChina(hub)))] });
  }
  // Other: domestic and unrelated; return legs.
  for (let i = 0; i < n(60); i++) {
    const a = pick([...HUBS, ...DOMESTIC]);
    let b = pick(DOMESTIC);
    if (b === a) b = 'KDFW' === a ? 'KORD' : 'KDFW';
    flights.push({ legs: [leg('other', a, b)] });
  }
  for (let i = 0; i < n(20); i++)
    flights.push({ legs: [leg('other', pick([...CA_MAIN, ...CA_IN_COUNTRY]), pick(HUBS))] });
  // Diversions: flying to a named destination airport, turning 15–60 min out to an alternate that reaches no destination.
  const diversionLeg = (hub: Airport): LegPlan => {
    const d = ap(pick(CA_MAIN));
    const outMin = uni(15, 60);
    const turnNm = Math.min(distanceNm(hub, d) * 0.5, outMin * 7.5);
    const turn = interpolate(d, hub, turnNm / distanceNm(hub, d));
    const alts = index
      .within(turn.lat, turn.lon, { maxNm: 400, kinds: ['large_airport', 'medium_airport'], limit: 200 })
      .filter((x) => distanceNm(x, d) > 40 && x.distanceNm > 60 && !reachesAny(x.icao));
    const alt = pick(alts);
    const l: PathLeg = { ...profile(), path: [pt(hub), ...path_(hub, d).slice(1, -2), turn, pt(alt)] };
    return {
      kind: 'diversion',
      to: alt.icao,
      plannedTo: d.icao,
      leg: l,
      desc: `${hub.icao}-${d.icao} diverted to ${alt.icao}`,
    };
  };
  for (let i = 0; i < n(25); i++) flights.push({ legs: [diversionLeg(ap(pick(HUBS)))] });
  // Callsigns: 20 % carry a right route, 10 % a wrong one (charters reuse callsigns).
  const csv = ['Callsign,Code,Number,AirlineCode,AirportCodes'];
  flights.forEach((f, i) => {
    const r = rnd();
    const first = f.legs[0]!;
    const from = first.desc.slice(0, 4);
    if (r < 0.2) {
      f.callsign = `BNC${100 + i}`;
      csv.push(`${f.callsign},BNC,${100 + i},BNC,${from}-${first.plannedTo ?? first.to}`);
    } else if (r < 0.3) {
      f.callsign = `BNC${100 + i}`;
      csv.push(`${f.callsign},BNC,${100 + i},BNC,${from}-${pick(CA_MAIN)}`);
    }
  });
  const callsignRoutes = parseCallsignRoutes(csv.join('\n'), 'bench callsign routes');
  const routes = tripsSchema.parse(JSON.parse(process.env.BENCH_ROUTES_CONFIG ?? '{}'));
  const routesNoHistory = tripsSchema.parse({
    ...routes,
    enRoute: { ...routes.enRoute, history: { ...routes.enRoute.history, enabled: false } },
  });

  // ---- The fleet: the same kinds of legs, flown by a fixed set of airframes in rotations ----
  // A monitor watches a fleet that flies again and again: each airframe has a usual rotation (hub → its usual
  // airport → hub) that it flies with probability `habit`, otherwise a rotation drawn from the same mix as the
  // single-flight set (destinations, near, pass, other, diversions). WARM rotations per airframe are flown
  // first and not counted (the airframe's past, learned by the detector itself from its own landings); the
  // next MEASURED rotations are counted, outbound legs only (the way home is reported apart).
  type Habit = { kind: 'dest' | 'near' | 'pass' | 'other' | 'diversion' | 'longhaul' | 'passCN'; to: string };
  /** A rotation drawn in the proportions of the single-flight set (dest 140 : near 90 : pass 60 : other 60 : diversion 25). */
  const americasRotation = (hub: string): Habit => {
    const r = rnd() * 375;
    if (r < 140) return { kind: 'dest', to: rnd() < 0.75 ? pick(CA_MAIN) : pick(CA_IN_COUNTRY) };
    if (r < 230) return { kind: 'near', to: pick(NEAR.filter(has)) };
    if (r < 290 && passAmericas(ap(hub)).length) return { kind: 'pass', to: pick(passAmericas(ap(hub))).f.icao };
    if (r < 350) return { kind: 'other', to: pick(DOMESTIC.filter((x) => x !== hub)) };
    return { kind: 'diversion', to: '' };
  };
  /** Asia-based airframes (dest ZYTX 10 : near 20 : pass across China 8, as in the single-flight set). */
  const asiaRotation = (hub: string): Habit => {
    const r = rnd() * 38;
    if (r < 10) return { kind: 'dest', to: 'ZYTX' };
    if (r < 30 || !passChina(ap(hub)).length)
      return {
        kind: 'near',
        to: pick(NEAR_CN.filter(has).filter((x) => x !== hub && distanceNm(ap(x), ap(hub)) > 150)),
      };
    return { kind: 'passCN', to: pick(passChina(ap(hub))).f.icao };
  };
  const turnaround = (l: LegPlan): LegPlan => ({ ...l, ret: true, leg: { ...l.leg, groundBeforeMin: uni(45, 120) } });
  function rotation(hub: string, h: Habit): LegPlan[] {
    if (h.kind === 'longhaul') {
      const stop = pick(['RKSI', 'RJAA', 'PANC']);
      const back = [turnaround(leg('other', 'ZYTX', 'PANC')), { ...leg('other', 'PANC', hub), ret: true }];
      return stop === 'PANC'
        ? [leg('other', hub, 'PANC'), leg('dest', 'PANC', 'ZYTX'), ...back]
        : [leg('other', hub, 'PANC'), leg('near', 'PANC', stop), leg('dest', stop, 'ZYTX'), ...back];
    }
    let out: LegPlan;
    if (h.kind === 'pass') out = passLeg(ap(hub), pick(passAmericas(ap(hub)).filter((o) => o.f.icao === h.to)));
    else if (h.kind === 'passCN') out = passLeg(ap(hub), pick(passChina(ap(hub)).filter((o) => o.f.icao === h.to)));
    else if (h.kind === 'diversion') out = diversionLeg(ap(hub));
    else out = leg(h.kind, hub, h.to);
    return [out, turnaround(leg('other', out.to, hub))];
  }
  const WARM = 2;
  const MEASURED = 6;
  function fleet(habitShare: number, hexBase: number): Flown[] {
    const tails: { hub: string; habit: Habit; draw: (hub: string) => Habit }[] = [];
    const habitOf = (draw: (hub: string) => Habit, hub: string) => {
      let h: Habit;
      do h = draw(hub);
      while (h.kind === 'diversion'); // a diversion is something that happens, not a usual route
      return h;
    };
    for (let i = 0; i < n(44); i++) {
      const hub = pick(HUBS);
      tails.push({ hub, habit: habitOf(americasRotation, hub), draw: americasRotation });
    }
    for (let i = 0; i < n(4); i++)
      tails.push({
        hub: pick(['KAEX', 'KIWA', 'KSAT']),
        habit: { kind: 'longhaul', to: 'ZYTX' },
        draw: americasRotation,
      });
    for (let i = 0; i < n(8); i++) {
      // Based outside China (a base inside it would make every way home "to China").
      const hub = pick(['PANC', 'RJAA', 'RKSI']);
      tails.push({ hub, habit: habitOf(asiaRotation, hub), draw: asiaRotation });
    }
    return tails.map((tail, k) => {
      const hex = (hexBase + k).toString(16);
      const out: Flown = { plans: [], times: [], states: [], polls: [] };
      let t = T0 + uni(0, 24) * 60 * MIN;
      for (let r = 0; r < WARM + MEASURED; r++) {
        const h = rnd() < habitShare ? tail.habit : tail.draw(tail.hub);
        const plans = rotation(tail.hub, h).map((p) => ({ ...p, measured: r >= WARM }));
        const flight = generatePathFlight({ hex, start: t, legs: plans.map((p) => p.leg), type: 'B738' });
        out.plans.push(...plans);
        out.times.push(...flight.legs);
        out.states.push(...flight.states);
        out.polls.push(
          ...toPolls(flight.states, { from: t, to: flight.end + 30 * MIN, watch: { ids: ['bench'], tags: [] } }),
        );
        // Parked between rotations, transponder off: not heard (no positions), as in real data.
        t = flight.end + uni(8, 30) * 60 * MIN;
      }
      return out;
    });
  }
  const HABIT_SHARE = Number(process.env.BENCH_HABIT_SHARE ?? 0.6);
  const LOW_HABIT_SHARE = 0.3;

  // Fly once; replay through the detector once per destination setup.
  const cold: Flown[] = flights.map((f, k) => {
    const flight = generatePathFlight({
      hex: (0xa00000 + k).toString(16),
      start: T0,
      legs: f.legs.map((l) => l.leg),
      callsign: f.callsign,
      type: 'B738',
    });
    return {
      plans: f.legs,
      times: flight.legs,
      states: flight.states,
      polls: toPolls(flight.states, { from: T0, to: flight.end + 30 * MIN, watch: { ids: ['bench'], tags: [] } }),
    };
  });
  const fleetMain = fleet(HABIT_SHARE, 0xb00000);
  const fleetLow = fleet(LOW_HABIT_SHARE, 0xc00000);

  // ---- Operators: new airframes of the charter operators the shipped watchlist names ----
  // Watchers name a flight's destination from its operator long before it descends (a GlobalX GXA6xxx out of
  // Alexandria goes to Central America; World Atlantic flies its own Caribbean contracts): each operator here
  // has destination habits (a project assumption, not measured traffic; docs/trips.md) and flies them with
  // probability OPERATOR_HABIT_SHARE, otherwise a leg drawn from the single-flight mix (near, pass, other,
  // destinations, diversions). The archive's 90 days are OTHER airframes of the operator, drawn the same way and
  // dated before the measured flights (no leg of the measured set is in its own prior); plus the hub legs above.
  const OPERATOR_HABIT_SHARE = Number(process.env.BENCH_OPERATOR_HABIT ?? 0.7);
  const OPERATORS: { callsign: (k: number) => string; hubs: string[]; habit: [string, number][] }[] = [
    // GlobalX ICE numbers (watchlist ^GXA6[0-9]{2,3}$): Central America from Alexandria, Harlingen, Miami.
    {
      callsign: (k) => `GXA6${100 + (k % 900)}`,
      hubs: ['KAEX', 'KHRL', 'KMIA'],
      habit: [
        ['MGGT', 4],
        ['MHLM', 3],
        ['MSLP', 2],
      ],
    },
    // Eastern Air Express (BBQ): Honduras and Guatemala from San Antonio / Brownsville, some Colombia.
    {
      callsign: (k) => `BBQ82${10 + (k % 90)}`,
      hubs: ['KSAT', 'KBRO'],
      habit: [
        ['MHLM', 3],
        ['MGGT', 2],
        ['SKBO', 1],
      ],
    },
    // Avelo VXP54xx out of Mesa and El Paso: Guatemala, El Salvador, domestic transfers.
    {
      callsign: (k) => `VXP54${10 + (k % 90)}`,
      hubs: ['KIWA', 'KELP'],
      habit: [
        ['MGGT', 2],
        ['MSLP', 2],
        ['KLAS', 1],
      ],
    },
    // Omni OAE4xxx from Miami / San Antonio: Colombia, and on past it to Ecuador.
    {
      callsign: (k) => `OAE4${100 + (k % 900)}`,
      hubs: ['KMIA', 'KSAT'],
      habit: [
        ['SKBO', 3],
        ['SKCL', 1],
        ['SEQM', 1],
      ],
    },
    // World Atlantic (WAL) from Miami: the Caribbean — habits outside every configured destination.
    {
      callsign: (k) => `WAL${700 + (k % 300)}`,
      hubs: ['KMIA'],
      habit: [
        ['MDSD', 3],
        ['MKJP', 2],
        ['MDST', 1],
      ],
    },
    // Key Lime Air / Denver Air Connection LYM300–500: domestic transfers between detention sites.
    {
      callsign: (k) => `LYM${3 + (k % 3)}00`,
      hubs: ['KELP', 'KIWA', 'KAEX'],
      habit: [
        ['KDEN', 2],
        ['KPHX', 2],
        ['KBOI', 1],
      ],
    },
    // iAero / Swift (SWQ): Honduras, and Tapachula next to the Guatemalan border (outside it).
    {
      callsign: (k) => `SWQ${3000 + (k % 900)}`,
      hubs: ['KHRL', 'KBRO'],
      habit: [
        ['MHLM', 2],
        ['MMTP', 1],
        ['MSLP', 1],
      ],
    },
  ];
  const drawHabit = (habit: [string, number][]) => {
    let r = rnd() * habit.reduce((s, [, w]) => s + w, 0);
    for (const [icao, w] of habit) if ((r -= w) < 0) return icao;
    return habit[habit.length - 1]![0];
  };
  /** A leg of the operator out of `hub`: its habit, else one drawn from the mix (kind from where it lands). */
  const operatorLeg = (op: (typeof OPERATORS)[number], hub: string): { plan: LegPlan; habit: boolean } => {
    if (rnd() >= OPERATOR_HABIT_SHARE) return { plan: rotation(hub, americasRotation(hub))[0]!, habit: false };
    const to = drawHabit(op.habit);
    const pass = passAmericas(ap(hub)).filter((o) => o.f.icao === to);
    if (pass.length) return { plan: passLeg(ap(hub), pick(pass)), habit: true };
    return { plan: leg(reachesAny(to) ? 'dest' : NEAR.includes(to) ? 'near' : 'other', hub, to), habit: true };
  };
  const OPERATOR_FLIGHTS = n(30);
  const operatorCold: Flown[] = [];
  const operatorArchive: FleetLeg[] = [];
  let operatorHabitLegs = 0;
  OPERATORS.forEach((op, o) => {
    const key = op.callsign(0).slice(0, 3);
    for (let k = 0; k < OPERATOR_FLIGHTS; k++) {
      const hub = pick(op.hubs);
      const { plan, habit } = operatorLeg(op, hub);
      if (habit) operatorHabitLegs++;
      const callsign = op.callsign(k);
      const flight = generatePathFlight({
        hex: (0xd00000 + o * 0x1000 + k).toString(16),
        start: T0,
        legs: [plan.leg],
        callsign,
        type: 'B738',
      });
      operatorCold.push({
        plans: [plan],
        times: flight.legs,
        states: flight.states,
        polls: toPolls(flight.states, { from: T0, to: flight.end + 30 * MIN, watch: { ids: ['bench'], tags: [] } }),
      });
    }
    // The operator's other airframes over the 90 days before: about one leg a day (where they landed only).
    for (let k = 0; k < n(90); k++) {
      const hub = pick(op.hubs);
      let to: string;
      if (rnd() < OPERATOR_HABIT_SHARE) to = drawHabit(op.habit);
      else {
        let h: Habit;
        do h = americasRotation(hub);
        while (h.kind === 'diversion');
        to = h.to;
      }
      operatorArchive.push([key, hub, to, T0 - uni(1, 89) * 86_400_000]);
    }
  });
  const positions = [cold, fleetMain, fleetLow, operatorCold].flat().reduce((s, x) => s + x.states.length, 0);

  const median = (xs: number[]) => {
    if (!xs.length) return null;
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const round = (x: number | null, d = 3) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

  async function evaluate(
    setup: (typeof setups)[number],
    set: Flown[],
    routesCfg = routes,
    name = setup.name,
    fleet?: FleetLegs,
  ) {
    interface Result {
      hex: string;
      plan: LegPlan;
      kind: Kind;
      truth: string[];
      planned?: string;
      landingAt: number;
      enRoute: EnRouteEvent[];
      diverted: boolean;
      baselineFirst?: { destId: string; at: number };
    }
    const results: Result[] = [];
    const baseDests = setup.destinations.flatMap((d) =>
      d.airports.filter(has).map((icao) => ({ id: d.id, a: ap(icao) })),
    );
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let returns = 0;
    let returnsFalse = 0;
    for (const { plans, times: legTimes, states, polls } of set) {
      const det = createDetector({
        airports: index,
        destinations: setup.destinations,
        maxPositionAgeS: 60,
        extensions: [tripsExtension({ cfg: routesCfg, callsignRoutes, fleet: fleet && (() => fleet) })],
      });
      const events: FlightEvent[] = [];
      for (const p of polls) events.push(...(await det.process(p.batch, p.now)));
      plans.forEach((plan, li) => {
        if (plan.measured === false) return;
        const times = legTimes[li]!;
        const from = times.takeoffAt;
        const to = times.landingAt + 5 * MIN;
        const within = events.filter((e) => Date.parse(e.time) >= from && Date.parse(e.time) <= to);
        const truth = setup.reaches(plan.to);
        if (plan.ret) {
          returns++;
          // Wrong only when it names a destination the leg does not land in (a way home can end in one).
          const e = within.find(
            (x): x is EnRouteEvent => x.type === 'en_route' && !truth.includes(x.destination?.id ?? ''),
          );
          if (e) {
            returnsFalse++;
            if (process.env.BENCH_ROUTES_DEBUG === '1')
              console.log(
                `  RETURN-FALSE ${plan.desc}→${e.destination?.id}@${e.airport?.icao} ${Math.round((times.landingAt - Date.parse(e.time)) / MIN)}min-before-landing p=${e.details?.confidence} alt=${e.position?.altFt} history=${JSON.stringify(e.details?.history ?? null)}`,
              );
          }
          return;
        }
        // The label comes from where the leg lands under this setup, not from what the generator meant.
        const kind: Kind =
          plan.kind === 'diversion' ? 'diversion' : truth.length ? 'dest' : plan.kind === 'dest' ? 'near' : plan.kind;
        results.push({
          hex: states[0]!.hex,
          plan,
          kind,
          truth,
          planned: plan.plannedTo ? setup.reaches(plan.plannedTo)[0] : undefined,
          landingAt: times.landingAt,
          enRoute: within.filter((e) => e.type === 'en_route'),
          diverted: within.some((e) => e.type === 'diversion'),
          baselineFirst: headingOnly(
            states.filter((s) => s.observedAt >= from && s.observedAt <= times.landingAt),
            baseDests,
          ),
        });
      });
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);

    const dest = results.filter((r) => r.kind === 'dest');
    const others = results.filter((r) => r.kind === 'near' || r.kind === 'pass' || r.kind === 'other');
    const div = results.filter((r) => r.kind === 'diversion');
    const leads: number[] = [];
    let right = 0;
    let wrongAlso = 0;
    const baseLeads: number[] = [];
    let baseRight = 0;
    for (const r of dest) {
      const hit = r.enRoute.find((e) => r.truth.includes(e.destination?.id ?? ''));
      if (hit) {
        right++;
        leads.push((r.landingAt - Date.parse(hit.time)) / MIN);
      }
      if (r.enRoute.some((e) => !r.truth.includes(e.destination?.id ?? ''))) wrongAlso++;
      const b = r.baselineFirst;
      if (b && r.truth.includes(b.destId)) {
        baseRight++;
        baseLeads.push((r.landingAt - b.at) / MIN);
      }
    }
    const falseBy: Record<string, { legs: number; false: number; baselineFalse: number }> = {};
    let falses = 0;
    let baseFalses = 0;
    for (const r of others) {
      const b = (falseBy[r.kind] ??= { legs: 0, false: 0, baselineFalse: 0 });
      b.legs++;
      if (r.enRoute.length) {
        b.false++;
        falses++;
      }
      if (r.baselineFirst) {
        b.baselineFalse++;
        baseFalses++;
      }
    }
    const divAnnounced = div.filter((r) => r.enRoute.some((e) => e.destination?.id === r.planned));
    const divDetected = divAnnounced.filter((r) => r.diverted);
    const misses = dest
      .filter((r) => !r.enRoute.some((e) => r.truth.includes(e.destination?.id ?? '')))
      .map((r) => r.plan.desc);
    const falseLegs = others
      .filter((r) => r.enRoute.length)
      .map((r) => `${r.kind}:${r.plan.desc}→${r.enRoute.map((e) => e.destination?.id).join('+')}`);
    const sorted = [...leads].sort((a, b) => a - b);
    if (process.env.BENCH_ROUTES_DEBUG === '1') {
      // Where and how the first en_route of each false leg and each right leg fired.
      const show = (r: Result, e: EnRouteEvent) =>
        `${r.kind}:${r.plan.desc}→${e.destination?.id}@${e.airport?.icao} ${Math.round((r.landingAt - Date.parse(e.time)) / MIN)}min-before-landing d=${e.details?.distanceNm} p=${e.details?.confidence} alt=${e.position?.altFt} history=${JSON.stringify(e.details?.history ?? null)}`;
      for (const r of others) if (r.enRoute.length) console.log('  FALSE', show(r, r.enRoute[0]!));
      for (const r of dest) if (r.enRoute.length) console.log('  RIGHT', show(r, r.enRoute[0]!));
      for (const r of dest)
        if (!r.enRoute.some((e) => r.truth.includes(e.destination?.id ?? '')))
          console.log('  MISS', r.hex, r.plan.desc);
    }
    console.log(`[${name}] ${setup.label}: ${setup.destinations.map((d) => d.id).join(', ')}`);
    console.log(
      `  legs: ${results.length} (dest ${dest.length}, near ${falseBy.near?.legs ?? 0}, pass ${falseBy.pass?.legs ?? 0}, other ${falseBy.other?.legs ?? 0}, diversion ${div.length}); ${seconds.toFixed(1)} s`,
    );
    console.log(`  missed (${misses.length}): ${misses.slice(0, 15).join(', ')}`);
    console.log(`  false en_route (${falseLegs.length}): ${falseLegs.slice(0, 15).join(', ')}`);
    console.log(`  by kind: ${JSON.stringify(falseBy)}`);
    console.log(
      `  lead minutes p10/p25/p50/p75: ${[0.1, 0.25, 0.5, 0.75].map((q) => (sorted.length ? sorted[Math.floor(q * sorted.length)]!.toFixed(1) : '-')).join(' / ')}`,
    );
    return {
      destinations: setup.destinations.map((d) => d.id),
      legs: results.length,
      destLegs: dest.length,
      otherLegs: others.length,
      rightShare: round(right / dest.length),
      leadMinutesMedian: round(median(leads), 1),
      leadMinutesP25: round(sorted.length ? sorted[Math.floor(sorted.length / 4)]! : null, 1),
      falseShare: round(falses / others.length),
      falseShareByKind: Object.fromEntries(Object.entries(falseBy).map(([kk, v]) => [kk, round(v.false / v.legs)])),
      destLegsWithAWrongEnRouteToo: wrongAlso,
      ...(returns ? { returnLegs: returns, returnLegsWithEnRoute: returnsFalse } : {}),
      diversionLegs: div.length,
      diversionsAnnouncedEnRoute: divAnnounced.length,
      diversionsDetected: divDetected.length,
      pass:
        right / dest.length >= TARGETS.rightShare &&
        (median(leads) ?? 0) >= TARGETS.leadMinutesMedian &&
        falses / others.length <= TARGETS.falseShare,
      baseline: {
        name: 'heading-only (a destination airport within ±5° of track, < 1,500 nm, above 10,000 ft, 2 min)',
        rightShare: round(baseRight / dest.length),
        leadMinutesMedian: round(median(baseLeads), 1),
        falseShare: round(baseFalses / others.length),
      },
      seconds: round(seconds, 1),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
    };
  }

  const legsOf = (set: Flown[]) => set.reduce((k, f) => k + f.plans.length, 0);
  console.log(
    `single-flight set: ${cold.length} airframes, ${legsOf(cold)} legs; fleet: ${fleetMain.length} airframes × ${WARM} + ${MEASURED} rotations (habit ${HABIT_SHARE}), ` +
      `${legsOf(fleetMain)} legs; low-habit fleet (habit ${LOW_HABIT_SHARE}): ${legsOf(fleetLow)} legs; ${positions} positions`,
  );
  const [shippedSetup, perAirportSetup] = [setups[0]!, setups[1]!];
  // BENCH_ROUTES_COLD_ONLY=1 (tuning the cold start): the primary set is not flown, its figures are null.
  // BENCH_ROUTES_COLD_ONLY=operators: only the operators' cold start (the single-flight figures null too).
  const coldOnly = process.env.BENCH_ROUTES_COLD_ONLY;
  const primarySet = coldOnly ? [] : fleetMain;
  const singles = coldOnly !== 'operators';
  const main_ = await evaluate(shippedSetup, primarySet, routes, `fleet, habit ${HABIT_SHARE}`);
  // BENCH_ROUTES_PRIMARY_ONLY=1 (tuning, other seeds) evaluates the primary figure and its no-history twin only;
  // the others are then null, not hidden.
  const all = process.env.BENCH_ROUTES_PRIMARY_ONLY !== '1';
  const mainNoHistory = await evaluate(
    shippedSetup,
    primarySet,
    routesNoHistory,
    `fleet, habit ${HABIT_SHARE}, history off`,
  );
  const low = all ? await evaluate(shippedSetup, fleetLow, routes, `fleet, habit ${LOW_HABIT_SHARE}`) : null;
  const lowNoHistory = all
    ? await evaluate(shippedSetup, fleetLow, routesNoHistory, `fleet, habit ${LOW_HABIT_SHARE}, history off`)
    : null;
  const coldShipped =
    singles && (all || process.env.BENCH_ROUTES_COLD_FLEET === '1')
      ? await evaluate(shippedSetup, cold, routes, 'single flights (no history)')
      : null;
  const coldPerAirport = all ? await evaluate(perAirportSetup, cold, routes, 'single flights, per airport') : null;
  // Fleet priors for the cold start: the archive's last 90 days as the worker reads it — here the outbound legs
  // of the low-habit fleet (its own airframes, its own draws: not the cold set's legs), out of the same hubs,
  // dated within the window before the cold flights. No operator: the generated callsigns name none.
  const fleetLegs: FleetLegs = {
    legs: fleetLow.flatMap((f) =>
      f.plans
        .filter((p) => !p.ret)
        .map((p, k): FleetLeg => ['', p.desc.slice(0, 4), p.to, T0 - (1 + (k % 80)) * 86_400_000]),
    ),
    loadedAt: T0,
  };
  const coldFleet =
    singles && (all || process.env.BENCH_ROUTES_COLD_FLEET === '1')
      ? await evaluate(shippedSetup, cold, routes, 'single flights with fleet priors', fleetLegs)
      : null;
  // The operators' new airframes: no priors (the baseline), the hub prior alone (the same archive with the
  // operators blanked out: only where each hub's legs went), and the operator + hub priors.
  const coldOps = all || process.env.BENCH_ROUTES_COLD_FLEET === '1';
  const hubArchive: FleetLegs = {
    legs: [...fleetLegs.legs, ...operatorArchive.map(([, d, a, t]): FleetLeg => ['', d, a, t])],
    loadedAt: T0,
  };
  const fullArchive: FleetLegs = { legs: [...fleetLegs.legs, ...operatorArchive], loadedAt: T0 };
  const opNone = coldOps ? await evaluate(shippedSetup, operatorCold, routes, 'operators, no priors') : null;
  const opHub = coldOps
    ? await evaluate(shippedSetup, operatorCold, routes, 'operators, hub priors only', hubArchive)
    : null;
  const opFull = coldOps
    ? await evaluate(shippedSetup, operatorCold, routes, 'operators, operator + hub priors', fullArchive)
    : null;
  const { destinations: shippedIds, ...primary } = main_;
  // The same bench with other seeds (other legs, other fleets; child processes): ~300 other legs per run make
  // a false share noisy by about ±1.3 points, and legs of one airframe are correlated — one seed is not enough.
  const isChild = process.env.BENCH_ROUTES_CHILD === '1';
  const seedList = (v: string | undefined, fallback: string) =>
    isChild ? [] : (v ?? fallback).split(',').filter(Boolean).map(Number);
  /** This script for another seed in a child process; its last line (the summary below) read back. */
  const runSeed = (seed: number, env: Record<string, string>): unknown => {
    const child = spawnSync(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', __filename],
      {
        env: { ...process.env, BENCH_SEED: String(seed), BENCH_ROUTES_CHILD: '1', BENCH_ROUTES_DEBUG: '0', ...env },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (child.status !== 0) throw new Error(`bench seed ${seed} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '');
  };
  const seeds = seedList(process.env.BENCH_ROUTES_SEEDS, '1,2,3,4,5');
  const bySeed = [{ seed: SEED, ...headline(primary), withoutHistory: headline(mainNoHistory) }];
  for (const seed of seeds) {
    const r = runSeed(seed, { BENCH_ROUTES_PRIMARY_ONLY: '1' }) as Headline & { withoutHistory: Headline };
    bySeed.push({ seed, ...headline(r), withoutHistory: headline(r.withoutHistory) });
    console.log(`  seed ${seed}: ${JSON.stringify(bySeed[bySeed.length - 1])}`);
  }
  const meanOf = (f: (x: (typeof bySeed)[number]) => number | null) =>
    round(bySeed.reduce((a, x) => a + (f(x) ?? 0), 0) / bySeed.length, 3);
  const seedSummary = {
    seeds: bySeed,
    mean: {
      rightShare: meanOf((x) => x.rightShare),
      leadMinutesMedian: meanOf((x) => x.leadMinutesMedian),
      falseShare: meanOf((x) => x.falseShare),
      withoutHistory: {
        rightShare: meanOf((x) => x.withoutHistory.rightShare),
        leadMinutesMedian: meanOf((x) => x.withoutHistory.leadMinutesMedian),
        falseShare: meanOf((x) => x.withoutHistory.falseShare),
      },
    },
    passEverySeed: bySeed.every((x) => x.pass),
  };
  // The operators' cold start for other seeds too (other operator legs and archives; child processes): 210 legs
  // of which ~90 reach no destination make one false leg 1.1 points — one seed says little.
  const operatorSeeds = opFull ? seedList(process.env.BENCH_ROUTES_OPERATOR_SEEDS, '1,2,3,4,5') : [];
  type OperatorFigures = { withOperatorPriors: Headline; baselineNoPriors: Headline | null };
  const operatorBySeed: ({ seed: number } & OperatorFigures)[] = opFull
    ? [{ seed: SEED, withOperatorPriors: headline(opFull), baselineNoPriors: opNone && headline(opNone) }]
    : [];
  for (const seed of operatorSeeds) {
    const r = runSeed(seed, {
      BENCH_ROUTES_COLD_ONLY: 'operators',
      BENCH_ROUTES_PRIMARY_ONLY: '1',
      BENCH_ROUTES_COLD_FLEET: '1',
    }) as { coldStartOperators: OperatorFigures };
    const o = r.coldStartOperators;
    operatorBySeed.push({
      seed,
      withOperatorPriors: headline(o.withOperatorPriors),
      baselineNoPriors: o.baselineNoPriors && headline(o.baselineNoPriors),
    });
    console.log(`  operators, seed ${seed}: ${JSON.stringify(operatorBySeed[operatorBySeed.length - 1])}`);
  }
  const operatorMean = (f: (x: Headline) => number | null) =>
    round(operatorBySeed.reduce((a, x) => a + (f(x.withOperatorPriors) ?? 0), 0) / operatorBySeed.length, 3);
  const operatorPass = (h: Headline) => (h.leadMinutesMedian ?? 0) >= 30 && (h.falseShare ?? 1) <= 0.05;
  console.log(
    JSON.stringify({
      bench: 'routes',
      setup:
        `fleet: ${fleetMain.length} airframes, each flying its usual rotation with probability ${HABIT_SHARE} else one drawn from the mix; ` +
        `${WARM} warm-up rotations not counted, ${MEASURED} counted (outbound legs); destinations of config/flightwatch.yaml: ${shippedIds.join(', ')}`,
      ...primary,
      targets: TARGETS,
      withoutHistory: { note: 'same legs, trips.enRoute.history.enabled: false', ...headline(mainNoHistory) },
      ...(seeds.length ? { otherSeeds: seedSummary } : {}),
      lowHabit: low &&
        lowNoHistory && { habitShare: LOW_HABIT_SHARE, ...headline(low), withoutHistory: headline(lowNoHistory) },
      coldStart: coldShipped && {
        setup: 'one flight per airframe (no airframe has a past): the single-flight set',
        ...(({ destinations: _d, ...rest }) => rest)(coldShipped),
        perAirport: coldPerAirport && { setup: perAirportSetup.label, ...coldPerAirport },
      },
      coldStartFleetPriors: coldFleet && {
        setup: `the single-flight set with fleet priors: ${fleetLegs.legs.length} archived legs out of the same hubs (another fleet's, 90 days)`,
        ...headline(coldFleet),
        targets: { leadMinutesMedian: 30, falseShare: 0.05 },
        pass: (coldFleet.leadMinutesMedian ?? 0) >= 30 && (coldFleet.falseShare ?? 1) <= 0.05,
      },
      coldStartOperators: opFull && {
        setup:
          `new airframes of ${OPERATORS.length} charter operators (watchlist callsigns), ${operatorCold.length} legs, one per airframe; ` +
          `each flies its operator's habit with probability ${OPERATOR_HABIT_SHARE} (${operatorHabitLegs} legs did), else a leg drawn from the mix; ` +
          `archive: ${operatorArchive.length} legs of the operators' other airframes and ${fleetLegs.legs.length} hub legs, 90 days before`,
        habitShare: OPERATOR_HABIT_SHARE,
        withOperatorPriors: headline(opFull),
        hubPriorsOnly: opHub && headline(opHub),
        baselineNoPriors: opNone && headline(opNone),
        targets: { leadMinutesMedian: 30, falseShare: 0.05 },
        pass: operatorPass(opFull),
        ...(operatorSeeds.length
          ? {
              otherSeeds: {
                seeds: operatorBySeed,
                mean: {
                  rightShare: operatorMean((x) => x.rightShare),
                  leadMinutesMedian: operatorMean((x) => x.leadMinutesMedian),
                  falseShare: operatorMean((x) => x.falseShare),
                },
                passEverySeed: operatorBySeed.every((x) => operatorPass(x.withOperatorPriors)),
              },
            }
          : {}),
      },
      positions,
      routesConfig: process.env.BENCH_ROUTES_CONFIG ?? 'defaults',
    }),
  );
}

/** The headline figures of one run (this process's or a child's JSON). */
interface Headline {
  rightShare: number | null;
  leadMinutesMedian: number | null;
  leadMinutesP25: number | null;
  falseShare: number | null;
  falseShareByKind: Record<string, number | null>;
  pass: boolean;
}
function headline({
  rightShare,
  leadMinutesMedian,
  leadMinutesP25,
  falseShare,
  falseShareByKind,
  pass,
}: Headline): Headline {
  return { rightShare, leadMinutesMedian, leadMinutesP25, falseShare, falseShareByKind, pass };
}

/** The baseline: first destination within ±5° of the track, < 1,500 nm ahead, above 10,000 ft, held 2 minutes. */
function headingOnly(
  states: { lat?: number; lon?: number; trackDeg?: number; altFt?: number; onGround: boolean; observedAt: number }[],
  dests: { id: string; a: Airport }[],
) {
  const since = new Map<string, number>();
  for (const s of states) {
    if (
      s.onGround ||
      s.lat === undefined ||
      s.lon === undefined ||
      s.trackDeg === undefined ||
      (s.altFt ?? 0) < 10_000
    ) {
      since.clear();
      continue;
    }
    for (const d of dests) {
      const dist = distanceNm({ lat: s.lat, lon: s.lon }, d.a);
      const off = Math.abs(((((bearingDeg({ lat: s.lat, lon: s.lon }, d.a) - s.trackDeg) % 360) + 540) % 360) - 180);
      if (dist < 1500 && off <= 5) {
        const t = since.get(d.id) ?? s.observedAt;
        since.set(d.id, t);
        if (s.observedAt - t >= 2 * MIN) return { destId: d.id, at: s.observedAt };
      } else since.delete(d.id);
    }
  }
  return undefined;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
