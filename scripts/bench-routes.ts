/**
 * npm run bench:routes — issue "Routes", Tests and figures: en-route destination prediction on a generated set
 * of legs flown through the real detector (with the routes extension) over the full airport table.
 *
 * The set (deterministic, seeded) is built to be hard, not flattering:
 *  - dest:        hubs (KAEX, KIWA, KHRL, KELP, KMIA, KSAT, KBRO) → configured destinations (Central America,
 *                 the Caribbean, Bogotá, Shenyang), incl. long-haul trips with fuel stops (PANC, RKSI, RJAA);
 *  - near:        flights to airports near the configured destinations (Palmerola 45 nm from San Pedro Sula,
 *                 Ilopango 12 nm from San Salvador, Dalian/Changchun/Beijing, Santiago DR, Medellín, …);
 *  - pass:        flights whose route passes 15–80 nm abeam a configured destination and lands beyond it;
 *  - other:       domestic and unrelated legs, return legs;
 *  - diversion:   flights to a configured destination that turn to an alternate 15–60 minutes out.
 * Routes are not great circles: one or two airway detours (σ ≈ 4 % of the length) and an arrival fix 30–70 nm
 * out, up to 40° off the inbound course; cruise 31–43k ft at 420–490 kt; descent 1,500–2,500 fpm.
 * Some legs carry a callsign whose route in the callsign table is right, some one whose route is wrong.
 *
 * Figures: rightShare (legs ending at a configured destination for which en_route named it before landing),
 * leadMinutesMedian (minutes before landing of that first right en_route), falseShare (near/pass/other legs
 * with any en_route). Baseline in the same run: "heading only" — a destination is named when it lies within
 * ±5° of the track, < 1,500 nm ahead, above 10,000 ft, for two consecutive minutes.
 * Env: BENCH_LEGS_SCALE (default 1), BENCH_ROUTES_CONFIG (JSON `routes:` overrides; default: the shipped defaults), FLIGHTWATCH_DATA_DIR (airport table dir; default data → npm fallback).
 */
import { destinationSchema } from '../src/config/schema';
import { routesSchema } from '../src/config/routes-schema';
import { loadAirportIndex } from '../src/data/load-airports';
import { createDetector } from '../src/detect';
import type { FlightEvent } from '../src/domain/event';
import type { Airport } from '../src/places/airport-index';
import { parseCallsignRoutes, routesExtension } from '../src/routes';
import { generatePathFlight, type PathLeg } from '../src/routes/sim-path';
import { bearingDeg, destinationPoint, distanceNm, interpolate, toPolls, type LatLon } from '../src/sim';

const SCALE = Number(process.env.BENCH_LEGS_SCALE ?? 1);
const TARGETS = { rightShare: 0.9, leadMinutesMedian: 30, falseShare: 0.05 };
const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 1, 6);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(20250301);
const uni = (a: number, b: number) => a + (b - a) * rnd();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

const DESTS = [
  { id: 'shenyang', airports: ['ZYTX'] },
  { id: 'guatemala', airports: ['MGGT'] },
  { id: 'san-pedro-sula', airports: ['MHLM'] },
  { id: 'san-salvador', airports: ['MSLP'] },
  { id: 'santo-domingo', airports: ['MDSD'] },
  { id: 'bogota', airports: ['SKBO'] },
];
const HUBS = ['KAEX', 'KIWA', 'KHRL', 'KELP', 'KMIA', 'KSAT', 'KBRO'];
const NEAR = ['MHSC', 'MHTG', 'MSSS', 'MGCB', 'MROC', 'MNMG', 'MDST', 'MDPC', 'SKRG', 'SKCL', 'SKBG', 'MZBZ', 'MMUN', 'TJSJ', 'MKJP', 'MHRO'];
const NEAR_CN = ['ZYTL', 'ZYCC', 'ZBAA', 'ZYHB', 'RKSI', 'ZBTJ'];
const DOMESTIC = ['KDFW', 'KIAH', 'KPHX', 'KLAS', 'KATL', 'KORD', 'KDEN', 'KMSY', 'KSLC', 'KBOI', 'KOKC', 'KMEM', 'KSTL', 'KJFK', 'KLAX', 'KSEA'];
const FAR_BEYOND_CA = ['SPJC', 'SEQM', 'SEGU', 'MPTO', 'SKBQ', 'SVMI', 'SKCG', 'MROC', 'MNMG', 'TNCC'];

type Kind = 'dest' | 'near' | 'pass' | 'other' | 'diversion';
interface LegPlan {
  kind: Kind;
  leg: PathLeg;
  to: string;
  /** Configured destination the leg ends at (dest) or was planned to (diversion). */
  destId?: string;
  desc: string;
}
interface FlightPlan {
  legs: LegPlan[];
  callsign?: string;
  routeCsv?: string;
}

async function main() {
  const index = await loadAirportIndex({ dir: process.env.FLIGHTWATCH_DATA_DIR ?? 'data', warn: (m) => console.error(m) });
  const ap = (icao: string): Airport => {
    const a = index.byIcao(icao);
    if (!a) throw new Error(`bench: airport ${icao} not in the table`);
    return a;
  };
  const destinations = DESTS.map((d) => destinationSchema.parse(d));
  const destOf = new Map(DESTS.map((d) => [d.airports[0]!, d.id]));
  const pt = (a: Airport) => ({ lat: a.lat, lon: a.lon, elevationFt: a.elevationFt ?? 0 });

  /** A realistic path from a to b: airway detours and an arrival fix. */
  function path(a: Airport, b: Airport, via?: LatLon): PathLeg['path'] {
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
    leg: { ...profile(), path: path(ap(from), ap(to), via) },
    desc: `${from}-${to}`,
    ...(kind === 'dest' ? { destId: destOf.get(to) } : {}),
    ...extra,
  });

  const flights: FlightPlan[] = [];
  const n = (k: number) => Math.max(1, Math.round(k * SCALE));
  const CA_DESTS = ['MGGT', 'MHLM', 'MSLP', 'MDSD', 'SKBO'];
  for (let i = 0; i < n(140); i++) flights.push({ legs: [leg('dest', pick(HUBS), pick(CA_DESTS))] });
  // Long-haul removal trips to Shenyang with fuel stops, and the way back.
  for (let i = 0; i < n(14); i++) {
    const hub = pick(['KAEX', 'KIWA', 'KSAT']);
    const stop = pick(['RKSI', 'RJAA', 'PANC']);
    const legs =
      stop === 'PANC'
        ? [leg('other', hub, 'PANC'), leg('dest', 'PANC', 'ZYTX'), leg('other', 'ZYTX', 'PANC'), leg('other', 'PANC', hub)]
        : [leg('other', hub, 'PANC'), leg('near', 'PANC', stop), leg('dest', stop, 'ZYTX'), leg('other', 'ZYTX', 'PANC'), leg('other', 'PANC', hub)];
    flights.push({ legs });
  }
  for (let i = 0; i < n(10); i++) flights.push({ legs: [leg('dest', pick(['PANC', 'RJAA', 'RKSI', 'ZSPD']), 'ZYTX')] });
  // Near: airports close to configured destinations.
  for (let i = 0; i < n(90); i++) flights.push({ legs: [leg('near', pick(HUBS), pick(NEAR))] });
  for (let i = 0; i < n(20); i++) flights.push({ legs: [leg('near', pick(['PANC', 'RJAA', 'RKSI', 'ZSPD', 'ZBAA']), pick(NEAR_CN.filter((x) => x !== 'ZBAA')))] });
  // Pass: abeam a configured destination at 15–80 nm, landing beyond it.
  for (let i = 0; i < n(60); i++) {
    let d: Airport, hub: Airport, far: Airport[];
    do {
      d = ap(pick(CA_DESTS));
      hub = ap(pick(HUBS));
      const dd = distanceNm(hub, d);
      far = FAR_BEYOND_CA.filter((x) => index.byIcao(x)).map(ap).filter((f) => distanceNm(hub, f) > dd + 150 && distanceNm(d, f) > 150);
    } while (!far.length);
    const f = pick(far);
    const inbound = bearingDeg(hub, d);
    const via = destinationPoint(d, inbound + (rnd() < 0.5 ? 90 : -90), uni(15, 80));
    flights.push({ legs: [leg('pass', hub.icao, f.icao, { desc: `${hub.icao}-${f.icao} abeam ${d.icao}` }, via)] });
  }
  for (let i = 0; i < n(8); i++) {
    const via = destinationPoint(ap('ZYTX'), 90 + uni(-20, 20) + (rnd() < 0.5 ? 0 : 180), uni(20, 80));
    flights.push({ legs: [leg('pass', 'PANC', 'ZBAA', { desc: 'PANC-ZBAA abeam ZYTX' }, via)] });
  }
  // Other: domestic and unrelated.
  for (let i = 0; i < n(60); i++) {
    const a = pick([...HUBS, ...DOMESTIC]);
    let b = pick(DOMESTIC);
    if (b === a) b = 'KDFW' === a ? 'KORD' : 'KDFW';
    flights.push({ legs: [leg('other', a, b)] });
  }
  for (let i = 0; i < n(20); i++) flights.push({ legs: [leg('other', pick(CA_DESTS), pick(HUBS))] });
  // Diversions: planned to a configured destination, turning to an alternate 15–60 min out.
  for (let i = 0; i < n(25); i++) {
    const hub = ap(pick(HUBS));
    const d = ap(pick(CA_DESTS));
    const outMin = uni(15, 60);
    const turnNm = Math.min(distanceNm(hub, d) * 0.5, outMin * 7.5);
    const turn = interpolate(d, hub, turnNm / distanceNm(hub, d));
    const alts = index.within(turn.lat, turn.lon, { maxNm: 300, kinds: ['large_airport', 'medium_airport'], limit: 60 }).filter((x) => distanceNm(x, d) > 40 && x.distanceNm > 60);
    const alt = pick(alts);
    const l: PathLeg = { ...profile(), path: [pt(hub), ...path(hub, d).slice(1, -2), turn, pt(alt)] };
    flights.push({ legs: [{ kind: 'diversion', to: alt.icao, leg: l, destId: destOf.get(d.icao), desc: `${hub.icao}-${d.icao} diverted to ${alt.icao}` }] });
  }
  // Callsigns: 20 % carry a right route, 10 % a wrong one (charters reuse callsigns).
  const csv = ['Callsign,Code,Number,AirlineCode,AirportCodes'];
  flights.forEach((f, i) => {
    const r = rnd();
    const first = f.legs[0]!;
    const from = first.desc.slice(0, 4);
    if (r < 0.2) f.callsign = `BNC${100 + i}`, csv.push(`${f.callsign},BNC,${100 + i},BNC,${from}-${first.kind === 'diversion' ? DESTS.find((d) => d.id === first.destId)!.airports[0] : first.to}`);
    else if (r < 0.3) f.callsign = `BNC${100 + i}`, csv.push(`${f.callsign},BNC,${100 + i},BNC,${from}-${pick(CA_DESTS)}`);
  });
  const callsignRoutes = parseCallsignRoutes(csv.join('\n'), 'bench callsign routes');

  // Fly everything through the detector.
  interface Result { plan: LegPlan; landingAt: number; enRoute: FlightEvent[]; diverted: boolean; baselineFirst?: { destId: string; at: number } }
  const results: Result[] = [];
  const routes = routesSchema.parse(JSON.parse(process.env.BENCH_ROUTES_CONFIG ?? '{}'));
  let positions = 0;
  const t0 = process.hrtime.bigint();
  let k = 0;
  for (const f of flights) {
    const hex = (0xa00000 + k++).toString(16);
    const flight = generatePathFlight({ hex, start: T0, legs: f.legs.map((l) => l.leg), callsign: f.callsign, type: 'B738' });
    positions += flight.states.length;
    const det = createDetector({ airports: index, destinations, maxPositionAgeS: 60, extensions: [routesExtension({ cfg: routes, callsignRoutes })] });
    const events: FlightEvent[] = [];
    for (const p of toPolls(flight.states, { from: T0, to: flight.end + 30 * MIN, watch: { ids: ['bench'], tags: [] } })) events.push(...(await det.process(p.batch, p.now)));
    f.legs.forEach((plan, li) => {
      const times = flight.legs[li]!;
      const from = times.takeoffAt;
      const to = times.landingAt + 5 * MIN;
      const within = events.filter((e) => Date.parse(e.time) >= from && Date.parse(e.time) <= to);
      results.push({
        plan,
        landingAt: times.landingAt,
        enRoute: within.filter((e) => e.type === 'en_route'),
        diverted: within.some((e) => e.type === 'diversion'),
        baselineFirst: headingOnly(flight.states.filter((s) => s.observedAt >= from && s.observedAt <= times.landingAt), destinations.map((d) => ({ id: d.id, a: ap(d.airports[0]!) }))),
      });
    });
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const median = (xs: number[]) => {
    if (!xs.length) return null;
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const round = (x: number | null, d = 3) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
  const dest = results.filter((r) => r.plan.kind === 'dest');
  const others = results.filter((r) => r.plan.kind === 'near' || r.plan.kind === 'pass' || r.plan.kind === 'other');
  const div = results.filter((r) => r.plan.kind === 'diversion');
  const leads: number[] = [];
  let right = 0;
  let wrongAlso = 0;
  const baseLeads: number[] = [];
  let baseRight = 0;
  for (const r of dest) {
    const hit = r.enRoute.find((e) => e.destination?.id === r.plan.destId);
    if (hit) {
      right++;
      leads.push((r.landingAt - Date.parse(hit.time)) / MIN);
    }
    if (r.enRoute.some((e) => e.destination?.id !== r.plan.destId)) wrongAlso++;
    const b = r.baselineFirst;
    if (b && b.destId === r.plan.destId) {
      baseRight++;
      baseLeads.push((r.landingAt - b.at) / MIN);
    }
  }
  const falseBy: Record<string, { legs: number; false: number; baselineFalse: number }> = {};
  let falses = 0;
  let baseFalses = 0;
  for (const r of others) {
    const b = (falseBy[r.plan.kind] ??= { legs: 0, false: 0, baselineFalse: 0 });
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
  const divAnnounced = div.filter((r) => r.enRoute.some((e) => e.destination?.id === r.plan.destId));
  const divDetected = divAnnounced.filter((r) => r.diverted);
  const misses = dest.filter((r) => !r.enRoute.some((e) => e.destination?.id === r.plan.destId)).map((r) => r.plan.desc);
  const falseLegs = others.filter((r) => r.enRoute.length).map((r) => `${r.plan.kind}:${r.plan.desc}→${r.enRoute.map((e) => e.destination?.id).join('+')}`);
  console.log(`legs: ${results.length} (dest ${dest.length}, near ${falseBy.near?.legs ?? 0}, pass ${falseBy.pass?.legs ?? 0}, other ${falseBy.other?.legs ?? 0}, diversion ${div.length}); ${positions} positions in ${seconds.toFixed(1)} s`);
  console.log(`missed (${misses.length}): ${misses.slice(0, 15).join(', ')}`);
  console.log(`false en_route (${falseLegs.length}): ${falseLegs.slice(0, 15).join(', ')}`);
  console.log(`by kind: ${JSON.stringify(falseBy)}`);
  const out = {
    bench: 'routes',
    legs: results.length,
    destLegs: dest.length,
    otherLegs: others.length,
    rightShare: round(right / dest.length),
    leadMinutesMedian: round(median(leads), 1),
    leadMinutesP25: round(leads.length ? [...leads].sort((a, b) => a - b)[Math.floor(leads.length / 4)]! : null, 1),
    falseShare: round(falses / others.length),
    falseShareByKind: Object.fromEntries(Object.entries(falseBy).map(([kk, v]) => [kk, round(v.false / v.legs)])),
    destLegsWithAWrongEnRouteToo: wrongAlso,
    diversionLegs: div.length,
    diversionsAnnouncedEnRoute: divAnnounced.length,
    diversionsDetected: divDetected.length,
    targets: TARGETS,
    pass: right / dest.length >= TARGETS.rightShare && (median(leads) ?? 0) >= TARGETS.leadMinutesMedian && falses / others.length <= TARGETS.falseShare,
    baseline: {
      name: 'heading-only (destination within ±5° of track, < 1,500 nm, above 10,000 ft, 2 min)',
      rightShare: round(baseRight / dest.length),
      leadMinutesMedian: round(median(baseLeads), 1),
      falseShare: round(baseFalses / others.length),
    },
    positions,
    seconds: round(seconds, 1),
  };
  console.log(JSON.stringify(out));
}

/** The baseline: first destination within ±5° of the track, < 1,500 nm ahead, above 10,000 ft, held 2 minutes. */
function headingOnly(states: { lat?: number; lon?: number; trackDeg?: number; altFt?: number; onGround: boolean; observedAt: number }[], dests: { id: string; a: Airport }[]) {
  const since = new Map<string, number>();
  for (const s of states) {
    if (s.onGround || s.lat === undefined || s.lon === undefined || s.trackDeg === undefined || (s.altFt ?? 0) < 10_000) {
      since.clear();
      continue;
    }
    for (const d of dests) {
      const dist = distanceNm({ lat: s.lat, lon: s.lon }, d.a);
      const off = Math.abs((((bearingDeg({ lat: s.lat, lon: s.lon }, d.a) - s.trackDeg) % 360) + 540) % 360 - 180);
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
