/**
 * The archive lag watch: a detection older than archive.lagAlertAfter not yet archived raises ONE
 * `archive-lag` operational alert (a notify job per channel), re-checks add nothing, the gauge reads the lag,
 * and once the archiver catches up the lag reads 0.
 */
import { Registry } from 'prom-client';
import { createContext } from '../../../src/pipeline/context';
import { openArchive, type Archive } from '../../../src/archive';
import { Archiver } from '../../../src/archive/archiver';
import { capturesKey } from '../../../src/archive/capture';
import { startArchiveLagWatch } from '../../../src/observability/archive-lag';
import { silentLogger } from '../../../src/util/log';
import type { Channel } from '../../../src/alerting/channel';
import { generateHistory } from '../../../scripts/bench/flight-history';
import { makeAlerts, webhookEntry } from '../pipeline/support/fixtures';
import { redisSuite } from '../../helpers/redis-suite';
import { tempSqlite } from '../../helpers/archive-db';

const suite = redisSuite('fwlag');

it('raises one archive-lag alert past the threshold, and the lag reads 0 once archived', async () => {
  const redis = suite.client();
  const prefix = suite.prefix().slice(0, -1);
  const ctx = createContext({
    alerts: makeAlerts({ channels: [webhookEntry('ops')] }),
    redis,
    prefix,
    channels: new Map([['ops', { id: 'ops' } as unknown as Channel]]),
    log: silentLogger,
  });
  const db = tempSqlite();
  let archive: Archive | undefined;
  try {
    archive = await openArchive(db.target);
    const now = Date.now();
    const [event] = [...generateHistory({ airframes: 1, days: 1 })];
    // entered the history 20 minutes ago (an explicit entry id: appendEvent's ids are "now")
    await redis.xadd(ctx.keys.history, `${now - 20 * 60_000}-0`, 'id', event.id, 'event', JSON.stringify(event));
    const archiver = new Archiver({
      redis,
      historyKey: ctx.keys.history,
      capturesKey: capturesKey(prefix),
      archive,
      log: silentLogger,
    });
    const registry = new Registry();
    const watch = startArchiveLagWatch({
      archiver,
      registry,
      thresholdMs: () => 15 * 60_000,
      ctx: () => ctx,
      log: silentLogger,
      checkEveryMs: 3_600_000,
    });
    await watch.check();
    await watch.check();
    watch.stop();
    const jobs = await ctx.queues.notify.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs).toHaveLength(1);
    const op = (jobs[0].data.event as { details: { operational: Record<string, unknown> } }).details.operational;
    expect(op).toMatchObject({ kind: 'archive-lag', lagMinutes: 20, thresholdMinutes: 15 });
    expect(op.summary).toMatch(/20 min behind.*Alerts are still delivered/);
    const lag = (await registry.getSingleMetric('flightwatch_archive_lag_seconds')!.get()).values[0].value;
    expect(lag).toBeGreaterThanOrEqual(20 * 60);

    await archiver.drain();
    expect(archiver.status().lagMs).toBe(0);
    const after = (await registry.getSingleMetric('flightwatch_archive_lag_seconds')!.get()).values[0].value;
    expect(after).toBe(0);
  } finally {
    await ctx.queues.close();
    await archive?.close();
    await db.drop();
  }
});
