/**
 * A generated multi-leg trip as the archive would hand it to an evidence export: positions every 30 s, one raw
 * reply per poll with its body, the takeoff/landing/trip events. Used by the evidence tests and the
 * `evidenceExportMs` figure of `npm run bench:archive`.
 */
import { createHash } from 'node:crypto';
import type { AirportRef, FlightEvent } from '../../src/domain/event';
import type { EvidenceInput, EvidenceLeg } from '../../src/archive/evidence/input';
import type { Flag } from '../../src/archive/schema';
import { generateTrace, type SimAirport } from '../../src/sim/trace';

type Place = SimAirport & { country: string; name: string };
export const PLACES: Record<string, Place> = {
  KAEX: { icao: 'KAEX', lat: 31.3274, lon: -92.549797, country: 'US', name: 'Alexandria International' },
  KIWA: { icao: 'KIWA', lat: 33.3078, lon: -111.654999, country: 'US', name: 'Phoenix-Mesa Gateway' },
  PANC: { icao: 'PANC', lat: 61.1744, lon: -149.996002, country: 'US', name: 'Ted Stevens Anchorage' },
  MGGT: { icao: 'MGGT', lat: 14.5833, lon: -90.527496, country: 'GT', name: 'La Aurora' },
  ZYTX: { icao: 'ZYTX', lat: 41.639801, lon: 123.483002, country: 'CN', name: 'Taoxian' },
};

const ref = (p: Place): AirportRef => ({ icao: p.icao, name: p.name, country: p.country, lat: p.lat, lon: p.lon });
const iso = (ms: number) => new Date(ms).toISOString();

/** A trip over the given airports (default KAEX → KIWA → PANC → ZYTX, about 17 h from first takeoff to last landing). */
export function syntheticTripEvidence(
  o: { route?: string[]; start?: number; hex?: string; intervalS?: number } = {},
): EvidenceInput {
  const route = (o.route ?? ['KAEX', 'KIWA', 'PANC', 'ZYTX']).map((c) => {
    const p = PLACES[c];
    if (!p) throw new Error(`no place ${c}`);
    return p;
  });
  const hex = o.hex ?? 'a1b2c3';
  const start = o.start ?? Date.parse('2026-11-03T14:00:00Z');
  const trace = generateTrace({
    hex,
    start,
    intervalS: o.intervalS ?? 30,
    registration: 'N123XX',
    type: 'GLF5',
    sourceId: 'adsblol',
    legs: route.slice(1).map((to, i) => ({ from: route[i]!, to, groundBeforeMin: i === 0 ? 10 : 60 })),
  });
  const tripId = createHash('sha256').update(`${hex}|trip|${start}`).digest('hex').slice(0, 32);
  const events: FlightEvent[] = [];
  const legs: EvidenceLeg[] = trace.legs.map((l, i) => {
    const from = route[i]!;
    const to = route[i + 1]!;
    const positions = trace.states
      .filter((s) => s.observedAt >= l.takeoffAt - 60_000 && s.observedAt <= l.landingAt + 60_000)
      .filter((s) => s.lat !== undefined && s.lon !== undefined)
      .map((s) => ({
        time: s.observedAt,
        lat: s.lat!,
        lon: s.lon!,
        altFt: s.onGround ? null : (s.altFt ?? null),
        gsKt: s.gsKt ?? null,
        trackDeg: s.trackDeg ?? null,
        onGround: s.onGround,
        source: 'adsblol',
      }));
    const id = (k: string) => createHash('sha256').update(`${hex}|${k}|${i}|${start}`).digest('hex').slice(0, 32);
    const base = {
      schema: 'flightwatch.event/v1' as const,
      aircraft: { hex, registration: 'N123XX', type: 'GLF5' },
      watch: { ids: ['glf5'], tags: ['removal'] },
      source: 'adsblol',
      evidence: [],
    };
    events.push(
      {
        ...base,
        id: id('takeoff'),
        type: 'takeoff',
        time: iso(l.takeoffAt),
        airport: { ...ref(from), distanceNm: 0.3 },
        position: { lat: from.lat, lon: from.lon, altFt: 100 },
        details: { inferred: false, reason: 'ground-to-air', tripId },
      },
      {
        ...base,
        id: id('landing'),
        type: 'landing',
        time: iso(l.landingAt),
        airport: { ...ref(to), distanceNm: 0.4 },
        position: { lat: to.lat, lon: to.lon, altFt: null },
        details: { inferred: false, reason: 'air-to-ground', departure: from.icao, tripId },
      },
    );
    return {
      id: id('leg'),
      tripId,
      from: ref(from),
      to: ref(to),
      departedAt: iso(l.takeoffAt),
      arrivedAt: iso(l.landingAt),
      takeoffInferred: false,
      landingInferred: false,
      takeoffEstimated: false,
      landingEstimated: false,
      gaps: [],
      positions,
    };
  });
  const legEnds = trace.legs.map((l, i) => ({ l, from: route[i]!, to: route[i + 1]! }));
  events.push({
    schema: 'flightwatch.event/v1',
    id: tripId,
    type: 'trip',
    time: iso(trace.legs.at(-1)!.landingAt + 1000),
    aircraft: { hex, registration: 'N123XX', type: 'GLF5' },
    watch: { ids: ['glf5'], tags: ['removal'] },
    source: 'adsblol',
    evidence: [],
    details: {
      tripId,
      status: 'open',
      legs: legEnds.map(({ l, from, to }) => ({
        from: ref(from),
        to: ref(to),
        departedAt: iso(l.takeoffAt),
        arrivedAt: iso(l.landingAt),
      })),
      route: [route[0]!.icao, ...route.slice(1).map((p) => p.icao)].join(' → '),
      origin: route[0]!.country,
      countries: [...new Set(route.map((p) => p.country).filter((c) => c !== route[0]!.country))],
      destinations: [],
    },
  });
  const rawReplies = trace.states.map((s) => {
    const body = JSON.stringify({
      now: s.observedAt / 1000,
      ac: [{ hex, lat: s.lat, lon: s.lon, alt_baro: s.altFt ?? 'ground' }],
    });
    return {
      source: 'adsblol',
      url: `https://api.adsb.lol/v2/hex/${hex}`,
      fetchedAt: iso(s.observedAt + 1000),
      status: 200,
      sha256: createHash('sha256').update(body).digest('hex'),
      body,
    };
  });
  return {
    subject: { kind: 'trip', id: tripId },
    aircraft: { hex, registration: 'N123XX', type: 'GLF5', operator: null },
    legs,
    events,
    rawReplies,
    watchEntries: [
      {
        id: 'glf5',
        note: 'Gulfstream V used for removal flights to China',
        source: 'WSJ 2015-09-25',
        added: '2026-01-05',
        tags: ['removal'],
      },
    ],
  };
}

const flag = (b: boolean | undefined): Flag => (b ? 1 : 0);

/** The same trip as the archive receives it: its events, and its positions and replies as captured rows. */
export function tripArchiveRows(input: EvidenceInput) {
  const replyAt = new Map(input.rawReplies.map((r) => [Date.parse(r.fetchedAt) - 1000, r]));
  const replyId = (r: EvidenceInput['rawReplies'][number]) =>
    createHash('sha256').update(`${r.source}|${r.fetchedAt}|${r.sha256}`).digest('hex');
  const positions = input.legs.flatMap((l) =>
    l.positions.map((p) => {
      const reply = replyAt.get(p.time);
      return {
        hex: input.aircraft.hex,
        t: p.time,
        lat: p.lat,
        lon: p.lon,
        alt_ft: p.altFt,
        gs_kt: p.gsKt ?? null,
        track_deg: p.trackDeg ?? null,
        vrate_fpm: null,
        on_ground: flag(p.onGround),
        source: p.source ?? 'adsblol',
        leg_id: null,
        reply_id: reply ? replyId(reply) : null,
      };
    }),
  );
  const replies = input.rawReplies.map((r) => ({
    id: replyId(r),
    source: r.source,
    url: r.url,
    fetched_at: Date.parse(r.fetchedAt),
    status: Number(r.status),
    body_sha256: r.sha256,
    bytes: r.body?.length ?? 0,
    body: r.body ?? null,
    hexes: JSON.stringify([input.aircraft.hex]),
  }));
  return { events: input.events, positions, replies };
}
