/** The event document (docs/events.md): fields, id derivation, config defaults, and the test airport rows. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { detectSchema } from '../../../src/config/detect-schema';
import { eventId } from '../../../src/detect';
import { EVENT_SCHEMA } from '../../../src/domain/event';
import { TEST_AIRPORT_ROWS } from '../../helpers/detect-airports';
import { VRS_AIRPORTS as CSV, describeShared } from '../../helpers/shared';
import { MIN, detector, polls, run, simAirport, trace } from './harness';

describe('event document', () => {
  it('every event carries the v1 fields; evidence names source and fetch time; JSON round-trips', async () => {
    const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('MGGT') }], operator: 'GlobalX' });
    const evs = await run(
      detector({ destinations: [{ id: 'gt', airports: [], countries: ['GT'], radiusNm: 5 }] }),
      polls(t),
    );
    expect(evs.map((e) => e.type)).toEqual(['seen', 'takeoff', 'landing', 'destination']);
    for (const e of evs) {
      expect(e.schema).toBe(EVENT_SCHEMA);
      expect(e.id).toMatch(/^[0-9a-f]{32}$/);
      expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.aircraft).toEqual({
        hex: 'a1b2c3',
        registration: 'N123XX',
        type: 'GLF5',
        callsign: 'GXA123',
        operator: 'GlobalX',
      });
      expect(e.watch).toEqual({ ids: ['glf5'], tags: ['removal'] });
      expect(e.source).toBe('sim');
      expect(e.position).toEqual(expect.objectContaining({ lat: expect.any(Number), lon: expect.any(Number) }));
      expect(e.airport).toEqual(
        expect.objectContaining({ icao: expect.any(String), country: expect.any(String), tz: expect.any(String) }),
      );
      expect(e.evidence.length).toBeGreaterThan(0);
      for (const p of e.evidence) {
        expect(p.source).toBe('sim');
        expect(Date.parse(p.fetchedAt)).toBeGreaterThanOrEqual(Date.parse(p.time));
      }
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    }
    expect(evs[3]).toMatchObject({
      destination: { id: 'gt' },
      airport: { icao: 'MGGT' },
      details: { via: 'country', landingId: evs[2].id },
    });
  });

  it('id = first 32 hex digits of sha256(hex|key|bucket), bucket = time / eventIdBucketMinutes', () => {
    const time = Date.UTC(2025, 0, 31, 12, 7, 0);
    const bucket = Math.floor(time / (15 * MIN));
    expect(eventId('a1b2c3', 'landing', time, 15 * MIN)).toBe(
      createHash('sha256').update(`a1b2c3|landing|${bucket}`).digest('hex').slice(0, 32),
    );
    expect(eventId('a1b2c3', 'landing', time + 7 * MIN, 15 * MIN)).toBe(eventId('a1b2c3', 'landing', time, 15 * MIN));
    expect(eventId('a1b2c3', 'landing', time + 9 * MIN, 15 * MIN)).not.toBe(
      eventId('a1b2c3', 'landing', time, 15 * MIN),
    );
    expect(eventId('a1b2c3', 'takeoff', time, 15 * MIN)).not.toBe(eventId('a1b2c3', 'landing', time, 15 * MIN));
  });
});

describe('detect config', () => {
  it('has defaults for every key and names bad values', () => {
    const d = detectSchema.parse(undefined);
    expect(d).toMatchObject({
      quietPeriodMinutes: 360,
      landingTimeoutMinutes: 10,
      squawkHoldSeconds: 60,
      squawkCodes: ['7500', '7600', '7700'],
    });
    const bad = detectSchema.safeParse({ squawkCodes: ['7800x'], trackTtlDays: 0.1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('squawkCodes.0');
    expect(detectSchema.safeParse({ nope: 1 }).success).toBe(false);
    expect(detectSchema.safeParse({ trackTtlDays: 0.1 }).error?.issues[0].message).toMatch(
      /longer than quietPeriodMinutes/,
    );
  });
});

describeShared('test airport rows', () => {
  it('match the VRS standing-data CSV (code, name, country, position, elevation)', () => {
    const rows = new Map(
      readFileSync(CSV, 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[2], c] as const),
    );
    for (const [icao, iata, name, country, lat, lon, elev] of TEST_AIRPORT_ROWS) {
      const c = rows.get(icao);
      expect(c).toBeDefined();
      expect([c![1], c![3], c![5]]).toEqual([name, iata, country]);
      expect(Number(c![6])).toBeCloseTo(lat, 4);
      expect(Number(c![7])).toBeCloseTo(lon, 4);
      expect(Number(c![8])).toBe(elev);
    }
  });
});
