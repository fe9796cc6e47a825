/**
 * The detection outbox of the Redis track store, against a real redis-server: a saved step's events are queued
 * in the same Lua call as its state, so a batch that fails half-way (a version conflict that never resolves,
 * a Redis error on one aircraft's write) keeps every event of the aircraft it did save, although the caller
 * gets an error and a retry does not detect them again.
 */
import Redis from 'ioredis';
import {
  RedisDetectionOutbox,
  RedisTrackStore,
  TrackStoreConflictError,
  createDetector,
  outboxKey,
} from '../../../src/detect';
import type { FlightEvent } from '../../../src/domain/event';
import { redisSuite } from '../../helpers/redis-suite';
import { testAirportIndex } from '../../helpers/detect-airports';
import { FLEET, FLEET_EVENTS, fleetBatch, fleetDetector } from '../pipeline/support/fleet';

const { client, prefix } = redisSuite('fwoutbox');
const batch = fleetBatch();
const VICTIM = FLEET[2][0];

async function queued(redis: Redis, pfx: string): Promise<FlightEvent[]> {
  const rows = await new RedisDetectionOutbox(redis, outboxKey(pfx)).pending(1000);
  for (const r of rows) expect(r.eventId).toBe(r.event?.id);
  return rows.map((r) => r.event!);
}

const ids = (evs: readonly FlightEvent[]) => evs.map((e) => e.id).sort();

/**
 * A client on which another "replica" bumps the victim's version between every read and the write that
 * follows it: the victim's compare-and-set fails on every attempt. (The store reads a chunk in one scripted
 * command, defined on the client when the store is made: the bump follows each such read.)
 */
function racingClient(victimKey: string): Redis {
  const c = client();
  const define = c.defineCommand.bind(c);
  c.defineCommand = (name, definition) => {
    define(name, definition);
    if (name !== 'fwTrackRead') return;
    const commands = c as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const read = commands.fwTrackReadBuffer.bind(c);
    commands.fwTrackReadBuffer = async (...a: unknown[]) => {
      const rows = await read(...a);
      await c.hincrby(victimKey, 'v', 1);
      return rows;
    };
  };
  return c;
}

describe('detection outbox', () => {
  it('queues exactly the events a step returns, once: re-running the batch queues nothing new', async () => {
    const redis = client();
    const pfx = prefix();
    const d = fleetDetector(redis, pfx);
    const events = await d.process(batch.matched, batch.now);
    expect(events).toHaveLength(FLEET_EVENTS);
    expect(await queued(redis, pfx)).toEqual(expect.arrayContaining(events));
    expect(ids(await queued(redis, pfx))).toEqual(ids(events));

    expect(await d.process(batch.matched, batch.now)).toEqual([]);
    expect(await redis.xlen(outboxKey(pfx))).toBe(FLEET_EVENTS);
  });

  it('keeps the events of the saved aircraft when a version conflict on another one is never resolved', async () => {
    const pfx = prefix();
    const racing = fleetDetector(racingClient(`${pfx}track:${VICTIM}`), pfx, 3);
    const err = await racing.process(batch.matched, batch.now).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrackStoreConflictError);
    expect((err as TrackStoreConflictError).hexes).toEqual([VICTIM]);

    const redis = client();
    const saved = await queued(redis, pfx);
    expect(saved).toHaveLength(FLEET_EVENTS - 2);
    expect(new Set(saved.map((e) => e.aircraft.hex))).toEqual(
      new Set(FLEET.map((f) => f[0]).filter((h) => h !== VICTIM)),
    );
    expect(saved.map((e) => e.type).sort()).toEqual(['seen', 'seen', 'seen', 'takeoff', 'takeoff', 'takeoff']);

    // The retry (no more interference) only detects the victim: the others' states moved on. Without the
    // outbox their six events would be gone.
    const retry = await fleetDetector(redis, pfx).process(batch.matched, batch.now);
    expect(retry.map((e) => e.aircraft.hex)).toEqual([VICTIM, VICTIM]);
    const all = await queued(redis, pfx);
    expect(all).toHaveLength(FLEET_EVENTS);
    expect(new Set(all.map((e) => e.id)).size).toBe(FLEET_EVENTS);
  });

  it('keeps the events of the saved aircraft when Redis rejects the write of another one', async () => {
    const redis = client();
    const pfx = prefix();
    // A damaged version field: the read passes, the victim's compare-and-set script fails (an error reply
    // from Redis in the middle of the write pipeline), the other aircraft's scripts commit.
    await redis.hset(`${pfx}track:${VICTIM}`, 'v', 'garbage');
    await expect(fleetDetector(redis, pfx).process(batch.matched, batch.now)).rejects.toThrow(
      /track version garbage is not a number/,
    );

    const saved = await queued(redis, pfx);
    expect(saved).toHaveLength(FLEET_EVENTS - 2);
    expect(saved.some((e) => e.aircraft.hex === VICTIM)).toBe(false);
    // State and events committed together: every aircraft with queued events has its state saved.
    for (const [hex] of FLEET) expect(await redis.hexists(`${pfx}track:${hex}`, 'h')).toBe(hex === VICTIM ? 0 : 1);

    await redis.del(`${pfx}track:${VICTIM}`);
    const retry = await fleetDetector(redis, pfx).process(batch.matched, batch.now);
    expect(retry.map((e) => e.aircraft.hex)).toEqual([VICTIM, VICTIM]);
    expect(ids(await queued(redis, pfx))).toEqual(ids([...saved, ...retry]));
  });

  it('appends nothing when the outbox is turned off (tools that only want the returned events)', async () => {
    const redis = client();
    const pfx = prefix();
    const store = new RedisTrackStore({ redis, prefix: pfx, ttlMs: 86_400_000, outbox: false });
    expect(store.outbox).toBeUndefined();
    const events = await createDetector({ airports: testAirportIndex(), store }).process(batch.matched, batch.now);
    expect(events).toHaveLength(FLEET_EVENTS);
    expect(await redis.exists(outboxKey(pfx))).toBe(0);
  });
});
