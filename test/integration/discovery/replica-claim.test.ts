/**
 * Two replicas on one Redis, each with its own sampler and SQLite archive, taking turns at the poll slots: both
 * come to propose the same aircraft from their own cycles, but the "new candidate" alert goes out once (the
 * announcement is claimed with SET NX on the candidate id and proposal number). Without the claim each replica
 * would raise its own alert (different proposal times, different alert ids).
 */
import pino from 'pino';
import { Writable } from 'node:stream';
import { openArchive, type Archive } from '../../../src/archive';
import { recordDb } from '../../../src/archive/record-schema';
import { createContext, type DeliveryContext } from '../../../src/pipeline/context';
import { startDiscovery, type Discovery } from '../../../src/runtime/discovery-setup';
import { discoveryDb, listCandidates } from '../../../src/discovery';
import { stateAt } from '../../../src/sim/hub-traffic';
import type { Channel } from '../../../src/alerting/channel';
import { tempSqlite, type TestDatabase } from '../../helpers/archive-db';
import { redisSuite } from '../../helpers/redis-suite';
import { makeAlerts, webhookEntry } from '../pipeline/support/fixtures';
import { DAY, T0, airframe, airports, testConfig } from './support';

const suite = redisSuite('fwclaim');

const charter = airframe('a4f2c1', 'B738', [
  ['KAEX', 'KHRL', 2, 'GXA6123'],
  ['KHRL', 'MGGT', 7, 'GXA6124'],
]);

interface Replica {
  discovery: Discovery;
  archive: Archive;
  db: TestDatabase;
  ctx: DeliveryContext;
  lines: string[];
}

async function replica(prefix: string): Promise<Replica> {
  const db = tempSqlite();
  const archive = await openArchive(db.target);
  const lines: string[] = [];
  const log = pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  const ctx = createContext({
    alerts: makeAlerts({ channels: [webhookEntry('ops')] }),
    redis: suite.client(),
    prefix,
    channels: new Map([['ops', { id: 'ops' } as unknown as Channel]]),
    log,
  });
  const config = testConfig();
  const rdb = recordDb(archive.db);
  const discovery = startDiscovery({ config: () => config, airports, db: () => rdb, ctx: () => ctx, log });
  return { discovery, archive, db, ctx, lines };
}

it('two replicas proposing the same aircraft announce it once', async () => {
  const prefix = suite.prefix().slice(0, -1);
  const replicas = [await replica(prefix), await replica(prefix)];
  try {
    // Poll slots alternate between the replicas, as BullMQ hands them out.
    let turn = 0;
    for (let t = T0; t <= T0 + DAY; t += 5 * 60_000)
      await replicas[turn++ % 2].discovery.afterCycle(
        [charter].flatMap((a) => stateAt(a, t) ?? []),
        t,
      );

    for (const r of replicas)
      expect((await listCandidates(discoveryDb(recordDb(r.archive.db)))).map((c) => c.id)).toEqual(['cand-a4f2c1']);
    const announced = replicas.map((r) =>
      r.lines
        .filter((l) => l.includes('new candidate aircraft'))
        .map((l) => (JSON.parse(l) as { announced: boolean }).announced),
    );
    expect(announced.flat().sort()).toEqual([false, true]);
    const jobs = await replicas[0].ctx.queues.notify.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((j) => j.data.channelId)).toEqual(['ops']);
    expect(
      (jobs[0].data.event as { details: { operational: { candidateId: string } } }).details.operational.candidateId,
    ).toBe('cand-a4f2c1');
  } finally {
    for (const r of replicas) {
      await r.ctx.queues.close();
      await r.archive.close();
      await r.db.drop();
    }
  }
}, 120_000);
