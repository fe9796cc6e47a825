/** The worker's fleet-prior refresher: current legs after each read; a failed read keeps the last good ones. */
import pino from 'pino';
import { Writable } from 'node:stream';
import { startFleetRefresh } from '../../../src/runtime/fleet-refresh';
import type { FleetLegs } from '../../../src/trips';

it('serves the latest read, keeps the last good legs through a failure, and logs the failure once', async () => {
  const lines: { msg: string; err?: string }[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({ write: (c: Buffer, _e, cb) => (lines.push(JSON.parse(c.toString())), cb()) }),
  );
  const reads: (FleetLegs | Error)[] = [
    { legs: [['GXA', 'KAEX', 'MGGT', 1]], loadedAt: 1 },
    new Error('archive busy'),
    new Error('archive busy'),
    { legs: [['GXA', 'KAEX', 'MHLM', 2]], loadedAt: 2 },
  ];
  const r = startFleetRefresh({
    read: () => {
      const next = reads.shift()!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    everyMs: 3_600_000,
    log,
  });
  try {
    // The read at start, then one that starts now (and fails): the first legs stay in use.
    await r.refreshNow();
    expect(r.current()?.loadedAt).toBe(1);
    await r.refreshNow(); // fails again, the same way: not logged twice
    expect(r.current()?.legs).toEqual([['GXA', 'KAEX', 'MGGT', 1]]);
    await r.refreshNow();
    expect(r.current()?.legs).toEqual([['GXA', 'KAEX', 'MHLM', 2]]);
    expect(lines.filter((l) => l.err === 'archive busy')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'fleet priors loaded from the archive')).toHaveLength(1);
  } finally {
    r.stop();
  }
});
