/**
 * Fault injection: the primary source's server misbehaves in every way the issue names; the cycle must not
 * crash, must log the failure once (source, path, reason), count it, and fail over to the next source in
 * the same cycle, whose real replay then gives the right matches.
 */
import { readFileSync } from 'node:fs';
import {
  startFaultServer,
  reply,
  type FaultServer,
  type RecordedRequest,
  type Responder,
} from '../../helpers/fault-server';
import { nextEvent } from '../../helpers/wait';
import { createSources, closeSources, type ClosableSource } from '../../../src/sources/registry';
import { runPollCycle, createPollCounters } from '../../../src/ingest/poll-cycle';
import { Watchlist } from '../../../src/domain/watchlist';
import type { SourceErrorKind } from '../../../src/sources/source';
import { adsbxSnapshot, captureLog, plan, readsbEmulator, src, warnings, watch } from './support';
import { ADSBX, describeShared } from '../../helpers/shared';

describeShared('fault injection with failover to the next source', () => {
  let server: FaultServer;
  let t: number;
  const clock = () => t;
  const wl = new Watchlist(
    watch([
      { id: 'gulfstream-v', match: { types: ['GLF5'] } },
      { id: 'omni', match: { callsignPrefixes: ['OAE'] } },
    ]),
  );
  const glf5 = () =>
    adsbxSnapshot()
      .aircraft.filter((a) => a.t === 'GLF5')
      .map((a) => a.hex)
      .sort();
  const thePlan = plan({ types: ['GLF5'], needsLocalScan: true });

  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.route('/good', readsbEmulator('ac'));
    t = Date.UTC(2025, 0, 31, 12);
  });

  function pair(bad: Record<string, unknown> = {}): ClosableSource[] {
    return createSources(
      [
        src({
          id: 'bad',
          kind: 'readsb-v2',
          baseUrl: `${server.url}/bad`,
          provider: 'adsblol',
          requestsPerSecond: 50,
          timeoutMs: 400,
          maxResponseBytes: 1_000_000,
          ...bad,
        }),
        src({
          id: 'good',
          kind: 'readsb-v2',
          baseUrl: `${server.url}/good`,
          provider: 'adsblol',
          requestsPerSecond: 50,
        }),
      ],
      { now: clock },
    );
  }

  async function cycle(sources: ClosableSource[]) {
    const { log, lines } = captureLog();
    const metrics = createPollCounters();
    const r = await runPollCycle({ sources, plan: thePlan, watchlist: wl, log, metrics, now: clock });
    return { r, lines, metrics };
  }

  const truncated = readFileSync(ADSBX, 'utf8').slice(0, 1_000_000 - 17);
  const cases: [string, Responder, SourceErrorKind, RegExp][] = [
    [
      'malformed JSON',
      reply.json('{"ac":[{"hex":"a5b769","flight":"OAE573  "},{"hex":'),
      'malformed',
      /JSON|Unexpected|unterminated|position/i,
    ],
    ['truncated real capture', reply.json(truncated), 'malformed', /JSON|Unexpected|unterminated|position|truncated/i],
    ['`ac` of the wrong type', reply.json({ ac: 'none', now: 1 }), 'malformed', /ac/],
    [
      'error object instead of aircraft (RapidAPI style)',
      reply.json({ message: 'You are not subscribed to this API.' }),
      'malformed',
      /not subscribed/,
    ],
    ['HTML error page with status 200', reply.htmlErrorPage(200), 'malformed', /HTML/],
    ['empty body with status 200', reply.text('', 200, { 'Content-Type': 'application/json' }), 'malformed', /empty/],
    ['HTTP 500', reply.json({ error: 'boom' }, 500), 'http', /HTTP 500/],
    ['HTTP 503 HTML', reply.htmlErrorPage(503), 'http', /HTTP 503/],
    ['HTTP 404', reply.json({ detail: 'Not Found' }, 404), 'http', /HTTP 404/],
    ['no reply (hang)', reply.hang(), 'timeout', /400 ms/],
    ['slow drip', reply.drip(JSON.stringify({ ac: [], now: 1 }), 2, 60), 'timeout', /400 ms/],
  ];

  test.each(cases)(
    '%s → logged once, counted, next source serves the cycle',
    async (_name, responder, kind, reason) => {
      server.route('/bad', responder);
      const sources = pair();
      const { r, lines, metrics } = await cycle(sources);
      closeSources(sources);

      expect(r.servedBy).toBe('good');
      expect(r.attempts.map((a) => [a.sourceId, a.ok])).toEqual([
        ['bad', false],
        ['good', true],
      ]);
      expect(r.attempts[0].error?.kind).toBe(kind);
      expect(r.matched.map((m) => m.hex).sort()).toEqual(glf5());
      const w = warnings(lines);
      expect(w).toHaveLength(1);
      expect(w[0]).toMatchObject({ source: 'bad', path: '/v2/type/GLF5', kind });
      expect(w[0].reason).toMatch(reason);
      expect(metrics.failures).toEqual({ bad: { [kind]: 1 } });
      expect(metrics.failovers).toBe(1);
      expect(server.requests.map((q) => q.path)).toEqual(['/bad/v2/type/GLF5', '/good/v2/type/GLF5']);
    },
  );

  test('connection refused → network failure, failover', async () => {
    const sources = createSources(
      [
        src({ id: 'bad', kind: 'readsb-v2', baseUrl: 'http://127.0.0.1:1', provider: 'adsblol' }),
        src({ id: 'good', kind: 'readsb-v2', baseUrl: `${server.url}/good`, provider: 'adsblol' }),
      ],
      { now: clock },
    );
    const { r, lines } = await cycle(sources);
    closeSources(sources);
    expect(r.servedBy).toBe('good');
    expect(r.attempts[0].error?.kind).toBe('network');
    expect(warnings(lines)).toHaveLength(1);
    expect(warnings(lines)[0].reason).toMatch(/refused/);
  });

  test.each([false, true])(
    'a 50 MB body (Content-Length announced: %s) is cut off at the cap, not buffered',
    async (announce) => {
      const sent = { bytes: 0 };
      server.route('/bad', reply.huge(50_000_000, sent, announce));
      const sources = pair({ timeoutMs: 20_000 });
      const stopped = nextEvent<[RecordedRequest]>('the 50 MB responder to stop writing', server.events, 'responded', {
        match: (rec) => rec.path.startsWith('/bad'),
        timeoutMs: 30_000,
      });
      const { r, lines } = await cycle(sources);
      closeSources(sources);
      expect(r.servedBy).toBe('good');
      expect(r.attempts[0].error?.kind).toBe('too-large');
      expect(warnings(lines)[0].reason).toMatch(/1000000/);
      expect(r.attempts[0].bytes).toBe(0);
      // The client hung up long before the server could push 50 MB through (socket buffers hold a few MB at most).
      await stopped;
      expect(sent.bytes).toBeLessThan(20_000_000);
    },
  );

  test('429 with Retry-After seconds: failover now, source sits out the window without new log lines, then returns', async () => {
    server.route('/bad', reply.json({ error: 'slow down' }, 429, { 'Retry-After': '120' }));
    const sources = pair();
    const c1 = await cycle(sources);
    expect(c1.r.servedBy).toBe('good');
    expect(c1.r.attempts[0].error?.kind).toBe('rate-limited');
    expect(warnings(c1.lines)).toHaveLength(1);
    expect(warnings(c1.lines)[0].outOfRotation).toMatch(/2025-01-31T12:02:00/);

    t += 60_000;
    const c2 = await cycle(sources);
    expect(c2.r.attempts[0]).toMatchObject({ sourceId: 'bad', skipped: expect.stringMatching(/rate limited/) });
    expect(warnings(c2.lines)).toHaveLength(0);
    expect(c2.metrics.skipped).toEqual({ bad: 1 });
    expect(server.requests.filter((q) => q.path.startsWith('/bad'))).toHaveLength(1);

    t += 61_000;
    server.route('/bad', readsbEmulator('aircraft'));
    const c3 = await cycle(sources);
    closeSources(sources);
    expect(c3.r.servedBy).toBe('bad');
    expect(c3.r.matched.map((m) => m.hex).sort()).toEqual(glf5());
  });

  test('429 with Retry-After as an HTTP date', async () => {
    server.route('/bad', reply.json({}, 429, { 'Retry-After': new Date(t + 300_000).toUTCString() }));
    const sources = pair();
    const { r } = await cycle(sources);
    expect(r.attempts[0].error?.kind).toBe('rate-limited');
    expect(sources[0].unavailableReason(t + 299_000)).toMatch(/until 2025-01-31T12:05:00/);
    expect(sources[0].unavailableReason(t + 300_000)).toBeUndefined();
    closeSources(sources);
  });

  test('403 marks the source unusable (one log line) until authFailureBackoffMinutes expires', async () => {
    server.route('/bad', reply.json({ error: 'Please contact us' }, 403));
    const sources = pair({ authFailureBackoffMinutes: 30 });
    const c1 = await cycle(sources);
    expect(c1.r.attempts[0].error?.kind).toBe('auth');
    expect(warnings(c1.lines)).toHaveLength(1);
    expect(warnings(c1.lines)[0].reason).toMatch(/HTTP 403 forbidden.*Please contact us/);
    expect(warnings(c1.lines)[0].msg).toMatch(
      /^source bad failed \(auth\): HTTP 403 forbidden .*; out of rotation until 2025-01-31T12:30:00.000Z; failing over$/,
    );
    for (let i = 0; i < 3; i++) {
      t += 5 * 60_000;
      const c = await cycle(sources);
      expect(c.r.servedBy).toBe('good');
      expect(c.r.attempts[0].skipped).toMatch(/auth failure/);
      expect(warnings(c.lines)).toHaveLength(0);
    }
    t += 16 * 60_000;
    const again = await cycle(sources);
    closeSources(sources);
    expect(again.r.attempts[0].skipped).toBeUndefined();
    expect(server.requests.filter((q) => q.path.startsWith('/bad'))).toHaveLength(2);
    // A config change builds a new Source: no memory of the backoff.
    const fresh = pair();
    expect(fresh[0].unavailableReason(t)).toBeUndefined();
    closeSources(fresh);
  });

  test('wrong field types reject the bad records only; the rest of the reply is used (no failover)', async () => {
    const good = adsbxSnapshot().aircraft.filter((a) => a.t === 'GLF5');
    server.route(
      '/bad',
      reply.json({
        ac: [...good, { hex: 42, t: 'GLF5' }, { hex: 'zzzzzz', t: 'GLF5' }, { t: 'GLF5', flight: 'OAE1' }],
        now: adsbxSnapshot().now * 1000,
      }),
    );
    const sources = pair();
    const { r, lines, metrics } = await cycle(sources);
    closeSources(sources);
    expect(r.servedBy).toBe('bad');
    expect(r.rejected).toBe(3);
    expect(metrics.rejected).toBe(3);
    expect(r.matched.map((m) => m.hex).sort()).toEqual(glf5());
    const w = warnings(lines);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ source: 'bad', rejected: 3 });
  });

  test('an empty `ac` is a valid "nothing heard" reply: no failure, no failover', async () => {
    server.route('/bad', reply.json({ ac: [], msg: 'No error', now: t, total: 0 }));
    const sources = pair();
    const { r, lines } = await cycle(sources);
    closeSources(sources);
    expect(r.servedBy).toBe('bad');
    expect(r.states).toBe(0);
    expect(r.matched).toEqual([]);
    expect(warnings(lines)).toEqual([]);
  });

  test('no aircraft at all in hub-area queries is "not heard": the next source serves the same cycle', async () => {
    const nowMs = adsbxSnapshot().now * 1000;
    const vxp = adsbxSnapshot().aircraft.filter((a) => /^VXP\d/.test(a.flight?.trim() ?? ''));
    server.route('/bad', reply.json({ ac: [], msg: 'No error', now: nowMs, total: 0 }));
    server.route('/good', reply.json({ ac: vxp, now: nowMs }));
    const sources = pair();
    const { log, lines } = captureLog();
    const metrics = createPollCounters();
    const areaPlan = plan({ areas: [{ id: 'kaex', lat: 31.3274, lon: -92.5498, radiusNm: 60 }], needsLocalScan: true });
    const r = await runPollCycle({ sources, plan: areaPlan, watchlist: wl, log, metrics, now: clock });
    closeSources(sources);
    expect(r.servedBy).toBe('good');
    expect(r.attempts[0]).toMatchObject({ sourceId: 'bad', ok: false, error: { kind: 'empty' } });
    expect(metrics.failures.bad?.empty).toBe(1);
    expect(r.states).toBe(new Set(vxp.map((a) => a.hex)).size);
    expect(warnings(lines).filter((w) => w.kind === 'empty')).toHaveLength(1);
  });

  test('an empty answer stands when the sources after it fail outright (the cycle is not unserved)', async () => {
    server.route('/bad', reply.json({ ac: [], now: t }));
    server.route('/good', reply.json({}, 503));
    const sources = pair();
    const { log } = captureLog();
    const r = await runPollCycle({
      sources,
      plan: plan({ areas: [{ id: 'a', lat: 0, lon: 0, radiusNm: 10 }] }),
      watchlist: wl,
      log,
      now: clock,
    });
    closeSources(sources);
    expect(r.servedBy).toBe('bad');
    expect(r.attempts.map((a) => [a.sourceId, a.ok])).toEqual([
      ['bad', true],
      ['good', false],
    ]);
    expect(r.states).toBe(0);
  });

  test('a failure mid-cycle keeps what the failed source returned; merge keeps the newest observation per hex', async () => {
    const nowMs = adsbxSnapshot().now * 1000;
    // Only the failing source knows this aircraft; it must survive the failover.
    server.route('/bad/v2/hex', reply.json({ ac: [{ hex: 'abcdef', flight: 'OAE999  ', seen: 1 }], now: nowMs }));
    server.route('/bad/v2/type', reply.json({}, 502));
    const oae = adsbxSnapshot().aircraft.find((a) => a.hex === 'a5b769')!;
    // The good source returns a5b769 twice: stale from the hex query, fresh from the type query.
    server.route('/good/v2/hex', reply.json({ ac: [{ ...oae, seen: 50, flight: 'OAE573  ' }], now: nowMs }));
    server.route('/good/v2/type', reply.json({ ac: [{ ...oae, t: 'GLF5', seen: 0.5 }], now: nowMs }));
    const sources = pair();
    const { log, lines } = captureLog();
    const r = await runPollCycle({
      sources,
      plan: plan({ hex: ['abcdef', 'a5b769'], types: ['GLF5'] }),
      watchlist: wl,
      log,
      now: clock,
    });
    closeSources(sources);
    expect(r.servedBy).toBe('good');
    expect(r.attempts[0]).toMatchObject({ ok: false, requests: 2, states: 1 });
    expect(server.requests.map((q) => q.path)).toEqual([
      '/bad/v2/hex/abcdef,a5b769',
      '/bad/v2/type/GLF5',
      '/good/v2/hex/abcdef,a5b769',
      '/good/v2/type/GLF5',
    ]);
    const byHex = new Map(r.matched.map((m) => [m.hex, m]));
    expect(byHex.get('abcdef')?.sourceId).toBe('bad');
    expect(byHex.get('a5b769')?.observedAt).toBe(Math.round(nowMs - 500));
    expect(byHex.get('a5b769')?.watch.ids).toEqual(['gulfstream-v', 'omni']);
    expect(warnings(lines)).toHaveLength(1);
  });

  test('every source failing: the cycle returns what it has and says so, without throwing', async () => {
    server.route('/bad', reply.json({}, 500));
    server.route('/good', reply.htmlErrorPage(200));
    const sources = pair();
    const { r, lines, metrics } = await cycle(sources);
    closeSources(sources);
    expect(r.servedBy).toBeUndefined();
    expect(r.matched).toEqual([]);
    expect(metrics.unserved).toBe(1);
    expect(warnings(lines).map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
  });

  test('rate limit: requests of one source are spaced by 1/requestsPerSecond', async () => {
    server.route('/good', readsbEmulator('ac'));
    const [s] = createSources([
      src({ id: 'good', kind: 'readsb-v2', baseUrl: `${server.url}/good`, requestsPerSecond: 5 }),
    ]);
    const { log } = captureLog();
    const r = await runPollCycle({
      sources: [s],
      plan: plan({
        hex: ['a5b769'],
        registrations: ['N917XA'],
        types: ['GLF5'],
        areas: [{ id: 'a', lat: 40, lon: -74, radiusNm: 20 }],
      }),
      watchlist: wl,
      log,
    });
    closeSources([s]);
    expect(r.servedBy).toBe('good');
    const at = server.requests.map((q) => q.at);
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(170);
  });
});
