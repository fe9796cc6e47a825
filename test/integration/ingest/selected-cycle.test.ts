/**
 * A poll cycle builds full records only for watched aircraft (src/ingest/select.ts) unless asked to keep
 * every state: against a local readsb API serving the real snapshot, the cycle's matches, its aircraft
 * count and its failover decisions are the same either way.
 */
import { startFaultServer, type FaultServer } from '../../helpers/fault-server';
import { createSources, closeSources } from '../../../src/sources/registry';
import { runPollCycle, type PollCycleOptions } from '../../../src/ingest/poll-cycle';
import { Watchlist } from '../../../src/domain/watchlist';
import type { AircraftState } from '../../../src/domain/aircraft-state';
import { adsbxSnapshot, captureLog, plan, readsbEmulator, src, warnings, watch } from '../sources/support';
import { describeShared } from '../../helpers/shared';

describeShared('poll cycle with selected records', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.route('/v2', readsbEmulator('ac'));
  });

  // A hub circle around JFK: 208 aircraft of the snapshot, a few of them airline flights.
  const hubPlan = () => plan({ areas: [{ id: 'jfk', lat: 40.64, lon: -73.78, radiusNm: 60 }], needsLocalScan: true });
  /** A cycle's matches without the fetch time (each cycle's own clock). */
  const matches = (r: { matched: readonly AircraftState[] }) => r.matched.map((m) => ({ ...m, fetchedAt: 0 }));

  async function cycle(o: Partial<PollCycleOptions> & Pick<PollCycleOptions, 'watchlist'>) {
    const sources = createSources([
      src({ id: 'lol', kind: 'readsb-v2', baseUrl: server.url, requestsPerSecond: 50 }),
      src({ id: 'fi', kind: 'readsb-v2', baseUrl: server.url, provider: 'adsbfi', requestsPerSecond: 50 }),
    ]);
    const { log, lines } = captureLog();
    try {
      const r = await runPollCycle({ sources, plan: hubPlan(), log, ...o });
      return { r, lines };
    } finally {
      closeSources(sources);
    }
  }

  test('a hub reply with no watched aircraft is traffic, not an empty answer: no failover', async () => {
    const nobody = new Watchlist(watch([{ id: 'none', match: { callsignPrefixes: ['QQQ'] } }]));
    const all = await cycle({ watchlist: nobody, keepStates: true });
    server.reset();
    server.route('/v2', readsbEmulator('ac'));
    const { r, lines } = await cycle({ watchlist: nobody });
    expect(all.r.all!.length).toBe(208);
    expect(r.servedBy).toBe('lol');
    expect(server.requests).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ ok: true, states: all.r.all!.length });
    expect(r.states).toBe(all.r.all!.length);
    expect(r.matched).toEqual([]);
    expect(r.all).toBeUndefined();
    expect(warnings(lines)).toEqual([]);
  });

  test('matches, the aircraft count and attempts are those of a cycle that keeps every state', async () => {
    const wl = new Watchlist(watch([{ id: 'ops', match: { callsignPrefixes: ['UAL', 'DAL', 'RPA'] } }]));
    const kept = await cycle({ watchlist: wl, keepStates: true, now: () => 1 });
    const selected = await cycle({ watchlist: wl, now: () => 1 });
    expect(selected.r.matched.map((m) => m.hex)).toContain('a0bf26'); // UAL1065
    expect(matches(selected.r)).toEqual(matches(kept.r));
    expect(selected.r.states).toBe(kept.r.states);
    expect(selected.r.attempts).toEqual(kept.r.attempts);
  });

  test('an aircraft the database gives a watched type is matched although its reply had none', async () => {
    const target = adsbxSnapshot().aircraft.find((a) => a.lat !== undefined && a.t === undefined && a.r === undefined);
    expect(target).toBeDefined();
    const enrich = (s: AircraftState) => (s.hex === target!.hex ? { ...s, type: 'ZZZZ' } : s);
    const { r } = await cycle({
      watchlist: new Watchlist(watch([{ id: 'zz', match: { types: ['ZZZZ'] } }])),
      plan: plan({ areas: [{ id: 'hub', lat: target!.lat!, lon: target!.lon!, radiusNm: 5 }], needsLocalScan: true }),
      enrich,
    });
    expect(r.matched.map((m) => [m.hex, m.type])).toEqual([[target!.hex, 'ZZZZ']]);
  });
});
