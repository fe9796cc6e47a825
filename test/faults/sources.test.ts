/**
 * Fault: the primary source misbehaves in every way the issue names, one fault per poll cycle, against the
 * same long-lived Source objects the worker keeps (so out-of-rotation windows carry from cycle to cycle).
 * Every cycle must complete without throwing, fail over to the secondary within the same cycle (which then
 * serves the real ADS-B Exchange capture), and the worker's Prometheus metrics (src/observability) plus the
 * PollCounters must show each failure by kind. No unhandled rejection may surface meanwhile.
 */
import { readFileSync } from 'node:fs';
import { startFaultServer, reply, type FaultServer, type Responder } from '../helpers/fault-server';
import { createSources, closeSources, type ClosableSource } from '../../src/sources/registry';
import { runPollCycle, createPollCounters } from '../../src/ingest/poll-cycle';
import { Watchlist } from '../../src/domain/watchlist';
import { createMetrics } from '../../src/observability/metrics';
import { SourceFreshness } from '../../src/observability/freshness';
import type { SourceErrorKind } from '../../src/sources/source';
import { adsbxSnapshot, captureLog, plan, readsbEmulator, src, watch } from '../integration/sources/support';
import { ADSBX, describeShared } from '../helpers/shared';
import { printSummary } from './support/summary';

describeShared('source faults over a long-lived pair of sources', () => {
  let server: FaultServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => void unhandled.push(e);
  beforeAll(async () => {
    server = await startFaultServer();
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });

  it('timeouts, 429 Retry-After, 403, 5xx, truncated JSON, wrong types, a 50 MB body, slow drip: no crash, failover in the same cycle, counted', async () => {
    const t0 = Date.now();
    let t = Date.UTC(2025, 0, 31, 12);
    const clock = () => t;
    server.route('/good', readsbEmulator('ac'));
    const sources: ClosableSource[] = createSources(
      [
        src({
          id: 'bad',
          kind: 'readsb-v2',
          baseUrl: `${server.url}/bad`,
          provider: 'adsblol',
          requestsPerSecond: 50,
          timeoutMs: 1500,
          maxResponseBytes: 4_000_000,
          authFailureBackoffMinutes: 10,
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
    const wl = new Watchlist(watch([{ id: 'gulfstream-v', match: { types: ['GLF5'] } }]));
    const thePlan = plan({ types: ['GLF5'] });
    const glf5 = adsbxSnapshot().aircraft.filter((a) => a.t === 'GLF5').length;
    const counters = createPollCounters();
    const freshness = new SourceFreshness(t);
    const metrics = createMetrics({ sources: () => sources, queues: () => undefined, freshness, now: clock });
    const { log, lines } = captureLog();

    const huge = { bytes: 0 };
    const real = readFileSync(ADSBX, 'utf8');
    const faults: [string, Responder, SourceErrorKind | 'rejected', number][] = [
      // name, responder, expected failure kind, minutes to advance the clock afterwards
      ['timeout (no reply)', reply.hang(), 'timeout', 1],
      ['HTTP 500', reply.json({ error: 'boom' }, 500), 'http', 1],
      ['HTTP 503 HTML page', reply.htmlErrorPage(503), 'http', 1],
      ['truncated JSON (real capture cut off)', reply.json(real.slice(0, 200_000)), 'malformed', 1],
      ['HTML page with status 200', reply.htmlErrorPage(200), 'malformed', 1],
      ['`ac` of the wrong type', reply.json({ ac: { hex: 'abc123' }, now: 1 }), 'malformed', 1],
      ['50 MB body', reply.huge(50_000_000, huge, true), 'too-large', 1],
      ['slow drip', reply.drip(JSON.stringify({ ac: [], now: 1 }), 1, 100), 'timeout', 1],
      [
        '429 with Retry-After: 120',
        reply.json({ error: 'slow down' }, 429, { 'Retry-After': '120' }),
        'rate-limited',
        3,
      ],
      ['403 forbidden', reply.json({ error: 'forbidden' }, 403), 'auth', 11],
      // Records of the wrong types are rejected one by one; the rest of the reply is used (no failover).
      [
        'wrong field types in records',
        reply.json({
          ac: [
            { hex: 42, t: 'GLF5' },
            { hex: 'abc123', lat: 'north', lon: {}, alt_baro: [], t: 'GLF5' },
          ],
          now: 1_738_324_800_000,
        }),
        'rejected',
        1,
      ],
    ];

    const rows: { fault: string; servedBy?: string; kind?: string; ms: number }[] = [];
    for (const [name, responder, kind, advanceMin] of faults) {
      server.route('/bad', responder);
      const started = Date.now();
      const r = await runPollCycle({ sources, plan: thePlan, watchlist: wl, log, metrics: counters, now: clock });
      metrics.recordPollCycle(r);
      freshness.record(r);
      rows.push({ fault: name, servedBy: r.servedBy, kind: r.attempts[0].error?.kind, ms: Date.now() - started });
      if (kind === 'rejected') {
        expect(r.servedBy).toBe('bad');
        expect(r.rejected).toBe(2);
        expect(r.matched.map((m) => m.hex)).toEqual(['abc123']);
      } else {
        expect([name, r.servedBy]).toEqual([name, 'good']);
        expect([name, r.attempts[0].error?.kind]).toEqual([name, kind]);
        expect(r.matched).toHaveLength(glf5);
      }
      t += advanceMin * 60_000;
      // While out of rotation (429 window, auth backoff) the source is skipped, not retried: cycles still served.
      if (kind === 'rate-limited' || kind === 'auth') {
        const skipped = await runPollCycle({
          sources,
          plan: thePlan,
          watchlist: wl,
          log,
          metrics: counters,
          now: () => t - advanceMin * 60_000 + 30_000,
        });
        metrics.recordPollCycle(skipped);
        expect(skipped.attempts[0].skipped).toBeDefined();
        expect(skipped.servedBy).toBe('good');
      }
    }
    // The good source is back in charge, and the bad one, healed, serves again.
    server.route('/bad', readsbEmulator('aircraft'));
    const healed = await runPollCycle({ sources, plan: thePlan, watchlist: wl, log, metrics: counters, now: clock });
    metrics.recordPollCycle(healed);
    expect(healed.servedBy).toBe('bad');
    closeSources(sources);

    expect(huge.bytes).toBeLessThan(20_000_000); // the 50 MB body was cut off, not buffered
    expect(counters.failures.bad).toEqual({
      timeout: 2,
      http: 2,
      malformed: 3,
      'too-large': 1,
      'rate-limited': 1,
      auth: 1,
    });
    expect(counters.unserved).toBe(0);
    expect(counters.failovers).toBe(10);
    expect(counters.skipped.bad).toBe(2);
    const text = await metrics.registry.metrics();
    const value = (series: string) =>
      Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="timeout"}')).toBe(2);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="http"}')).toBe(2);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="malformed"}')).toBe(3);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="too-large"}')).toBe(1);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="rate-limited"}')).toBe(1);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="auth"}')).toBe(1);
    expect(value('flightwatch_source_polls_total{source="bad",outcome="skipped"}')).toBe(2);
    expect(value('flightwatch_poll_cycles_total{outcome="served"}')).toBe(faults.length + 3);
    expect(value('flightwatch_records_rejected_total')).toBe(2);
    // Logged per incident, not per failure: one warning when the primary starts failing (plus the one
    // records-rejected warning), and one line when it serves again, counting every failure by kind.
    const warns = lines.filter((l) => l.level === 'warn' && l.source === 'bad');
    expect(warns.map((l) => l.incident)).toEqual(['started', 'started']);
    const ended = lines.filter((l) => l.incident === 'ended' && /^source bad: recovered/.test(String(l.msg)));
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({
      failures: 10,
      byKind: { timeout: 2, http: 2, malformed: 3, 'too-large': 1, 'rate-limited': 1, auth: 1 },
    });
    expect(unhandled).toEqual([]);
    printSummary({
      scenario: 'source-faults',
      expected: faults.length + 3,
      delivered: faults.length + 3 - counters.unserved,
      duplicates: 0,
      lost: counters.unserved,
      durationMs: Date.now() - t0,
      unit: 'poll cycles served',
      failovers: counters.failovers,
      failures: counters.failures.bad,
      hugeBodyBytesSent: huge.bytes,
      cycles: rows,
    });
  });
});
