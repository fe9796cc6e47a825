/**
 * Scheduled report digests (config `reports.digests`): at each digest's `at` (node-cron, in its timezone) the
 * report of the last complete UTC week or month is built from the archive, rendered once, and raised as a
 * `report-digest` operational alert to the digest's channels, so it travels the notify queue like every alert
 * (retries, dead letters, disabled channels). Sent once per period even with several replicas: the first to
 * `SET key NX` for (digest, period) sends; the alert ids are derived from the same pair, so a crash between
 * claiming and enqueueing that is retried by hand cannot duplicate it either.
 */
import { schedule, type ScheduledTask } from 'node-cron';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import { digestCron, type DigestConfig } from '../config/reports-schema';
import { openArchive } from '../archive/open';
import { recordDb } from '../archive/record-schema';
import { classifyStaleLegs } from '../archive/classify/store';
import { buildReport } from '../archive/report/report';
import { parsePeriodLabel, periodLabelOf } from '../archive/report/period';
import { raiseOperational } from '../pipeline/operational';
import { cronLogger } from '../pipeline/trigger';
import type { DeliveryContext } from '../pipeline/context';
import { digestContent } from '../reports/digest';
import { loadAirportNamer } from '../reports/airport-names';
import type { Logger } from '../util/log';
import { archiveTarget } from './archive-setup';

const DAY_MS = 86_400_000;
/** Longer than a month, so a claim outlives every retry of its period. */
const CLAIM_TTL_S = 70 * 86_400;

export interface DigestDeps {
  config: Config;
  env: NodeJS.ProcessEnv;
  redis: Redis;
  prefix: string;
  log: Logger;
  ctx: () => DeliveryContext | undefined;
}

export const digestId = (d: DigestConfig, index: number) => d.id ?? `${d.every}-${index}`;

/** The last complete UTC period before `now`: last ISO week, or last calendar month. */
export function lastCompletePeriod(every: DigestConfig['every'], now: Date): string {
  if (every === 'weekly') return periodLabelOf('week', new Date(now.getTime() - 7 * DAY_MS));
  return periodLabelOf('month', new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
}

export const digestClaimKey = (prefix: string, id: string, period: string) => `${prefix}:report-digest:${id}:${period}`;

export type DigestOutcome =
  { sent: true; period: string; channels: string[] } | { sent: false; period: string; reason: string };

/** Builds and raises one digest for the period before `now`, unless another process already claimed it. */
export async function sendDigest(deps: DigestDeps, index: number, now: Date): Promise<DigestOutcome> {
  const d = deps.config.reports.digests[index];
  if (!d) throw new Error(`reports.digests[${index}] does not exist`);
  const id = digestId(d, index);
  const period = lastCompletePeriod(d.every, now);
  const ctx = deps.ctx();
  if (!ctx) return { sent: false, period, reason: 'the pipeline is not running' };
  const key = digestClaimKey(deps.prefix, id, period);
  const claimed = await deps.redis.set(key, now.toISOString(), 'EX', CLAIM_TTL_S, 'NX');
  if (claimed !== 'OK') return { sent: false, period, reason: 'already sent (claimed by this or another replica)' };
  try {
    const archive = await openArchive(archiveTarget(deps.config, deps.env));
    let content;
    try {
      const db = recordDb(archive.db);
      await classifyStaleLegs(db, deps.config.classify);
      const report = await buildReport(db, parsePeriodLabel(period));
      content = digestContent(report, { airports: await loadAirportNamer(deps.config.data.dir) });
    } finally {
      await archive.close();
    }
    const raised = await raiseOperational(ctx, {
      kind: 'report-digest',
      summary: content.summary,
      details: content.facts,
      subject: `digest:${id}:${period}`,
      at: parsePeriodLabel(period).to,
      time: now.toISOString(),
      channels: d.channels,
    });
    return { sent: true, period, channels: raised.channels };
  } catch (e) {
    // Not sent: release the claim so the next replica's tick (or a restart) can try again.
    await deps.redis.del(key).catch(() => undefined);
    throw e;
  }
}

/** One node-cron task per digest; failures are logged, never thrown into the worker. */
export function scheduleDigests(deps: DigestDeps): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = [];
  deps.config.reports.digests.forEach((d, i) => {
    const cron = digestCron(d);
    if (!cron) return; // the schema refused it already
    const id = digestId(d, i);
    tasks.push(
      schedule(
        cron,
        async (tc) => {
          try {
            const out = await sendDigest(deps, i, tc.date);
            deps.log.info(
              { digest: id, ...out },
              out.sent ? 'report digest queued' : `report digest not sent: ${out.reason}`,
            );
          } catch (err) {
            deps.log.error(
              { digest: id, err: (err as Error).message },
              'report digest failed; its claim was released so a replica or the next run can send it',
            );
          }
        },
        { name: `flightwatch-digest-${id}`, timezone: d.timezone, noOverlap: true, logger: cronLogger(deps.log) },
      ),
    );
  });
  return {
    async stop() {
      for (const t of tasks) {
        await t.stop();
        await t.destroy();
      }
    },
  };
}
