/**
 * Routes on the real components: the Redis track store (route state commits with the track, survives a worker
 * restart, the ground-stop timer is indexed with the rules' timers) and a real OpenSky capture (CONUS, 6,109
 * state vectors) through the detector with the full npm airport table.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { tripsSchema } from '../../../src/config/trips-schema';
import { RedisTrackStore, createDetector, type FlightDetector } from '../../../src/detect';
import { buildAirports } from '../../../src/data/build-airports';
import { parseVrsAirports } from '../../../src/data/formats/vrs-airports';
import { createAirportIndex } from '../../../src/places/kd-airport-index';
import type { FlightEvent } from '../../../src/domain/event';
import { tripsExtension, type TripsTrackState } from '../../../src/trips';
import { bearingDeg, distanceNm } from '../../../src/sim';
import { parseOpenSkyText } from '../../../src/sources/opensky/parse';
import { startRedis, type TestRedis } from '../../helpers/redis-server';
import { OPENSKY_CONUS as CONUS, VRS_AIRPORTS as AIRPORTS, describeShared } from '../../helpers/shared';
import { HOUR, MIN, airports, ofType, polls, run, simAirport, trace } from '../../unit/detect/harness';

try {
  execFileSync('which', ['redis-server'], { stdio: 'ignore' });
} catch {
  throw new Error(
    'redis-server is not installed (apt-get install redis-server): the routes Redis tests need a real server',
  );
}

const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };
const routes = tripsSchema.parse({ stitch: { maxGroundStopMinutes: 180 } });

let server: TestRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  await server?.stop();
});

function redisDetector(pfx: string): FlightDetector {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 2 });
  clients.push(redis);
  return createDetector({
    airports,
    maxPositionAgeS: 60,
    destinations: [SHENYANG],
    store: new RedisTrackStore({ redis, prefix: pfx, ttlMs: 14 * 24 * HOUR }),
    extensions: [tripsExtension({ cfg: routes })],
  });
}

describe('routes on the Redis track store', () => {
  const t = trace({
    legs: [
      { from: simAirport('KAEX'), to: simAirport('PANC') },
      { from: simAirport('PANC'), to: simAirport('ZYTX'), groundBeforeMin: 60 },
    ],
  });

  it('trip and prediction state survive a worker restart mid-trip; events equal the memory store run', async () => {
    const ps = polls(t, 5 * 60);
    const memory = await run(
      createDetector({
        airports,
        maxPositionAgeS: 60,
        destinations: [SHENYANG],
        extensions: [tripsExtension({ cfg: routes })],
      }),
      ps,
    );
    const pfx = 'fwroutes1:';
    // Worker 1 runs until the middle of the second leg; worker 2 (new process, same Redis) takes over.
    const cut = ps.findIndex((p) => p.now > (t.legs[1].takeoffAt + t.legs[1].landingAt) / 2);
    const first = await run(redisDetector(pfx), ps.slice(0, cut));
    const stored = await redisDetector(pfx).store.get('a1b2c3');
    const r = stored?.ext?.trips as TripsTrackState;
    expect(r.trip?.legs.map((l) => l.to?.icao ?? null)).toEqual(['PANC', null]);
    expect(r.leg?.dep).toBe('PANC');
    const second = await run(redisDetector(pfx), ps.slice(cut));
    const all: FlightEvent[] = [...first, ...second];
    expect(all).toEqual(memory);
    expect(all.filter((e) => e.type === 'en_route')).toHaveLength(1);
    expect(all.filter((e) => e.type === 'trip').map((e) => e.details!.status)).toEqual(['open', 'closed']);
  });

  it('the ground-stop timer is in the deadline index and closes the trip without the aircraft being heard', async () => {
    const pfx = 'fwroutes2:';
    const d = redisDetector(pfx);
    const one = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('MGGT') }], groundAfterMin: 5 });
    const ps = polls(one, 0);
    await run(d, ps);
    const redis = clients[clients.length - 1];
    const score = await redis.zscore(`${pfx}track-deadlines`, 'a1b2c3');
    expect(Number(score)).toBeCloseTo(Date.parse(new Date(one.legs[0].landingAt).toISOString()) + 180 * MIN, -5);
    const later = await d.process([], Number(score) + MIN);
    expect(ofType(later, 'trip').map((e) => `${e.type}:${e.details!.status}:${e.details!.closeReason}`)).toEqual([
      'trip:closed:ground-stop-limit',
    ]);
    expect(await redis.zscore(`${pfx}track-deadlines`, 'a1b2c3')).toBeNull();
    await redis.del(`${pfx}track:a1b2c3`);
  });
});

describeShared('routes over a real OpenSky capture (CONUS, 2025-01-31)', () => {
  it('every en_route names an airport ahead on the track; the capture advanced a minute on dead reckoning confirms', async () => {
    // The VRS table alone (what a deployment may have): no airport kinds, so candidates fall back to IATA airports.
    const { airports: rows } = buildAirports({ vrs: parseVrsAirports(readFileSync(AIRPORTS, 'utf8'), AIRPORTS) });
    const index = createAirportIndex(rows);
    const text = readFileSync(CONUS, 'utf8');
    const now = 1738361582_000;
    const { states } = parseOpenSkyText(text, { sourceId: 'opensky', fetchedAt: now });
    expect(states.length).toBeGreaterThan(6000);
    const d = createDetector({
      airports: index,
      maxPositionAgeS: 600,
      destinations: [
        { id: 'mexico', airports: [], countries: ['MX'], radiusNm: 5 },
        { id: 'guatemala', airports: ['MGGT'], countries: [], radiusNm: 5 },
      ],
      extensions: [
        tripsExtension({ cfg: tripsSchema.parse({ enRoute: { minFlightMinutes: 0, confirmEvaluations: 2 } }) }),
      ],
    });
    const watch = { ids: ['all'], tags: [] };
    // Southern part of the box (Gulf, Texas, Florida, northern Mexico): where flights to Mexico and Guatemala are.
    const batch = states.filter((s) => s.lat !== undefined && s.lat < 31).map((s) => ({ ...s, watch }));
    expect(batch.length).toBeGreaterThan(500);
    const evs = await d.process(batch, now);
    expect(evs.filter((e) => e.type === 'en_route')).toHaveLength(0); // one evaluation is not confirmation
    // The same aircraft a minute on (positions advanced along their track at their speed): a second evaluation.
    const next = batch.map((s) => {
      if (s.onGround || s.lat === undefined || s.lon === undefined || s.gsKt === undefined || s.trackDeg === undefined)
        return { ...s, observedAt: s.observedAt + 60_000, positionAt: (s.positionAt ?? s.observedAt) + 60_000 };
      const nm = s.gsKt / 60;
      const r = (s.trackDeg * Math.PI) / 180;
      return {
        ...s,
        lat: s.lat + (nm * Math.cos(r)) / 60,
        lon: s.lon + (nm * Math.sin(r)) / 60 / Math.cos((s.lat * Math.PI) / 180),
        observedAt: s.observedAt + 60_000,
        positionAt: (s.positionAt ?? s.observedAt) + 60_000,
      };
    });
    const evs2 = (await d.process(next, now + 60_000)).filter((e) => e.type === 'en_route');
    expect(evs2.length).toBeGreaterThan(0);
    for (const e of evs2) {
      const pos = e.position!;
      const a = e.airport!;
      const off = Math.abs(((((bearingDeg(pos, a) - pos.trackDeg!) % 360) + 540) % 360) - 180);
      expect({ hex: e.aircraft.hex, ahead: off < 45 || distanceNm(pos, a) < 20 }).toEqual({
        hex: e.aircraft.hex,
        ahead: true,
      });
      expect(e.details!.confidence).toBeGreaterThanOrEqual(0.6);
      expect(['mexico', 'guatemala']).toContain(e.destination!.id);
    }
  });
});
