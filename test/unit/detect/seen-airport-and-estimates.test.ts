/**
 * Two oddities found replaying the real OpenSky CONUS capture (2025-01-31):
 *  - an airborne A320 (GXA528, a 4-minute-old position at 4,500 ft, 204 kt) got a `seen` naming a private
 *    strip 9.9 nm away. A `seen` names an airport for an airborne aircraft only from a fresh position, and
 *    beyond airportRadiusNm only an airport with scheduled service;
 *  - a takeoff inferred from "first seen climbing" (CSI591) is timed 9 minutes before the only position. The
 *    estimate is kept (the takeoff did happen before the aircraft was seen) and says so: `estimated: true`
 *    and `observedAt`, the position the estimate starts from.
 * Constructed records around the real airports first, then the capture itself (skipped without ../shared).
 */
import { readFileSync } from 'node:fs';
import { createDetector } from '../../../src/detect';
import { detectSchema } from '../../../src/config/detect-schema';
import { buildAirports } from '../../../src/data/build-airports';
import { parseVrsAirports } from '../../../src/data/formats/vrs-airports';
import { createAirportIndex } from '../../../src/places/kd-airport-index';
import { parseOpenSkyText } from '../../../src/sources/opensky/parse';
import { NO_FLAGS } from '../../../src/domain/aircraft-state';
import type { Airport } from '../../../src/places/airport-index';
import type { FlightEvent } from '../../../src/domain/event';
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { OPENSKY_CONUS as CONUS, VRS_AIRPORTS as VRS, describeShared } from '../../helpers/shared';
import { expectDocument } from './harness';

const MIN = 60_000;
const T = Date.UTC(2025, 0, 31, 22, 13, 2);
// Rows as in ../shared/data/vrs-airports.csv: VRS has no airport kinds.
const AIRPORTS: Airport[] = [
  {
    icao: 'KLAN',
    iata: 'LAN',
    name: 'Capital City Airport',
    country: 'US',
    lat: 42.778702,
    lon: -84.587402,
    elevationFt: 861,
    kind: 'unknown',
  },
  {
    icao: '44MI',
    name: 'Airbatco Field',
    country: 'US',
    lat: 42.773602,
    lon: -84.900002,
    elevationFt: 852,
    kind: 'unknown',
  },
];
const index = createAirportIndex(AIRPORTS);

function rec(o: Partial<MatchedAircraft> & { observedAt: number }): MatchedAircraft {
  return {
    hex: '44d2ab',
    callsign: 'GXA528',
    type: 'A320',
    onGround: false,
    flags: NO_FLAGS,
    positionAt: o.observedAt - (o.positionAgeS ?? 0) * 1000,
    sourceId: 'opensky',
    fetchedAt: o.observedAt,
    watch: { ids: ['globalx'], tags: [] },
    ...o,
  };
}

/** GXA528 as in the capture: south-west of Lansing, heading north, descending slowly. */
const GXA528 = { lat: 42.6164, lon: -84.8384, altFt: 4525, gsKt: 204, trackDeg: 351, vrateFpm: -321 };

async function once(r: MatchedAircraft): Promise<FlightEvent[]> {
  return createDetector({ airports: index, maxPositionAgeS: 60 }).process([r], r.observedAt);
}

describe('seen: which airport an airborne aircraft is at', () => {
  it('a fresh position low and slow 9.9 nm from a private strip and 15 nm from an airport with service names the served one', async () => {
    const [seen] = await once(rec({ observedAt: T, positionAgeS: 1, ...GXA528 }));
    expect(seen.type).toBe('seen');
    expect(seen.airport?.icao).toBe('KLAN');
  });

  it('a stale position (4 minutes old at 204 kt) names no airport and says it is stale', async () => {
    const [seen] = await once(rec({ observedAt: T, positionAgeS: 248, ...GXA528 }));
    expect(seen.type).toBe('seen');
    expect(seen.airport).toBeUndefined();
    expect(seen.details).toMatchObject({ phase: 'airborne', stale: true });
  });

  it('a small aircraft in the pattern within airportRadiusNm of the strip names the strip', async () => {
    const [seen] = await once(
      rec({
        observedAt: T,
        positionAgeS: 1,
        callsign: 'N123',
        type: 'C172',
        lat: 42.8,
        lon: -84.92,
        altFt: 1800,
        gsKt: 85,
        trackDeg: 200,
      }),
    );
    expect(seen.airport?.icao).toBe('44MI');
    expect(seen.airport!.distanceNm).toBeLessThanOrEqual(detectSchema.parse({}).airportRadiusNm);
  });

  it('the strip alone, 9.9 nm away: no airport rather than the strip', async () => {
    const strip = createAirportIndex(AIRPORTS.filter((a) => a.icao === '44MI'));
    const r = rec({ observedAt: T, positionAgeS: 1, ...GXA528 });
    const [seen] = await createDetector({ airports: strip, maxPositionAgeS: 60 }).process([r], T);
    expect(seen.airport).toBeUndefined();
  });
});

describe('estimated event times', () => {
  it('first seen climbing: the takeoff is timed before the first position, marked estimated, with that position', async () => {
    const evs = await once(
      rec({
        observedAt: T,
        positionAgeS: 0,
        lat: 42.85,
        lon: -84.55,
        altFt: 6861,
        gsKt: 200,
        trackDeg: 20,
        vrateFpm: 1500,
      }),
    );
    const takeoff = evs.find((e) => e.type === 'takeoff')!;
    expect(takeoff.airport?.icao).toBe('KLAN');
    expect(takeoff.details).toMatchObject({
      inferred: true,
      reason: 'first-seen-climbing',
      estimated: true,
      observedAt: new Date(T).toISOString(),
    });
    expect(Date.parse(takeoff.time)).toBe(T - 4 * MIN); // 6,000 ft above KLAN at 1,500 ft/min
    expect(takeoff.evidence[0].time).toBe(new Date(T).toISOString());
  });

  it('an observed takeoff (ground, then airborne 30 s later, confirmed by the next position) is not estimated', async () => {
    const d = createDetector({ airports: index, maxPositionAgeS: 60 });
    const ground = rec({ observedAt: T, lat: 42.7787, lon: -84.5874, onGround: true, gsKt: 20, altFt: 861 });
    const air = rec({ observedAt: T + 30_000, lat: 42.79, lon: -84.58, altFt: 1500, gsKt: 160, vrateFpm: 2000 });
    const air2 = rec({ observedAt: T + 60_000, lat: 42.8, lon: -84.57, altFt: 2500, gsKt: 170, vrateFpm: 2000 });
    await d.process([ground], T);
    expect(await d.process([air], T + 30_000)).toEqual([]); // one airborne report is not yet a takeoff
    const [takeoff] = await d.process([air2], T + 60_000);
    expect(takeoff.type).toBe('takeoff');
    expect(takeoff.time).toBe(new Date(T + 30_000).toISOString());
    expect(takeoff.details).not.toHaveProperty('estimated');
  });

  it('reacquired climbing after a gap: the estimate never goes back past the last position seen airborne', async () => {
    const d = createDetector({ airports: index, maxPositionAgeS: 60 });
    await d.process([rec({ observedAt: T, lat: 43.5, lon: -84.5, altFt: 35000, gsKt: 450, trackDeg: 180 })], T);
    // 31 minutes later, 9,900 ft above KLAN climbing at 300 ft/min: 33 minutes of climb, more than the gap.
    const back = T + 31 * MIN;
    const evs = await d.process(
      [rec({ observedAt: back, lat: 42.8, lon: -84.6, altFt: 10761, gsKt: 250, trackDeg: 90, vrateFpm: 300 })],
      back,
    );
    const takeoff = evs.find((e) => e.type === 'takeoff')!;
    expect(takeoff.details).toMatchObject({
      reason: 'reacquired-climbing',
      estimated: true,
      observedAt: new Date(back).toISOString(),
    });
    expect(Date.parse(takeoff.time)).toBe(T);
  });
});

describeShared('the real OpenSky CONUS capture, every aircraft watched, VRS airport table', () => {
  it('GXA528 names no airport; CSI591 takeoff is estimated; no airborne sighting names a far strip; every early time is marked', async () => {
    const { airports } = buildAirports({ vrs: parseVrsAirports(readFileSync(VRS, 'utf8'), VRS) });
    const idx = createAirportIndex(airports);
    const now = 1738361582_000;
    const { states } = parseOpenSkyText(readFileSync(CONUS, 'utf8'), { sourceId: 'opensky', fetchedAt: now });
    const batch: MatchedAircraft[] = states.map((s) => ({ ...s, watch: { ids: ['all'], tags: [] } }));
    const evs = await createDetector({ airports: idx, maxPositionAgeS: 60 }).process(batch, now);
    for (const e of evs) expectDocument(e);
    const cfg = detectSchema.parse({});
    const by = (cs: string, type: string) => evs.find((e) => e.aircraft.callsign === cs && e.type === type);

    const gxa = by('GXA528', 'seen')!;
    expect(gxa.details).toMatchObject({ phase: 'airborne', stale: true });
    expect(gxa.airport).toBeUndefined();

    const csi = by('CSI591', 'takeoff')!;
    expect(csi.details).toMatchObject({
      reason: 'first-seen-climbing',
      estimated: true,
      observedAt: '2025-01-31T22:13:02.000Z',
    });
    expect(Date.parse(csi.time)).toBeLessThan(Date.parse('2025-01-31T22:13:02.000Z'));
    expect(csi.airport?.iata).toBeDefined(); // an airport with service (KABQ), not the nearest strip

    const airborneNamed = evs.filter((e) => e.type === 'seen' && e.details?.phase === 'airborne' && e.airport);
    expect(airborneNamed.length).toBeGreaterThan(0);
    for (const e of airborneNamed) {
      expect(e.details).not.toHaveProperty('stale');
      const a = idx.byIcao(e.airport!.icao)!;
      if (e.airport!.distanceNm! > cfg.airportRadiusNm)
        expect(a.iata ?? a.kind).toMatch(/^([A-Z0-9]{3}|large_airport|medium_airport)$/);
    }
    // An event timed before the positions it rests on says it is an estimate.
    for (const e of evs) {
      const firstSeen = Math.min(...e.evidence.map((p) => Date.parse(p.time)));
      if (Date.parse(e.time) < firstSeen) expect(e.details).toMatchObject({ estimated: true });
    }
    // …and an estimate names the observed position it starts from; a takeoff not estimated is timed at it (an
    // aircraft first seen climbing at or below the field elevation: it is lifting off right then).
    const takeoffs = evs.filter((e) => e.type === 'takeoff');
    expect(takeoffs.filter((e) => e.details?.estimated).length).toBeGreaterThan(10);
    for (const e of takeoffs) {
      const at = e.details?.estimated ? (e.details.observedAt as string) : e.time;
      expect(e.evidence.map((p) => p.time)).toContain(at);
    }
  });
});
