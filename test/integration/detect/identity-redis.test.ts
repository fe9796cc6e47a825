/**
 * Identity memory in Redis (a real redis-server): a hex change is still linked when the detector that sees
 * the new hex is not the one that heard the old one (a restart, another replica); and a watch entry that
 * names an airframe only by hex follows it to its new address, with the link on every event of the new hex.
 * The keys the memory writes all expire.
 */
import { HOUR, MIN, airports, polls, run, simAirport, summary, trace } from '../../unit/detect/harness';
import { createDetector, IdentityLinker, RedisIdentityMemory } from '../../../src/detect';
import { NO_FLAGS } from '../../../src/domain/aircraft-state';
import { configSchema } from '../../../src/config/schema';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import type { Poll } from '../../../src/sim';
import { identityFollow } from '../../../src/runtime/identity-follow';
import { silentLogger } from '../../../src/util/log';
import { redisSuite } from '../../helpers/redis-suite';

const suite = redisSuite('fwident');

function hexChangesMidAir(ps: readonly Poll[], cutAt: number, gapMs: number, newHex: string): Poll[] {
  return ps
    .filter((p) => p.now < cutAt - gapMs || p.now >= cutAt)
    .map((p) => (p.now < cutAt ? p : { ...p, batch: p.batch.map((a) => ({ ...a, hex: newHex })) }));
}

it('links a hex change across a restart: the new process reads what the old one heard', async () => {
  const redis = suite.client();
  const prefix = suite.prefix();
  const memory = (h: number) => new RedisIdentityMemory(redis, prefix, h);
  const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
  const cut = t.legs[0].topOfClimbAt + 10 * MIN;
  const ps = hexChangesMidAir(polls(t), cut, 4 * MIN, 'a9f00d');
  const before = ps.filter((p) => p.now < cut);
  const after = ps.filter((p) => p.now >= cut);

  // Baseline: remembered in the process only, the restarted detector does not know a1b2c3.
  await run(createDetector({ airports, maxPositionAgeS: 60 }), before);
  const forgotten = await run(createDetector({ airports, maxPositionAgeS: 60 }), after);
  expect(forgotten.filter((e) => e.details?.linked)).toEqual([]);

  await run(createDetector({ airports, maxPositionAgeS: 60, identityMemory: memory }), before);
  const events = await run(createDetector({ airports, maxPositionAgeS: 60, identityMemory: memory }), after);
  expect(summary(events)).toEqual(['seen', 'landing:KSAT']);
  for (const e of events)
    expect(e.details?.linked).toMatchObject({ previousHex: 'a1b2c3', reason: 'same-registration', matched: 'N123XX' });

  // Bounded: every key it wrote expires (within the longest gap bridged, 12 h by default).
  const keys = await redis.keys(`${prefix}identity:*`);
  expect(keys.length).toBeGreaterThan(0);
  for (const k of keys) {
    const ttl = await redis.pttl(k);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(12 * HOUR);
  }
}, 60_000);

it('a hex-only watch entry follows its airframe to a new hex, with the link on its events', async () => {
  const redis = suite.client();
  const prefix = suite.prefix();
  const memory = (h: number) => new RedisIdentityMemory(redis, prefix, h);
  const config = configSchema.parse({
    sources: [{ id: 'sim', kind: 'receiver', url: 'http://127.0.0.1:1/aircraft.json' }],
    watch: [
      { id: 'pia-jet', match: { hex: ['a1b2c3'] }, tags: ['pia'] },
      { id: 'hex-and-type', match: { hex: ['c0ffee'], types: ['B738'] } },
    ],
  });
  const follow = identityFollow({ config: () => config, memory, log: silentLogger });
  const detector = createDetector({ airports, maxPositionAgeS: 60, identityMemory: memory });
  const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
  const cut = t.legs[0].topOfClimbAt + 10 * MIN;
  const events = [];
  let followed = 0;
  for (const p of hexChangesMidAir(polls(t), cut, 4 * MIN, 'a9f00d')) {
    // The poll cycle: the watchlist matches a1b2c3 by hex; the new hex matches nothing by itself.
    const all: AircraftState[] = [
      ...p.batch.map(({ watch: _w, ...s }) => s),
      // Another aircraft nearby under its own registration: never followed.
      ...p.batch.map(({ watch: _w, ...s }) => ({ ...s, hex: 'dddddd', registration: 'N555ZZ', callsign: 'DAL123' })),
    ];
    const matched = p.batch.filter((a) => a.hex === 'a1b2c3');
    const more = await follow.follow(all, matched, p.now);
    followed += more.length;
    for (const m of more) expect(m.watch).toEqual({ ids: ['pia-jet'], tags: ['pia'] });
    events.push(...(await detector.process([...matched, ...more], p.now)));
  }
  expect(followed).toBeGreaterThan(10);
  const after = events.filter((e) => e.aircraft.hex === 'a9f00d');
  expect(summary(after)).toEqual(['seen', 'landing:KSAT']);
  for (const e of after) {
    expect(e.watch.ids).toEqual(['pia-jet']);
    expect(e.details?.linked).toMatchObject({ previousHex: 'a1b2c3', reason: 'same-registration' });
  }
  expect(events.filter((e) => e.aircraft.hex === 'dddddd')).toEqual([]);
}, 60_000);

describe('write-behind: a hex heard again is rewritten only when something changed or its sighting is stale', () => {
  const sighting = (hex: string, at: number, more: Partial<AircraftState> = {}): AircraftState => ({
    hex,
    registration: 'N777PA',
    callsign: 'GXA6123',
    lat: 31.33,
    lon: -92.55,
    altFt: 12_000,
    onGround: false,
    flags: NO_FLAGS,
    observedAt: at,
    positionAt: at,
    sourceId: 'sim',
    fetchedAt: at,
    ...more,
  });
  const stored = async (redis: ReturnType<typeof suite.client>, prefix: string, hex: string) =>
    JSON.parse((await redis.get(`${prefix}identity:h:${hex}`)) ?? 'null') as { at: number; onGround: boolean } | null;

  it('keeps the stored sighting for a minute, then refreshes it; a landing is written at once', async () => {
    const redis = suite.client();
    const prefix = suite.prefix();
    const linker = new IdentityLinker(new RedisIdentityMemory(redis, prefix, 12 * HOUR));
    const t0 = Date.UTC(2026, 10, 2, 12);
    await linker.observe([sighting('a1b2c3', t0)], t0);
    await linker.observe([sighting('a1b2c3', t0 + 5_000)], t0 + 5_000);
    expect((await stored(redis, prefix, 'a1b2c3'))?.at).toBe(t0); // not rewritten 5 s later
    await linker.observe([sighting('a1b2c3', t0 + 61_000)], t0 + 61_000);
    expect((await stored(redis, prefix, 'a1b2c3'))?.at).toBe(t0 + 61_000); // stale: refreshed
    await linker.observe([sighting('a1b2c3', t0 + 66_000, { onGround: true, altFt: undefined })], t0 + 66_000);
    expect(await stored(redis, prefix, 'a1b2c3')).toMatchObject({ at: t0 + 66_000, onGround: true });
  });

  it('still links a privacy address rotated while parked, hours after the landing', async () => {
    const redis = suite.client();
    const prefix = suite.prefix();
    const t0 = Date.UTC(2026, 10, 2, 12);
    const landed = new IdentityLinker(new RedisIdentityMemory(redis, prefix, 12 * HOUR));
    // Heard on approach every 5 s, then taxiing for half a minute: the landing is what the memory keeps.
    for (let s = 0; s <= 40; s += 5)
      await landed.observe(
        [sighting('a1b2c3', t0 + s * 1000, s >= 25 ? { onGround: true, altFt: undefined } : {})],
        t0 + s * 1000,
      );
    // Another process (a restart) hears the new address on the same spot three hours later.
    const later = t0 + 3 * HOUR;
    const next = new IdentityLinker(new RedisIdentityMemory(redis, prefix, 12 * HOUR));
    const made = await next.observe(
      [sighting('a9f00d', later, { onGround: true, altFt: undefined, callsign: undefined })],
      later,
    );
    expect(made.get('a9f00d')).toMatchObject({ previousHex: 'a1b2c3', reason: 'same-registration' });
  });

  it('with refreshMs 0 writes every sighting (the bench baseline)', async () => {
    const redis = suite.client();
    const prefix = suite.prefix();
    const linker = new IdentityLinker(new RedisIdentityMemory(redis, prefix, 12 * HOUR, 0));
    const t0 = Date.UTC(2026, 10, 2, 12);
    await linker.observe([sighting('a1b2c3', t0)], t0);
    await linker.observe([sighting('a1b2c3', t0 + 5_000)], t0 + 5_000);
    expect((await stored(redis, prefix, 'a1b2c3'))?.at).toBe(t0 + 5_000);
  });
});
