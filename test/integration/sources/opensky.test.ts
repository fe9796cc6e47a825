/**
 * OpenSky against a local server replaying the real /states/all captures: bbox and icao24 requests,
 * credit accounting (own count + X-Rate-Limit-Remaining, UTC day roll-over), 429 windows, and OAuth2
 * client credentials (cache, proactive refresh, refresh-once on 401, real auth failure).
 */
import { readFileSync } from 'node:fs';
import { startFaultServer, reply, type FaultServer, type Responder } from '../../helpers/fault-server';
import { OpenSkySource } from '../../../src/sources/opensky/source';
import { statesCost } from '../../../src/sources/opensky/credits';
import { createSources, closeSources } from '../../../src/sources/registry';
import { runPollCycle, createPollCounters } from '../../../src/ingest/poll-cycle';
import { Watchlist } from '../../../src/domain/watchlist';
import { captureLog, plan, readsbEmulator, src, warnings, watch } from './support';
import { OPENSKY_CONUS, describeShared } from '../../helpers/shared';

const CONUS_BBOX = { lamin: 21, lomin: -128, lamax: 50, lomax: -61 };

describe('OpenSky credit cost table', () => {
  test('bbox area in square degrees → credits', () => {
    expect(statesCost({ lamin: 40, lomin: -75, lamax: 45, lomax: -70 })).toBe(1); // 25
    expect(statesCost({ lamin: 40, lomin: -75, lamax: 50, lomax: -65 })).toBe(2); // 100
    expect(statesCost({ lamin: 30, lomin: -100, lamax: 50, lomax: -80 })).toBe(3); // 400
    expect(statesCost({ lamin: 30, lomin: -100, lamax: 50, lomax: -79 })).toBe(4); // 420
    expect(statesCost(CONUS_BBOX)).toBe(4);
    expect(statesCost(undefined)).toBe(4);
  });

  test('requests: one bbox scan for local keys, icao24 filters for hexes outside it, none of them for a global scan', () => {
    const bbox = new OpenSkySource(
      src({ id: 'os', kind: 'opensky', bbox: { lamin: 29, lomin: -96, lamax: 31, lomax: -93 } }),
    );
    expect(
      bbox.requestsFor(plan({ needsLocalScan: true, hex: ['acb2ba', 'ab7437'] })).map((r) => [r.path, r.cost]),
    ).toEqual([
      ['/states/all?lamin=29&lomin=-96&lamax=31&lomax=-93', 1],
      ['/states/all?icao24=acb2ba&icao24=ab7437', 4],
    ]);
    const global = new OpenSkySource(src({ id: 'os', kind: 'opensky' }));
    expect(global.requestsFor(plan({ types: ['GLF5'], hex: ['acb2ba'] })).map((r) => [r.path, r.cost])).toEqual([
      ['/states/all', 4],
    ]);
    expect(global.requestsFor(plan({ hex: ['acb2ba', '~000001'] })).map((r) => r.path)).toEqual([
      '/states/all?icao24=acb2ba',
    ]);
    expect(global.planNotes(plan({ types: ['GLF5'] }))[0]).toMatch(/no registration or type/);
    bbox.close();
    global.close();
  });
});

describeShared('OpenSky source replaying the real CONUS capture', () => {
  let server: FaultServer;
  let t: number;
  const clock = () => t;
  const conus = () => JSON.parse(readFileSync(OPENSKY_CONUS, 'utf8')) as { time: number; states: unknown[][] };
  /** Tokens the fake authorization server considers valid. */
  let valid: Set<string>;
  let issued: number;
  let remainingHeader: string | undefined;
  let refuseAll: boolean;

  /** /states/all like OpenSky: icao24 filters, Bearer check when `auth`, X-Rate-Limit-Remaining. */
  const states =
    (auth: boolean): Responder =>
    (_q, res, rec) => {
      if (auth && (refuseAll || !valid.has(String(rec.headers.authorization ?? '').replace(/^Bearer /, '')))) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end('{"error":"invalid token"}');
        return;
      }
      const url = new URL(rec.path, 'http://x');
      const want = url.searchParams.getAll('icao24');
      const doc = conus();
      if (want.length) doc.states = doc.states.filter((s) => want.includes(s[0] as string));
      const body = JSON.stringify(doc);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        ...(remainingHeader !== undefined ? { 'X-Rate-Limit-Remaining': remainingHeader } : {}),
      });
      res.end(body);
    };
  const token: Responder = (_q, res, rec) => {
    const form = new URLSearchParams(rec.body);
    if (
      form.get('grant_type') !== 'client_credentials' ||
      form.get('client_id') !== 'fw-client' ||
      form.get('client_secret') !== 'fw-secret-value'
    ) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"error":"invalid_client"}');
      return;
    }
    const tok = `tok-${++issued}`;
    valid.add(tok);
    return reply.json({ access_token: tok, expires_in: 1800, token_type: 'Bearer' })(_q, res, rec);
  };

  const prefixes = new Watchlist(
    watch([
      { id: 'ice-air', match: { callsignPrefixes: ['GXA', 'BBQ', 'WAL', 'SWQ', 'HWA'] }, tags: ['removal-charter'] },
    ]),
  );
  const env = { FW_OS_ID: 'fw-client', FW_OS_SECRET: 'fw-secret-value' };

  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    valid = new Set();
    issued = 0;
    remainingHeader = undefined;
    refuseAll = false;
    t = Date.UTC(2025, 0, 31, 22, 13);
  });

  test('anonymous bbox scan: charter callsigns matched locally (GXA6117 ab7437, BBQ8368 acb2ba)', async () => {
    server.route('/os/states/all', states(false));
    const [os] = createSources(
      [src({ id: 'os', kind: 'opensky', requestsPerSecond: 50, baseUrl: `${server.url}/os`, bbox: CONUS_BBOX })],
      { now: clock },
    );
    const { log, lines } = captureLog();
    const r = await runPollCycle({
      sources: [os],
      plan: plan({ needsLocalScan: true }),
      watchlist: prefixes,
      log,
      now: clock,
    });
    closeSources([os]);
    expect(server.requests.map((q) => q.path)).toEqual(['/os/states/all?lamin=21&lomin=-128&lamax=50&lomax=-61']);
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(r.servedBy).toBe('os');
    const raw = conus().states;
    expect(r.states).toBe(new Set(raw.map((s) => s[0])).size - r.rejected);
    // Oracle straight from the capture: ICAO designator + digit.
    const expected = raw
      .filter((s) => typeof s[1] === 'string' && /^(GXA|BBQ|WAL|SWQ|HWA)\d/.test(s[1].trim()))
      .map((s) => s[0])
      .sort();
    expect(r.matched.map((m) => m.hex).sort()).toEqual(expected);
    const byHex = new Map(r.matched.map((m) => [m.hex, m]));
    expect(byHex.get('ab7437')?.callsign).toBe('GXA6117');
    expect(byHex.get('acb2ba')?.callsign).toBe('BBQ8368');
    expect(byHex.get('ab7437')?.watch.tags).toEqual(['removal-charter']);
    // Units: metres → feet, m/s → knots.
    const gxa = raw.find((s) => s[0] === 'ab7437')!;
    expect(byHex.get('ab7437')!.altFt).toBeCloseTo((gxa[7] as number) * 3.28084, -1);
    expect(byHex.get('ab7437')!.gsKt).toBeCloseTo((gxa[9] as number) * 1.943844, 0);
    expect(warnings(lines)).toEqual([]);
  });

  test('hex-only plan uses icao24 filters; enrichment fills what OpenSky lacks so registrations can match', async () => {
    server.route('/os/states/all', states(false));
    const [os] = createSources(
      [src({ id: 'os', kind: 'opensky', requestsPerSecond: 50, baseUrl: `${server.url}/os` })],
      { now: clock },
    );
    const wl = new Watchlist(
      watch([
        { id: 'tail', match: { hex: ['acb2ba'] } },
        { id: 'reg', match: { registrations: ['N917XA'] } },
      ]),
    );
    const { log } = captureLog();
    const db = new Map([['acb2ba', { registration: 'N917XA', type: 'B738' }]]);
    const r = await runPollCycle({
      sources: [os],
      plan: plan({ hex: ['acb2ba', 'ab7437'] }),
      watchlist: wl,
      log,
      now: clock,
      enrich: (s) => ({ ...s, ...db.get(s.hex) }),
    });
    closeSources([os]);
    expect(server.requests.map((q) => q.path)).toEqual(['/os/states/all?icao24=acb2ba&icao24=ab7437']);
    expect(r.states).toBe(2);
    expect(r.matched).toHaveLength(1);
    expect(r.matched[0]).toMatchObject({
      hex: 'acb2ba',
      registration: 'N917XA',
      type: 'B738',
      watch: { ids: ['tail', 'reg'] },
    });
  });

  test('credits: charged per documented cost, X-Rate-Limit-Remaining wins, exhausted → next source, new UTC day resets', async () => {
    server.route('/os/states/all', states(false));
    server.route('/lol', readsbEmulator('ac'));
    const sources = createSources(
      [
        src({ id: 'os', kind: 'opensky', requestsPerSecond: 50, baseUrl: `${server.url}/os`, bbox: CONUS_BBOX }),
        src({ id: 'lol', kind: 'readsb-v2', baseUrl: `${server.url}/lol`, provider: 'adsblol', requestsPerSecond: 50 }),
      ],
      { now: clock },
    );
    const os = sources[0] as OpenSkySource;
    const p = plan({ needsLocalScan: true, areas: [{ id: 'iah', lat: 29.98, lon: -95.34, radiusNm: 100 }] });
    const { log, lines } = captureLog();
    const metrics = createPollCounters();
    const run = () => runPollCycle({ sources, plan: p, watchlist: prefixes, log, metrics, now: clock });

    await run();
    await run();
    expect(os.credits.snapshot(t)).toMatchObject({ daily: 400, spent: 8, remaining: 392 });

    remainingHeader = '5'; // the server knows better (other clients on the same IP, earlier runs)
    t += 10_000;
    expect((await run()).servedBy).toBe('os');
    expect(os.credits.remaining(t)).toBe(5);
    remainingHeader = '1';
    t += 10_000;
    expect((await run()).servedBy).toBe('os');
    expect(os.credits.remaining(t)).toBe(1);

    t += 10_000;
    const starved = await run();
    expect(starved.servedBy).toBe('lol');
    expect(starved.attempts[0].skipped).toMatch(
      /credits exhausted \(1 of 400 left, a request costs 4\).*2025-02-01T00:00:00/,
    );
    expect(server.requests.filter((q) => q.path.startsWith('/os'))).toHaveLength(4);
    expect(server.requests.filter((q) => q.path.startsWith('/lol')).map((q) => q.path)).toEqual([
      '/lol/v2/point/29.98/-95.34/100',
    ]);
    expect(warnings(lines)).toEqual([]);

    t = Date.UTC(2025, 1, 1, 0, 0, 5);
    remainingHeader = undefined;
    expect(os.unavailableReason(t)).toBeUndefined();
    expect((await run()).servedBy).toBe('os');
    expect(os.credits.snapshot(t)).toMatchObject({ day: '2025-02-01', spent: 4, remaining: 396 });
    closeSources(sources);
  });

  test('429 with X-Rate-Limit-Retry-After-Seconds: failover, out of rotation for that window', async () => {
    server.route(
      '/os/states/all',
      reply.json({ error: 'Too many requests' }, 429, {
        'X-Rate-Limit-Retry-After-Seconds': '3600',
        'X-Rate-Limit-Remaining': '0',
      }),
    );
    server.route('/lol', readsbEmulator('ac'));
    const sources = createSources(
      [
        src({ id: 'os', kind: 'opensky', requestsPerSecond: 50, baseUrl: `${server.url}/os` }),
        src({ id: 'lol', kind: 'readsb-v2', baseUrl: `${server.url}/lol`, requestsPerSecond: 50 }),
      ],
      { now: clock },
    );
    const { log, lines } = captureLog();
    const r = await runPollCycle({
      sources,
      plan: plan({ types: ['GLF5'] }),
      watchlist: new Watchlist(watch([{ id: 'g', match: { types: ['GLF5'] } }])),
      log,
      now: clock,
    });
    expect(r.servedBy).toBe('lol');
    expect(r.matched.length).toBeGreaterThan(0);
    expect(r.attempts[0].error).toMatchObject({ kind: 'rate-limited', path: '/states/all' });
    expect(warnings(lines)).toHaveLength(1);
    expect(warnings(lines)[0].reason).toMatch(/retry after 3600 s/);
    expect(sources[0].unavailableReason(t + 3_599_000)).toMatch(/rate limited/);
    closeSources(sources);
  });

  test('OAuth2: token cached, refreshed before expiry, refreshed once on 401; rejected credentials are an auth failure', async () => {
    server.route('/os/states/all', states(true));
    server.route('/auth/token', token);
    const cfg = src({
      id: 'os',
      kind: 'opensky',
      requestsPerSecond: 50,
      baseUrl: `${server.url}/os`,
      tokenUrl: `${server.url}/auth/token`,
      clientIdEnv: 'FW_OS_ID',
      clientSecretEnv: 'FW_OS_SECRET',
      bbox: CONUS_BBOX,
      authFailureBackoffMinutes: 15,
    });
    const os = new OpenSkySource(cfg, { now: clock, env });
    expect(os.credits.daily).toBe(4000);
    const { log, lines } = captureLog();
    const run = () =>
      runPollCycle({ sources: [os], plan: plan({ needsLocalScan: true }), watchlist: prefixes, log, now: clock });
    const tokenCalls = () => server.requests.filter((q) => q.path === '/auth/token');
    const bearer = () => server.requests.filter((q) => q.path.startsWith('/os')).map((q) => q.headers.authorization);

    expect((await run()).servedBy).toBe('os');
    expect(tokenCalls()).toHaveLength(1);
    expect(tokenCalls()[0].method).toBe('POST');
    expect(tokenCalls()[0].headers['content-type']).toMatch(/x-www-form-urlencoded/);

    t += 10 * 60_000; // cached
    expect((await run()).servedBy).toBe('os');
    expect(tokenCalls()).toHaveLength(1);

    valid.delete('tok-1'); // revoked early: 401 → one refresh → retry
    t += 60_000;
    const revoked = await run();
    expect(revoked.servedBy).toBe('os');
    expect(revoked.matched.map((m) => m.hex)).toContain('ab7437');
    expect(tokenCalls()).toHaveLength(2);
    expect(bearer()).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);

    t += 30 * 60_000; // past tok-2's 30 minutes: refreshed before the request, no 401 round trip
    expect((await run()).servedBy).toBe('os');
    expect(tokenCalls()).toHaveLength(3);
    expect(bearer().slice(-1)).toEqual(['Bearer tok-3']);
    expect(warnings(lines)).toEqual([]);

    refuseAll = true; // every token refused: a real auth failure, logged once, source sits out
    t += 60_000;
    const denied = await run();
    expect(denied.servedBy).toBeUndefined();
    expect(denied.attempts[0].error?.kind).toBe('auth');
    expect(tokenCalls()).toHaveLength(4);
    const w = warnings(lines).filter((l) => l.source === 'os');
    expect(w).toHaveLength(1);
    expect(w[0].reason).toMatch(/HTTP 401/);
    t += 5 * 60_000;
    expect((await run()).attempts[0].skipped).toMatch(/auth failure/);
    expect(warnings(lines).filter((l) => l.source === 'os')).toHaveLength(1);
    // No secret in any log line.
    expect(JSON.stringify(lines)).not.toContain('fw-secret-value');
    os.close();

    const wrong = new OpenSkySource(cfg, { now: clock, env: { ...env, FW_OS_SECRET: 'nope-wrong' } });
    await expect(wrong.fetch(wrong.requestsFor(plan({ needsLocalScan: true }))[0])).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/rejected the client credentials/),
    });
    wrong.close();
    const unset = new OpenSkySource(cfg, { now: clock, env: {} });
    await expect(unset.fetch(unset.requestsFor(plan({ needsLocalScan: true }))[0])).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/FW_OS_ID is not set/),
    });
    unset.close();
  });
});
