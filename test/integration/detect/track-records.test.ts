/**
 * Stored track records against a real redis-server: the unversioned shape of older releases migrates and the
 * flight goes on, a corrupt record is reported once (key and reason, never its content) and replaced while
 * the rest of the batch is detected, and a record written by a newer release is left alone and its aircraft
 * skipped rather than read as this release's shape.
 */
import Redis from 'ioredis';
import { tripsSchema } from '../../../src/config/trips-schema';
import { createDetector, RedisTrackStore, TRACK_STATE_VERSION, type FlightDetector } from '../../../src/detect';
import { tripsExtension } from '../../../src/trips';
import { decodeAll, windowInOrder } from '../../../src/detect/track-state';
import type { TrackRecordError } from '../../../src/detect/store/redis-store';
import { readTrackFields } from '../../../src/detect/store/track-fields';
import { redisSuite } from '../../helpers/redis-suite';
import { HOUR, MIN, T0, airborneAt, airports, polls, run, simAirport, summary, trace } from '../../unit/detect/harness';

const { client, prefix } = redisSuite('fwrec');

interface Reported {
  hex: string;
  error: TrackRecordError;
}

const SHENYANG = { id: 'shenyang', airports: ['ZYTX'], countries: [], radiusNm: 5 };
const trips = () => [tripsExtension({ cfg: tripsSchema.parse({ stitch: { maxGroundStopMinutes: 180 } }) })];

function redisDetector(redis: Redis, pfx: string, reported: Reported[] = [], withTrips = false): FlightDetector {
  return createDetector({
    airports,
    maxPositionAgeS: 60,
    ...(withTrips ? { destinations: [SHENYANG], extensions: trips() } : {}),
    store: new RedisTrackStore({
      redis,
      prefix: pfx,
      ttlMs: 14 * 24 * HOUR,
      onCorrupt: (hex, error) => reported.push({ hex, error }),
    }),
  });
}

/** The stored state as this release writes it: in fields, none of them the single `s` of earlier releases. */
async function storedState(redis: Redis, key: string) {
  expect(await redis.hexists(key, 's')).toBe(0);
  const [h, e, w, x] = await redis.hmgetBuffer(key, 'h', 'e', 'w', 'x');
  const { rec } = readTrackFields({ h: String(h), e: e?.toString(), w: w ?? undefined, x: x ?? undefined });
  if (rec.kind !== 'state') throw new Error(`stored record: ${rec.kind}`);
  // Rings and `ext` are decoded when first used: here, all of them.
  return decodeAll(rec.state);
}

/** The stored state as version 2 wrote it (samples as objects, rings oldest first). */
async function asVersion2(
  redis: Redis,
  key: string,
): Promise<Record<string, unknown> & { ext: { trips: { trip: { id: string; legs: unknown[] } } } }> {
  const st = await storedState(redis, key);
  return JSON.parse(JSON.stringify({ ...st, version: 2, window: windowInOrder(st), head: 0 }));
}

describe('stored track records', () => {
  it('an unversioned record of an older release migrates: the flight continues, and the next write is versioned', async () => {
    const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
    const ps = polls(t);
    const cut = ps.findIndex((p) => p.now >= t.legs[0].topOfClimbAt + 5 * MIN);
    const pfx = prefix();
    const redis = client();
    const key = `${pfx}track:a1b2c3`;
    const before = await run(redisDetector(redis, pfx), ps.slice(0, cut));
    // Rewrite the stored state as a release before versioned records wrote it (in `s`, over the sliced fields:
    // an older release reading a sliced record finds no `s` and writes its own).
    const { version: _v, recent: _r, ident: _i, ...old } = await asVersion2(redis, key);
    await redis.hset(key, 's', JSON.stringify(old));

    const reported: Reported[] = [];
    const after = await run(redisDetector(redis, pfx, reported), ps.slice(cut));
    expect(summary(before)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
    // No second "seen" or "takeoff": the migrated state still knows the aircraft left KAEX.
    expect(summary(after)).toEqual(['landing:KSAT']);
    expect(after[0].details).toMatchObject({ departure: 'KAEX', departedAt: before[1].time });
    expect(reported).toEqual([]);
    // The next write replaced the older record with a sliced one.
    expect(await storedState(redis, key)).toMatchObject({ version: TRACK_STATE_VERSION, hex: 'a1b2c3' });
  });

  it('an unversioned record with the trips state under ext.routes migrates to ext.trips: the trip goes on as if uninterrupted', async () => {
    const t = trace({
      legs: [
        { from: simAirport('KAEX'), to: simAirport('PANC') },
        { from: simAirport('PANC'), to: simAirport('ZYTX'), groundBeforeMin: 60 },
      ],
    });
    const ps = polls(t, 5 * 60);
    const memory = await run(
      createDetector({ airports, maxPositionAgeS: 60, destinations: [SHENYANG], extensions: trips() }),
      ps,
    );
    const pfx = prefix();
    const redis = client();
    const key = `${pfx}track:a1b2c3`;
    // An older release ran the first leg and half the second, and stored its state its way.
    const cut = ps.findIndex((p) => p.now > (t.legs[1].takeoffAt + t.legs[1].landingAt) / 2);
    const first = await run(redisDetector(redis, pfx, [], true), ps.slice(0, cut));
    const { version: _v, ext, ...old } = await asVersion2(redis, key);
    expect(ext.trips.trip.legs).toHaveLength(2);
    await redis.hset(key, 's', JSON.stringify({ ...old, ext: { routes: ext.trips } }));

    const reported: Reported[] = [];
    const second = await run(redisDetector(redis, pfx, reported, true), ps.slice(cut));
    expect([...first, ...second]).toEqual(memory);
    // The trip the older release opened at KAEX is the one that goes on.
    const tripEvents = second.filter((e) => e.type === 'trip');
    expect(tripEvents.map((e) => e.details!.tripId)).toEqual(tripEvents.map(() => ext.trips.trip.id));
    expect(tripEvents.at(-1)!.details).toMatchObject({ status: 'closed', route: 'KAEX → PANC → ZYTX' });
    expect(reported).toEqual([]);
    const stored = await storedState(redis, key);
    expect(stored.version).toBe(TRACK_STATE_VERSION);
    expect(Object.keys(stored.ext!)).toEqual(['trips']);
  });

  it('a corrupt record is reported once with its key and reason, never its content, and replaced; the batch goes on', async () => {
    const pfx = prefix();
    const redis = client();
    const key = `${pfx}track:badbad`;
    await redis.hset(key, 'v', '7', 's', JSON.stringify({ version: 2, hex: 'badbad', phase: 'token=s3cr3t' }));
    const reported: Reported[] = [];
    const d = redisDetector(redis, pfx, reported);

    const first = await d.process([airborneAt('badbad', T0), airborneAt('c0ffee', T0)], T0);
    const second = await d.process([airborneAt('badbad', T0 + MIN), airborneAt('c0ffee', T0 + MIN)], T0 + MIN);

    // The corrupt aircraft starts afresh (seen again), the other one is unaffected.
    expect(first.map((e) => `${e.type}:${e.aircraft.hex}`).sort()).toEqual(['seen:badbad', 'seen:c0ffee']);
    expect(second).toEqual([]);
    expect(reported).toHaveLength(1);
    const [{ hex, error }] = reported;
    expect(hex).toBe('badbad');
    expect(error.action).toBe('discarded');
    expect(error.message).toMatch(new RegExp(`^${key}: unreadable track state \\(\\S+: .+\\): the track restarts$`));
    expect(error.message).not.toContain('s3cr3t');
    // Replaced by a valid state of this release.
    expect(await storedState(redis, key)).toMatchObject({ version: TRACK_STATE_VERSION, hex: 'badbad' });
    expect(Number(await redis.hget(key, 'v'))).toBe(9);
  });

  it('an extension state that does not parse is reported when a step needs it; the extensions restart, the track goes on', async () => {
    const pfx = prefix();
    const redis = client();
    const key = `${pfx}track:c0ffee`;
    const reported: Reported[] = [];
    const d = redisDetector(redis, pfx, reported, true);
    expect(summary(await d.process([airborneAt('c0ffee', T0)], T0))).toEqual(['seen']);
    const entry = (await storedState(redis, key)).ext?.trips;
    expect(entry).toMatchObject({ trip: { status: 'open' } });
    await redis.hset(key, 'e', '{"trips":{"token":"s3cr3t"');

    // A minute on the trip needs no map point yet (one every 2 minutes): the broken field is not even read.
    expect(await d.process([airborneAt('c0ffee', T0 + MIN)], T0 + MIN)).toEqual([]);
    expect(reported).toEqual([]);
    expect(await redis.hget(key, 'e')).toBe('{"trips":{"token":"s3cr3t"');
    // Three minutes on, the next map point is due: the field is parsed, found broken and reported, once.
    expect(await d.process([airborneAt('c0ffee', T0 + 3 * MIN)], T0 + 3 * MIN)).toEqual([]);
    await d.process([airborneAt('c0ffee', T0 + 6 * MIN)], T0 + 6 * MIN);
    expect(reported.map((r) => [r.hex, r.error.action, r.error.message])).toEqual([
      ['c0ffee', 'discarded', `${key}: unreadable extension state (e: not JSON): the extensions restart`],
    ]);
    // The track went on (no second `seen`); the trips state started afresh and is stored as JSON again.
    const stored = await storedState(redis, key);
    expect(stored.firstAt).toBe(T0);
    expect(stored.ext?.trips).toMatchObject({ trip: { status: 'open' } });
    expect(JSON.parse((await redis.hget(key, 'e'))!)).toEqual(stored.ext);
  });

  it("a record under another aircraft's key is not read as this aircraft's state", async () => {
    const pfx = prefix();
    const redis = client();
    const reported: Reported[] = [];
    const d = redisDetector(redis, pfx, reported);
    await d.process([airborneAt('c0ffee', T0)], T0);
    await redis.copy(`${pfx}track:c0ffee`, `${pfx}track:badbad`);
    const evs = await d.process([airborneAt('badbad', T0 + MIN)], T0 + MIN);
    expect(summary(evs)).toEqual(['seen']);
    expect(reported.map((r) => r.error.message)).toEqual([
      `${pfx}track:badbad: unreadable track state (hex: not the aircraft of the key): the track restarts`,
    ]);
  });

  it('a record of a newer release is left as it is and its aircraft skipped, reported once; the others are detected', async () => {
    const pfx = prefix();
    const redis = client();
    const key = `${pfx}track:f00d42`;
    const newer = JSON.stringify({ version: TRACK_STATE_VERSION + 1, hex: 'f00d42', legs: { shape: 'unknown here' } });
    await redis.hset(key, 'v', '5', 's', newer);
    await redis.zadd(`${pfx}track-deadlines`, T0, 'f00d42'); // its timer is due, too
    const reported: Reported[] = [];
    const d = redisDetector(redis, pfx, reported);

    // The sliced form: a newer header, whose rings this release may not know how to read.
    const slicedKey = `${pfx}track:f00d43`;
    const header = JSON.stringify({ version: TRACK_STATE_VERSION + 1, hex: 'f00d43', rings: 'laid out anew' });
    await redis.hset(slicedKey, 'v', '6', 'h', header);

    const first = await d.process([airborneAt('f00d42', T0), airborneAt('f00d43', T0), airborneAt('c0ffee', T0)], T0);
    const second = await d.process([airborneAt('f00d42', T0 + MIN), airborneAt('f00d43', T0 + MIN)], T0 + MIN);

    expect(summary(first)).toEqual(['seen']);
    expect(first[0].aircraft.hex).toBe('c0ffee');
    expect(second).toEqual([]);
    expect(await redis.hmget(key, 'v', 's')).toEqual(['5', newer]);
    expect(await redis.hgetall(slicedKey)).toEqual({ v: '6', h: header });
    expect(reported.map((r) => r.hex)).toEqual(['f00d42', 'f00d43']);
    reported.pop();
    expect(reported[0].error.action).toBe('left');
    expect(reported[0].error.message).toBe(
      `${key}: written by a newer release (track state version ${TRACK_STATE_VERSION + 1}, this one reads up to ${TRACK_STATE_VERSION}): left as it is, aircraft skipped`,
    );
    expect(await d.store.get('f00d42')).toBeUndefined();
  });
});
