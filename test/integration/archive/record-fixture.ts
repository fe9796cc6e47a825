/**
 * A small, hand-made flight record for the classification, review, export and evidence tests: three trips of
 * one airframe in November 2026 written through the archive's own write path (writeEvents, writeCaptures).
 *   trip-1: KAEX → KHRL → MGGT → KHRL   (connection, removal to GT, return)
 *   trip-2: KAEX → KSAN                  (lateral: San Diego)
 *   trip-3: KIWA → KAEX, landing inferred (shuffle, estimated)
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { EVENT_SCHEMA, type AirportRef, type FlightEvent } from '../../../src/domain/event';
import type { ArchiveDatabase } from '../../../src/archive/schema';
import { writeEvents } from '../../../src/archive/write-events';
import { writeCaptures } from '../../../src/archive/write-captures';
import type { CapturedPosition, CapturedReply } from '../../../src/archive/capture';

const A = (icao: string, country: string, lat: number, lon: number): AirportRef => ({
  icao,
  name: `${icao} airport`,
  country,
  lat,
  lon,
});
export const AP = {
  KAEX: A('KAEX', 'US', 31.3274, -92.5486),
  KHRL: A('KHRL', 'US', 26.2285, -97.6544),
  MGGT: A('MGGT', 'GT', 14.5833, -90.5275),
  KSAN: A('KSAN', 'US', 32.7336, -117.1897),
  KIWA: A('KIWA', 'US', 33.3078, -111.6555),
};
export const HEX = 'a1b2c3';

const base = (time: number) => ({
  schema: EVENT_SCHEMA,
  time: new Date(time).toISOString(),
  aircraft: { hex: HEX, registration: 'N123XX', type: 'B738', operator: 'GlobalX' },
  watch: { ids: ['ice-air'], tags: ['removal'] },
  source: 'adsblol',
  evidence: [],
});

interface LegSpec {
  from: AirportRef;
  to: AirportRef;
  dep: number;
  arr: number;
  inferred?: boolean;
}

export const legId = (tripId: string, k: number) => `leg:${tripId}-takeoff-${k}`;

function tripEvents(tripId: string, legs: LegSpec[]): FlightEvent[] {
  const out: FlightEvent[] = [];
  legs.forEach((l, k) => {
    out.push({
      ...base(l.dep),
      id: `${tripId}-takeoff-${k}`,
      type: 'takeoff',
      airport: { ...l.from, distanceNm: 0.2 },
      position: { lat: l.from.lat, lon: l.from.lon, altFt: 200 },
      details: { inferred: false, reason: 'ground-to-air', tripId },
    });
    out.push({
      ...base(l.arr),
      id: `${tripId}-landing-${k}`,
      type: 'landing',
      airport: { ...l.to, distanceNm: 0.3 },
      position: { lat: l.to.lat, lon: l.to.lon, altFt: null },
      details: l.inferred
        ? {
            inferred: true,
            reason: 'signal-lost-low-slow',
            departure: l.from.icao,
            tripId,
            estimated: true,
            observedAt: new Date(l.arr - 300_000).toISOString(),
          }
        : { inferred: false, reason: 'air-to-ground', departure: l.from.icao, tripId },
    });
  });
  out.push({
    ...base(legs.at(-1)!.arr + 1000),
    id: `${tripId}-trip`,
    type: 'trip',
    details: {
      tripId,
      status: 'closed',
      legs: legs.map((l) => ({
        from: l.from,
        to: l.to,
        departedAt: new Date(l.dep).toISOString(),
        arrivedAt: new Date(l.arr).toISOString(),
      })),
      route: [legs[0].from.icao, ...legs.map((l) => l.to.icao)].join(' → '),
      origin: 'US',
      countries: [...new Set(legs.map((l) => l.to.country).filter((c) => c !== 'US'))],
      destinations: [],
    },
  });
  return out;
}

const H = 3_600_000;
export const T0 = Date.parse('2026-11-10T12:00:00Z');

export function fixtureEvents(): FlightEvent[] {
  return [
    ...tripEvents('trip-1', [
      { from: AP.KAEX, to: AP.KHRL, dep: T0, arr: T0 + 2 * H },
      { from: AP.KHRL, to: AP.MGGT, dep: T0 + 3 * H, arr: T0 + 5 * H },
      { from: AP.MGGT, to: AP.KHRL, dep: T0 + 6 * H, arr: T0 + 8 * H },
    ]),
    ...tripEvents('trip-2', [{ from: AP.KAEX, to: AP.KSAN, dep: T0 + 48 * H, arr: T0 + 52 * H }]),
    ...tripEvents('trip-3', [{ from: AP.KIWA, to: AP.KAEX, dep: T0 + 96 * H, arr: T0 + 99 * H, inferred: true }]),
  ].sort((a, b) => a.time.localeCompare(b.time));
}

/** Positions every 60 s along trip-1's removal leg (KHRL → MGGT), each from its own captured reply. */
function removalCaptures(): { positions: CapturedPosition[]; replies: CapturedReply[] } {
  const positions: CapturedPosition[] = [];
  const replies: CapturedReply[] = [];
  const dep = T0 + 3 * H;
  for (let t = dep; t <= dep + 2 * H; t += 60_000) {
    const f = (t - dep) / (2 * H);
    const lat = AP.KHRL.lat + (AP.MGGT.lat - AP.KHRL.lat) * f;
    const lon = AP.KHRL.lon + (AP.MGGT.lon - AP.KHRL.lon) * f;
    const body = JSON.stringify({ now: t / 1000, ac: [{ hex: HEX, lat, lon }] });
    const sha = createHash('sha256').update(body).digest('hex');
    const id = createHash('sha256').update(`adsblol|${t}|${sha}`).digest('hex');
    replies.push({
      id,
      source: 'adsblol',
      url: `https://api.adsb.lol/v2/hex/${HEX}`,
      fetchedAt: t + 1000,
      status: 200,
      bodySha256: sha,
      bytes: body.length,
      body,
      hexes: [HEX],
    });
    positions.push([
      HEX,
      t,
      lat,
      lon,
      f > 0.02 && f < 0.98 ? 35000 : null,
      450,
      150,
      0,
      f > 0.02 && f < 0.98 ? 0 : 1,
      'adsblol',
      id,
    ]);
  }
  return { positions, replies };
}

/** Writes the fixture: captures first (as the worker does, positions arrive before the landing), then events. */
export async function writeFixture(db: Kysely<ArchiveDatabase>): Promise<void> {
  await writeCaptures(db, [{ streamId: '1-0', capture: removalCaptures() }]);
  await writeEvents(
    db,
    fixtureEvents().map((event) => ({ event })),
  );
}
