/**
 * The archiver against real engines: history entries in a real Redis stream, archived into SQLite and
 * PostgreSQL; idempotent across re-reads, a lost cursor, two replicas; legs and trips projected.
 */
import { appendEvent } from '../../../src/pipeline/history';
import { keys } from '../../../src/alerting/keys';
import { openArchive, type Archive } from '../../../src/archive';
import { Archiver } from '../../../src/archive/archiver';
import { appendCapture, buildCapture, capturesKey } from '../../../src/archive/capture';
import { writeEvents } from '../../../src/archive/write-events';
import { silentLogger } from '../../../src/util/log';
import type { FlightEvent } from '../../../src/domain/event';
import type { MatchedAircraft } from '../../../src/domain/watchlist';
import { generateHistory } from '../../../scripts/bench/flight-history';
import { redisSuite } from '../../helpers/redis-suite';
import { until } from '../../helpers/wait';
import { ENGINES, postgresAvailable, tempDatabase, type TestDatabase } from '../../helpers/archive-db';

const suite = redisSuite('fwarch');
const RETENTION = 400 * 86_400_000;
let pgUp = false;
beforeAll(async () => {
  pgUp = await postgresAvailable();
});

const history = (airframes: number, days: number) =>
  [...generateHistory({ airframes, days, start: Date.UTC(2026, 0, 1) })] as FlightEvent[];

describe.each(ENGINES)('archiver on %s', (engine) => {
  let t: TestDatabase | undefined;
  const opened: Archive[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((a) => a.close()));
    await t?.drop();
    t = undefined;
  });
  const open = async () => {
    const a = await openArchive(t!.target);
    opened.push(a);
    return a;
  };
  const setup = async () => {
    if (engine === 'postgres' && !pgUp) return undefined;
    t = await tempDatabase(engine);
    const redis = suite.client();
    const prefix = suite.prefix();
    const k = keys(prefix.slice(0, -1));
    const make = (archive: Archive, batchSize = 50) =>
      new Archiver({
        redis,
        historyKey: k.history,
        capturesKey: capturesKey(prefix),
        archive,
        log: silentLogger,
        batchSize,
      });
    const append = async (events: FlightEvent[]) => {
      for (const e of events) await appendEvent(redis, k, e, RETENTION, Date.parse(e.time));
    };
    return { redis, k, prefix, make, append };
  };

  it('archives every history event once, with legs and trips, and re-reading adds nothing', async () => {
    const s = await setup();
    if (!s) return;
    const events = history(3, 4);
    await s.append(events);
    const archive = await open();
    const archiver = s.make(archive);
    const r = await archiver.drain();
    expect(r.events).toBe(events.length);
    const count = await archive.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(events.length);
    const landings = events.filter((e) => e.type === 'landing');
    const legs = await archive.db.selectFrom('legs').selectAll().orderBy('departed_at').execute();
    expect(legs).toHaveLength(landings.length);
    expect(legs.every((l) => l.departed_at && l.arrived_at && l.departed_at < l.arrived_at)).toBe(true);
    const inferred = landings.filter((e) => e.details && 'inferred' in e.details && e.details.inferred).length;
    expect(legs.filter((l) => l.arrival_inferred === 1)).toHaveLength(inferred);
    const trips = await archive.db.selectFrom('trips').selectAll().execute();
    expect(new Set(trips.map((x) => x.id)).size).toBe(
      new Set(events.map((e) => (e.details as { tripId?: string }).tripId)).size,
    );
    const aircraft = await archive.db.selectFrom('aircraft').selectAll().execute();
    expect(aircraft).toHaveLength(3);
    // an event's row points at its leg
    const takeoff = events.find((e) => e.type === 'takeoff')!;
    const row = await archive.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', takeoff.id)
      .executeTakeFirstOrThrow();
    expect(row.leg_id).toBe(`leg:${takeoff.id}`);
    expect(JSON.parse(row.body)).toEqual(takeoff);

    // Cursor lost (a restored backup, a rebuild): every entry is read again, nothing is written twice.
    await archive.db.deleteFrom('archiver_cursor').execute();
    const again = await s.make(archive).drain();
    expect(again.events).toBe(0);
    const legsAfter = await archive.db.selectFrom('legs').select('id').execute();
    expect(legsAfter).toHaveLength(landings.length);
  });

  it('two replicas archiving at once write each event exactly once', async () => {
    const s = await setup();
    if (!s) return;
    const events = history(4, 3);
    await s.append(events);
    const a1 = await open();
    const a2 = await open();
    // The retrying loops, as in the worker: on SQLite one waits out the other's write lock and retries.
    const replicas = [s.make(a1, 20), s.make(a2, 20)];
    for (const r of replicas) r.start();
    try {
      await until(
        'both replicas caught up',
        async () => {
          const lags = await Promise.all(replicas.map((r) => r.refreshLag()));
          return lags.every((l) => l === 0);
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
    expect(replicas[0].status().archived + replicas[1].status().archived).toBe(events.length);
    const ids = await a1.db.selectFrom('events').select('id').execute();
    expect(ids).toHaveLength(events.length);
    const legs = await a1.db.selectFrom('legs').select('id').execute();
    expect(legs).toHaveLength(events.filter((e) => e.type === 'landing').length);
  });

  it('stores captured positions and replies, attaches them to their leg, and masks secrets in the URL', async () => {
    const s = await setup();
    if (!s) return;
    const events = history(1, 1).slice(0, 2); // one takeoff, one landing
    const [takeoff, landing] = events;
    const dep = Date.parse(takeoff.time);
    const arr = Date.parse(landing.time);
    const state = (t: number, onGround: boolean): MatchedAircraft => ({
      hex: takeoff.aircraft.hex,
      lat: 31 + (t - dep) / 1e8,
      lon: -92,
      altFt: onGround ? undefined : 30000,
      onGround,
      flags: { military: false, interesting: false, pia: false, ladd: false },
      observedAt: t,
      positionAt: t,
      sourceId: 'adsbx',
      fetchedAt: t + 500,
      watch: { ids: ['charter'], tags: [] },
    });
    const secret = 'k3y-SECRET-value-123';
    const opts = {
      sourceUrls: new Map([['adsbx', `https://adsbexchange.example/api?apikey=${secret}`]]),
      secrets: [secret],
      storeBodies: true,
    };
    const times = [dep - 60_000, dep + 60_000, dep + 3_600_000, arr - 60_000, arr + 60_000];
    // positions before the landing is archived, the last one after
    for (const t of times.slice(0, 4))
      await appendCapture(s.redis, capturesKey(s.prefix), buildCapture([state(t, t < dep)], opts), 1000);
    await s.append(events);
    const archive = await open();
    await s.make(archive).drain();
    await appendCapture(s.redis, capturesKey(s.prefix), buildCapture([state(arr - 1000, false)], opts), 1000);
    await appendCapture(s.redis, capturesKey(s.prefix), buildCapture([state(times[4], true)], opts), 1000);
    await s.make(archive).drain();
    const positions = await archive.db.selectFrom('leg_positions').selectAll().orderBy('t').execute();
    expect(positions.map((p) => p.t)).toEqual([times[0], times[1], times[2], times[3], arr - 1000, times[4]]);
    const legId = `leg:${takeoff.id}`;
    expect(positions.map((p) => p.leg_id)).toEqual([null, legId, legId, legId, legId, null]);
    const replies = await archive.db.selectFrom('raw_replies').selectAll().execute();
    expect(replies).toHaveLength(6);
    for (const r of replies) {
      expect(r.url).not.toContain(secret);
      expect(r.url).toContain('[redacted]');
      expect(r.body_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(positions.every((p) => replies.some((r) => r.id === p.reply_id))).toBe(true);
  });

  it('replay-style writes (no stream) dedupe by event id', async () => {
    const s = await setup();
    if (!s) return;
    const archive = await open();
    const events = history(2, 2);
    const first = await writeEvents(
      archive.db,
      events.map((event) => ({ event })),
    );
    const second = await writeEvents(
      archive.db,
      events.map((event) => ({ event })),
    );
    expect(first.archived).toBe(events.length);
    expect(second).toMatchObject({ archived: 0, skipped: events.length });
  });
});
