import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destinationSchema, watchEntrySchema } from '../../../src/config/schema';
import { createDetector } from '../../../src/detect';
import type { Detector } from '../../../src/detect/types';
import type { FlightEvent } from '../../../src/domain/event';
import { Watchlist, type MatchedAircraft } from '../../../src/domain/watchlist';
import { runReplay } from '../../../src/replay/runner';
import { EventSummary } from '../../../src/replay/summary';
import { AIRPORTS, buildTrace, writeTrace } from './helpers/synthetic-trace';
import { smallAirportIndex } from './helpers/small-airports';
import { sleep } from '../../helpers/wait';

const T0 = 1748900000; // 2025-06-02T21:33:20Z

const watchlist = () =>
  new Watchlist([
    watchEntrySchema.parse({ id: 'gulfstream-v', match: { types: ['GLF5'] }, tags: ['charter'] }),
    watchEntrySchema.parse({ id: 'globalx', match: { callsignPrefixes: ['GXA'] } }),
  ]);
const destinations = [destinationSchema.parse({ id: 'china', countries: ['CN'] })];
const detector = () => createDetector({ airports: smallAirportIndex(), destinations });

/** KAEX → PANC (fuel) → ZYTX, a Gulfstream V; and an unwatched aircraft flying at the same time. */
function writeFlights(dir: string, gzip: boolean) {
  const glf5 = buildTrace({
    hex: 'a1b2c3',
    r: 'N123GV',
    t: 'GLF5',
    stepS: 60,
    legs: [
      { from: AIRPORTS.KAEX, to: AIRPORTS.PANC, departS: T0, callsign: 'N123GV', groundS: 600 },
      { from: AIRPORTS.PANC, to: AIRPORTS.ZYTX, departS: T0 + 9 * 3600, callsign: 'N123GV', groundS: 600 },
    ],
  });
  const other = buildTrace({
    hex: 'a00001',
    t: 'B738',
    stepS: 60,
    legs: [{ from: AIRPORTS.KHRL, to: AIRPORTS.MGGT, departS: T0 + 60, callsign: 'SWA1' }],
  });
  writeTrace(join(dir, 'trace_full_a1b2c3.json'), glf5, gzip);
  writeTrace(join(dir, 'trace_full_a00001.json'), other, gzip);
}

describe('runReplay', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fw-runner-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([false, true])(
    'detects takeoff, landing, takeoff, landing, destination in order for a fuel-stop flight (gzip %s)',
    async (gzip) => {
      writeFlights(dir, gzip);
      const events: FlightEvent[] = [];
      const stats = await runReplay([dir], {
        watchlist: watchlist(),
        detector: detector(),
        onEvents: (e) => void events.push(...e),
      });
      expect(stats.badFiles).toEqual([]);
      expect(stats.files).toBe(2);
      const glf = events.filter((e) => e.aircraft.hex === 'a1b2c3');
      expect(events.every((e) => e.aircraft.hex === 'a1b2c3')).toBe(true); // the 737 is not watched
      expect(glf.map((e) => `${e.type} ${e.airport?.icao ?? ''}`.trim())).toEqual([
        'seen KAEX',
        'takeoff KAEX',
        'landing PANC',
        'takeoff PANC',
        'landing ZYTX',
        'destination ZYTX',
      ]);
      expect(glf.find((e) => e.type === 'destination')!.destination).toEqual({ id: 'china' });
      for (const e of glf) expect(e.watch.ids).toEqual(['gulfstream-v']);
      expect(glf[0].aircraft).toMatchObject({ registration: 'N123GV', type: 'GLF5', callsign: 'N123GV' });
      const times = glf.map((e) => e.time);
      expect(times).toEqual([...times].sort());
      // landings happen after the flights' durations, not at replay start
      expect(Date.parse(glf[2].time)).toBeGreaterThan((T0 + 3600) * 1000);
      expect(Date.parse(glf[4].time)).toBeGreaterThan((T0 + 12 * 3600) * 1000);
    },
  );

  it('replaying the same data twice yields the same event ids (idempotent re-detection)', async () => {
    writeFlights(dir, false);
    const run = async () => {
      const ids: string[] = [];
      await runReplay([dir], {
        watchlist: watchlist(),
        detector: detector(),
        onEvents: (e) => void ids.push(...e.map((x) => x.id)),
      });
      return ids;
    };
    const a = await run();
    expect(a.length).toBe(6);
    expect(await run()).toEqual(a);
  });

  it('awaits the async sink before going on, and summarises by type and watch entry', async () => {
    writeFlights(dir, false);
    const summary = new EventSummary();
    const seen: string[] = [];
    let inFlight = 0;
    await runReplay([dir], {
      watchlist: watchlist(),
      detector: detector(),
      onEvents: async (e) => {
        expect(inFlight).toBe(0);
        inFlight++;
        await sleep(2); // a sink that takes real time (a timer turn): the runner must await it, not just start it
        seen.push(...e.map((x) => x.type));
        summary.add(e);
        inFlight--;
      },
    });
    expect(seen).toHaveLength(6);
    expect(summary.toJSON()).toEqual({
      total: 6,
      byType: { destination: 1, landing: 2, seen: 1, takeoff: 2 },
      byWatch: { 'gulfstream-v': { destination: 1, landing: 2, seen: 1, takeoff: 2 } },
    });
    expect(summary.format()).toMatch(/takeoff\s+2\n/);
    expect(summary.format()).toMatch(/gulfstream-v\s+6 {2}\(destination 1, landing 2, seen 1, takeoff 2\)/);
  });

  it('feeds the detector only watched aircraft, one step per second, and runs the clock on after the data ends', async () => {
    writeFlights(dir, false);
    const calls: { n: number; now: number; hexes: string[] }[] = [];
    const recorder: Detector = {
      process(batch: readonly MatchedAircraft[], now: number) {
        calls.push({ n: batch.length, now, hexes: batch.map((b) => b.hex) });
        return Promise.resolve([]);
      },
    };
    const stats = await runReplay([dir], {
      watchlist: watchlist(),
      detector: recorder,
      onEvents: () => undefined,
      tailS: 1800,
      idleTickS: 30,
    });
    expect(calls.every((c) => c.hexes.every((h) => h === 'a1b2c3'))).toBe(true);
    expect(calls.reduce((a, c) => a + c.n, 0)).toBe(stats.matched);
    const nows = calls.map((c) => c.now);
    expect(nows).toEqual([...nows].sort((a, b) => a - b));
    // idle steps (only the unwatched 737 heard) reach the detector at most every 30 s of replay time
    const idle = calls.filter((c) => c.n === 0).map((c) => c.now);
    for (let i = 1; i < idle.length - 1; i++) expect(idle[i] - idle[i - 1]).toBeGreaterThanOrEqual(30_000);
    expect(calls.at(-1)).toEqual({ n: 0, now: stats.lastTime! + 1_800_000, hexes: [] });
  });
});
