/**
 * The "new candidate" operational alert: one notify job per enabled channel with the candidate's facts and a
 * summary that says what to do; raising the same proposal again (a retried cycle) adds nothing.
 */
import { createContext } from '../../../src/pipeline/context';
import { announceCandidate } from '../../../src/discovery/announce';
import { decide } from '../../../src/discovery/decide';
import { assess, candidateRules } from '../../../src/discovery/score';
import { discoverySchema } from '../../../src/config/discovery-schema';
import { silentLogger } from '../../../src/util/log';
import type { Channel } from '../../../src/alerting/channel';
import type { CandidateRow } from '../../../src/discovery/tables';
import { makeAlerts, webhookEntry } from '../pipeline/support/fixtures';
import { redisSuite } from '../../helpers/redis-suite';

const suite = redisSuite('fwcand');
const T0 = Date.UTC(2026, 2, 2, 8);

const sighting = (place: string, hours: number) => ({
  hex: 'a4f2c1',
  at: T0 + hours * 3_600_000,
  source: 'adsblol',
  place,
  country: 'US',
  hub: true,
  onGround: true,
  altFt: null,
  lat: 30,
  lon: -95,
  callsign: 'SWQ310',
  registration: 'N801XA',
  type: 'A320',
  operator: null,
});

it('goes to every channel once with the candidate and what to do', async () => {
  const redis = suite.client();
  const ctx = createContext({
    alerts: makeAlerts({ channels: [webhookEntry('ops'), webhookEntry('partner')] }),
    redis,
    prefix: suite.prefix().slice(0, -1),
    channels: new Map(['ops', 'partner'].map((id) => [id, { id } as unknown as Channel])),
    log: silentLogger,
  });
  try {
    const rules = candidateRules(discoverySchema.parse(undefined));
    const a = assess('a4f2c1', [sighting('KAEX', 0), sighting('KHRL', 20)], rules);
    const row = decide(undefined, a, T0 + 20 * 3_600_000).row as CandidateRow;
    await announceCandidate(ctx, row);
    await announceCandidate(ctx, row);
    const jobs = await ctx.queues.notify.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((j) => j.data.channelId).sort()).toEqual(['ops', 'partner']);
    const op = (jobs[0].data.event as { details: { operational: Record<string, unknown> } }).details.operational;
    expect(op).toMatchObject({
      kind: 'candidate',
      candidateId: 'cand-a4f2c1',
      hex: 'a4f2c1',
      registration: 'N801XA',
      aircraftType: 'A320',
      score: 0.9,
    });
    expect(op.reasons).toBe(
      'at 2 hubs within 7 days (KAEX 2026-03-02, KHRL 2026-03-03); charter-capable type A320; charter callsign SWQ310 (iaero)',
    );
    expect(op.summary).toMatch(/^Unlisted aircraft A320 N801XA SWQ310 \(hex a4f2c1\) behaves like a removal charter/);
    expect(op.summary).toContain('flightwatch candidates show cand-a4f2c1');
  } finally {
    await ctx.queues.close();
  }
});
