/**
 * readsb-v2 sources against a local server that answers like the live APIs from the real ADS-B Exchange
 * snapshot: request planning per provider, both envelopes, auth headers, matching over the replies.
 */
import { startFaultServer, type FaultServer } from '../../helpers/fault-server';
import { ReadsbSource, guessProvider } from '../../../src/sources/readsb/source';
import { createSources, closeSources } from '../../../src/sources/registry';
import { runPollCycle, createPollCounters } from '../../../src/ingest/poll-cycle';
import { Watchlist } from '../../../src/domain/watchlist';
import { USER_AGENT } from '../../../src/sources/http/client';
import { adsbxSnapshot, captureLog, plan, readsbEmulator, src, warnings, watch } from './support';
import { describeShared } from '../../helpers/shared';

const hexes = (n: number) => Array.from({ length: n }, (_, i) => (0xa00000 + i).toString(16));

describe('readsb request planning', () => {
  test('hex lists are batched by count (1000) and by characters (maxListChars)', () => {
    const s = new ReadsbSource(
      src({ id: 'lol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol', maxListChars: 8000 }),
    );
    const reqs = s.requestsFor(plan({ hex: hexes(1500) }));
    expect(reqs.map((r) => (r.query as { values: string[] }).values.length)).toEqual([1000, 500]);
    expect(reqs[0].path.startsWith('/v2/hex/a00000,a00001,')).toBe(true);

    const narrow = new ReadsbSource(src({ id: 'lol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol' }));
    const small = narrow.requestsFor(plan({ hex: hexes(1500) }));
    for (const r of small) expect(r.path.length - '/v2/hex/'.length).toBeLessThanOrEqual(1000);
    expect(small.flatMap((r) => (r.query as { values: string[] }).values)).toEqual(hexes(1500));
    expect(small).toHaveLength(Math.ceil(1500 / 143));
    s.close();
    narrow.close();
  });

  test('adsb.lol: one type request, registrations batched, one point per area; local keys cost nothing', () => {
    const s = new ReadsbSource(src({ id: 'lol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol/' }));
    expect(s.provider).toBe('adsblol');
    const reqs = s.requestsFor(
      plan({
        hex: ['acb2ba', '~2a0001'],
        registrations: ['N917XA', 'N468AX'],
        types: ['GLF5', 'B763'],
        areas: [{ id: 'aex', lat: 31.32737, lon: -92.549797, radiusNm: 300 }],
        needsLocalScan: true,
      }),
    );
    expect(reqs.map((r) => r.path)).toEqual([
      '/v2/hex/acb2ba',
      '/v2/reg/N917XA,N468AX',
      '/v2/type/GLF5,B763',
      '/v2/point/31.3274/-92.5498/250',
    ]);
    expect(reqs.every((r) => r.cost === 1)).toBe(true);
    expect(s.planNotes(plan({ hex: ['~2a0001'] }))[0]).toMatch(/non-ICAO/);
    s.close();
  });

  test('adsb.fi has no type endpoint: type queries are skipped with a note; its own path shapes', () => {
    const s = new ReadsbSource(src({ id: 'fi', kind: 'readsb-v2', baseUrl: 'https://opendata.adsb.fi/api' }));
    expect(s.provider).toBe('adsbfi');
    const p = plan({
      hex: ['acb2ba'],
      registrations: ['N917XA', 'N468AX'],
      types: ['GLF5'],
      areas: [{ id: 'mia', lat: 25.79, lon: -80.29, radiusNm: 50 }],
    });
    expect(s.requestsFor(p).map((r) => r.path)).toEqual([
      '/v2/hex/acb2ba',
      '/v2/registration/N917XA',
      '/v2/registration/N468AX',
      '/v2/lat/25.79/lon/-80.29/dist/50',
    ]);
    expect(s.planNotes(p).join(' ')).toMatch(/no type endpoint.*GLF5/);
    s.close();
  });

  test('airplanes.live base ending in /v2, ADSBx RapidAPI and gateway path shapes', () => {
    const p = plan({
      hex: ['acb2ba'],
      registrations: ['N917XA'],
      types: ['GLF5'],
      areas: [{ id: 'x', lat: 1, lon: 2, radiusNm: 3 }],
    });
    const live = new ReadsbSource(src({ id: 'live', kind: 'readsb-v2', baseUrl: 'https://api.airplanes.live/v2' }));
    expect(live.requestsFor(p).map((r) => r.path)).toEqual([
      '/hex/acb2ba',
      '/reg/N917XA',
      '/type/GLF5',
      '/point/1/2/3',
    ]);
    const rapid = new ReadsbSource(
      src({
        id: 'rapid',
        kind: 'readsb-v2',
        baseUrl: 'https://adsbexchange-com1.p.rapidapi.com',
        auth: { scheme: 'rapidapi', keyEnv: 'K' },
      }),
      { env: { K: 'secret-key-1' } },
    );
    expect(rapid.requestsFor(p).map((r) => r.path)).toEqual([
      '/v2/hex/acb2ba/',
      '/v2/registration/N917XA/',
      '/v2/lat/1/lon/2/dist/3/',
    ]);
    const gw = new ReadsbSource(
      src({
        id: 'gw',
        kind: 'readsb-v2',
        baseUrl: 'https://gateway.adsbexchange.com/api/aircraft/v2',
        auth: { scheme: 'api-auth', keyEnv: 'K' },
      }),
      { env: { K: 'x' } },
    );
    expect(gw.requestsFor(p).map((r) => r.path)).toEqual([
      '/icao/acb2ba',
      '/registration/N917XA',
      '/lat/1/lon/2/dist/3',
    ]);
    expect([
      guessProvider('https://api.adsb.lol'),
      guessProvider('https://api.airplanes.live/v2'),
      guessProvider('http://10.0.0.5:8080'),
    ]).toEqual(['adsblol', 'airplaneslive', 'generic']);
    for (const s of [live, rapid, gw]) s.close();
  });
});

describeShared('readsb sources replaying the ADS-B Exchange snapshot', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const snap = () => adsbxSnapshot();
  const glf5 = () =>
    snap()
      .aircraft.filter((a) => a.t === 'GLF5')
      .map((a) => a.hex)
      .sort();

  test.each(['ac', 'aircraft'] as const)(
    'envelope `%s`: type + hex queries, prefix matched locally',
    async (envelope) => {
      server.route('/v2', readsbEmulator(envelope));
      const [source] = createSources([
        src({ id: 'lol', kind: 'readsb-v2', baseUrl: server.url, provider: 'adsblol', requestsPerSecond: 50 }),
      ]);
      const wl = new Watchlist(
        watch([
          { id: 'gulfstream-v', match: { types: ['GLF5'] }, tags: ['removal-charter'] },
          { id: 'omni', match: { callsignPrefixes: ['OAE'] } },
          { id: 'tail', match: { hex: ['a5b769'] } },
        ]),
      );
      const { log, lines } = captureLog();
      const metrics = createPollCounters();
      const r = await runPollCycle({
        sources: [source],
        plan: plan({ hex: ['a5b769'], types: ['GLF5'], needsLocalScan: true }),
        watchlist: wl,
        log,
        metrics,
      });
      closeSources([source]);

      expect(server.requests.map((q) => q.path)).toEqual(['/v2/hex/a5b769', '/v2/type/GLF5']);
      expect(server.requests[0].headers['user-agent']).toBe(USER_AGENT);
      expect(r.servedBy).toBe('lol');
      expect(r.states).toBe(glf5().length + 1);
      const byHex = new Map(r.matched.map((m) => [m.hex, m]));
      expect([...byHex.keys()].filter((h) => h !== 'a5b769').sort()).toEqual(glf5());
      // OAE573 (N468AX) came back from the hex query and also matches the operator-prefix entry locally.
      expect(byHex.get('a5b769')?.callsign).toBe('OAE573');
      expect(byHex.get('a5b769')?.watch.ids.sort()).toEqual(['omni', 'tail']);
      // `now` in s (aircraft.json) and ms (v2 API) must give the same clock.
      const rec = snap().aircraft.find((a) => a.hex === 'a5b769')!;
      expect(
        Math.abs(byHex.get('a5b769')!.observedAt - (snap().now - ((rec.seen as number) ?? 0)) * 1000),
      ).toBeLessThan(2);
      expect(warnings(lines)).toEqual([]);
      expect(metrics.requests.lol).toBe(2);
      expect(metrics.bytes.lol).toBe(r.attempts[0].bytes);
    },
  );

  test('area query returns the traffic around a hub; callsign prefixes match over it', async () => {
    server.route('/v2', readsbEmulator('ac'));
    // Centre the circle on a real aircraft of the snapshot that has a callsign, so the test does not depend on geography.
    const anchor = snap().aircraft.find(
      (a) => a.lat !== undefined && typeof a.flight === 'string' && /^[A-Z]{3}\d/.test(a.flight.trim()),
    )!;
    const prefix = (anchor.flight as string).trim().slice(0, 3);
    const [source] = createSources([src({ id: 'lol', kind: 'readsb-v2', baseUrl: server.url, requestsPerSecond: 50 })]);
    const { log } = captureLog();
    const r = await runPollCycle({
      sources: [source],
      plan: plan({ areas: [{ id: 'hub', lat: anchor.lat!, lon: anchor.lon!, radiusNm: 40 }], needsLocalScan: true }),
      watchlist: new Watchlist(watch([{ id: 'ops', match: { callsignPrefixes: [prefix] } }])),
      log,
    });
    closeSources([source]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toMatch(/^\/v2\/point\/-?[\d.]+\/-?[\d.]+\/40$/);
    expect(r.states).toBeGreaterThanOrEqual(1);
    expect(r.matched.map((m) => m.hex)).toContain(anchor.hex);
    for (const m of r.matched) expect(m.callsign!.startsWith(prefix)).toBe(true);
  });

  test('ADS-B Exchange keys go out as headers; a missing key is one auth failure, then the source sits out', async () => {
    server.route('/v2', readsbEmulator('ac'));
    const rapid = new ReadsbSource(
      src({
        id: 'rapid',
        kind: 'readsb-v2',
        baseUrl: server.url,
        provider: 'adsbx-rapidapi',
        auth: { scheme: 'rapidapi', keyEnv: 'FW_TEST_RAPID' },
      }),
      {
        env: { FW_TEST_RAPID: 'rapid-secret-123' },
      },
    );
    const r1 = await rapid.fetch(rapid.requestsFor(plan({ hex: ['a5b769'] }))[0]);
    expect(r1.states.map((s) => s.hex)).toEqual(['a5b769']);
    expect(server.requests[0].path).toBe('/v2/hex/a5b769/');
    expect(server.requests[0].headers['x-rapidapi-key']).toBe('rapid-secret-123');
    expect(server.requests[0].headers['x-rapidapi-host']).toBe(new URL(server.url).host);
    rapid.close();

    let t = Date.UTC(2025, 0, 31, 12);
    const noKey = new ReadsbSource(
      src({
        id: 'gw',
        kind: 'readsb-v2',
        baseUrl: server.url,
        provider: 'adsbx-gateway',
        auth: { scheme: 'api-auth', keyEnv: 'FW_TEST_UNSET' },
        authFailureBackoffMinutes: 10,
      }),
      {
        env: {},
        now: () => t,
      },
    );
    const { log, lines } = captureLog();
    const wl = new Watchlist(watch([{ id: 'g', match: { types: ['GLF5'] } }]));
    const c1 = await runPollCycle({
      sources: [noKey],
      plan: plan({ hex: ['a5b769'] }),
      watchlist: wl,
      log,
      now: () => t,
    });
    expect(c1.servedBy).toBeUndefined();
    expect(c1.attempts[0].error?.kind).toBe('auth');
    const w = warnings(lines).filter((l) => l.source === 'gw');
    expect(w).toHaveLength(1);
    expect(w[0].reason).toMatch(/FW_TEST_UNSET is not set/);
    const c2 = await runPollCycle({
      sources: [noKey],
      plan: plan({ hex: ['a5b769'] }),
      watchlist: wl,
      log,
      now: () => t,
    });
    expect(c2.attempts[0].skipped).toMatch(/auth failure/);
    expect(warnings(lines).filter((l) => l.source === 'gw')).toHaveLength(1);
    t += 11 * 60_000;
    expect(noKey.unavailableReason(t)).toBeUndefined();
    noKey.close();
    expect(server.requests).toHaveLength(1);
  });
});
