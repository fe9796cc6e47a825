/**
 * A group's own receiver: one GET of aircraft.json (real dump1090-fa capture, and the 8,423-aircraft ADSBx
 * aggregator file as a large receiver), everything matched locally after enrichment.
 */
import { readFileSync } from 'node:fs';
import { startFaultServer, reply, type FaultServer } from '../../helpers/fault-server';
import { createSources, closeSources } from '../../../src/sources/registry';
import { runPollCycle } from '../../../src/ingest/poll-cycle';
import { Watchlist } from '../../../src/domain/watchlist';
import { captureLog, plan, src, warnings, watch } from './support';
import { ADSBX, DUMP1090, describeShared } from '../../helpers/shared';

describeShared('receiver source', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  test('dump1090-fa aircraft.json: one request whatever the plan; enrichment lets type entries match', async () => {
    server.route('/data/aircraft.json', reply.file(DUMP1090));
    const raw = JSON.parse(readFileSync(DUMP1090, 'utf8')) as {
      now: number;
      aircraft: { hex: string; flight?: string }[];
    };
    const [rx] = createSources([src({ id: 'rx', kind: 'receiver', url: `${server.url}/data/aircraft.json` })]);
    const withCallsign = raw.aircraft.find((a) => a.flight?.trim())!;
    const bare = raw.aircraft.find((a) => !a.flight)!;
    const wl = new Watchlist(
      watch([
        { id: 'by-hex', match: { hex: [withCallsign.hex] } },
        { id: 'by-type', match: { types: ['GLF5'] } },
      ]),
    );
    const { log, lines } = captureLog();
    const r = await runPollCycle({
      sources: [rx],
      plan: plan({ hex: ['a00001'], registrations: ['N1'], types: ['GLF5'], needsLocalScan: true }),
      watchlist: wl,
      log,
      // Stand-in for the aircraft database: this receiver sends no r/t.
      enrich: (s) => (s.hex === bare.hex ? { ...s, type: 'GLF5', registration: 'N9TEST' } : s),
    });
    closeSources([rx]);
    expect(server.requests.map((q) => q.path)).toEqual(['/data/aircraft.json']);
    expect(r.servedBy).toBe('rx');
    expect(r.states).toBe(new Set(raw.aircraft.map((a) => a.hex)).size - r.rejected);
    expect(r.matched.map((m) => [m.hex, m.watch.ids[0]]).sort()).toEqual(
      [
        [withCallsign.hex, 'by-hex'],
        [bare.hex, 'by-type'],
      ].sort(),
    );
    expect(r.matched.find((m) => m.hex === withCallsign.hex)?.callsign).toBe(withCallsign.flight!.trim());
    expect(r.matched.every((m) => m.sourceId === 'rx')).toBe(true);
    expect(warnings(lines).filter((l) => l.msg !== 'records rejected')).toEqual([]);
  });

  test('the 3.8 MB ADSBx aggregator file through a receiver: all 8,423 aircraft, flags and GLF5 from the file', async () => {
    server.route('/tar1090/data/aircraft.json', reply.file(ADSBX));
    const raw = JSON.parse(readFileSync(ADSBX, 'utf8')) as {
      aircraft: { hex: string; t?: string; dbFlags?: number }[];
    };
    const [rx] = createSources([src({ id: 'rx', kind: 'receiver', url: `${server.url}/tar1090/data/aircraft.json` })]);
    const { log } = captureLog();
    const r = await runPollCycle({
      sources: [rx],
      plan: plan({ needsLocalScan: true }),
      watchlist: new Watchlist(
        watch([
          { id: 'g5', match: { types: ['GLF5'] } },
          { id: 'mil', match: { flags: ['military'] } },
        ]),
      ),
      log,
    });
    closeSources([rx]);
    expect(r.attempts[0].bytes).toBe(readFileSync(ADSBX).length);
    expect(r.states + r.rejected).toBeGreaterThanOrEqual(new Set(raw.aircraft.map((a) => a.hex)).size);
    const expected = new Set(
      raw.aircraft.filter((a) => a.t === 'GLF5' || ((a.dbFlags ?? 0) & 1) === 1).map((a) => a.hex),
    );
    expect(new Set(r.matched.map((m) => m.hex))).toEqual(expected);
  });

  test('a receiver reply bigger than maxResponseBytes fails with too-large', async () => {
    server.route('/big.json', reply.file(ADSBX));
    const [rx] = createSources([
      src({ id: 'rx', kind: 'receiver', url: `${server.url}/big.json`, maxResponseBytes: 1_000_000 }),
    ]);
    await expect(rx.fetch(rx.requestsFor(plan({}))[0])).rejects.toMatchObject({ kind: 'too-large', sourceId: 'rx' });
    closeSources([rx]);
  });
});
