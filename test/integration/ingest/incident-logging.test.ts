/**
 * Logs per incident, not per cycle: a source that fails on every poll cycle for ten (simulated) minutes
 * writes a line when the failure starts, a summary at most every five minutes and a line when it ends; the cycle
 * that nothing serves is logged the same way. Real readsb sources against a local HTTP stand-in; only the
 * clock of the incident log is simulated (the cycles themselves run for real).
 */
import { startFaultServer, type FaultServer } from '../../helpers/fault-server';
import { createLogger } from '../../../src/util/log';
import { createSources, closeSources } from '../../../src/sources/registry';
import { sourceSchema, watchEntrySchema } from '../../../src/config/schema';
import { runPollCycle } from '../../../src/ingest/poll-cycle';
import { IncidentLog } from '../../../src/ingest/incident-log';
import { Watchlist } from '../../../src/domain/watchlist';

jest.setTimeout(60_000);

let api: FaultServer;
let failing = true;
beforeAll(async () => {
  api = await startFaultServer();
  api.route('/primary', (_q, res) => {
    if (failing) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('upstream exploded');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ac: [], now: Date.now() }));
    }
  });
});
afterAll(() => api.close());

it('a 10-minute source outage at one cycle per 2 s logs its start, one summary and its end', async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    level: 'info',
    env: {},
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  });
  const sources = createSources(
    [sourceSchema.parse({ id: 'primary', kind: 'readsb-v2', baseUrl: `${api.url}/primary`, requestsPerSecond: 50 })],
    { env: {} },
  );
  let clock = 1_700_000_000_000;
  const incidents = new IncidentLog(5 * 60_000, () => clock);
  const watchlist = new Watchlist([watchEntrySchema.parse({ id: 't', match: { hex: ['acb2ba'] } })]);
  const plan = { hex: ['acb2ba'], registrations: [], types: [], areas: [], needsLocalScan: false };
  const cycle = () => runPollCycle({ sources, plan, watchlist, log, incidents });
  // 300 cycles = 10 minutes at one cycle per 2 s.
  for (let i = 0; i < 300; i++, clock += 2000) {
    const r = await cycle();
    expect(r.servedBy).toBeUndefined();
  }
  failing = false;
  const ok = await cycle();
  closeSources(sources);
  expect(ok.servedBy).toBe('primary');
  await new Promise((res) => log.flush(() => res(undefined)));

  const source = lines.filter((l) => l.source === 'primary' || /^source primary/.test(String(l.msg)));
  expect(source.map((l) => l.incident)).toEqual(['started', 'ongoing', 'ended']);
  expect(source[0].msg).toMatch(/^source primary failed \(http\): HTTP 500/);
  expect(source[1]).toMatchObject({ level: 'warn', failures: 151 });
  expect(source[2]).toMatchObject({ level: 'info', failures: 300 });
  const unserved = lines.filter((l) => /poll cycle/.test(String(l.msg)));
  expect(unserved.map((l) => [l.level, l.incident])).toEqual([
    ['error', 'started'],
    ['error', 'ongoing'],
    ['info', 'ended'],
  ]);
  expect(lines).toHaveLength(6); // 600 warn/error lines before (one of each per cycle)
});
