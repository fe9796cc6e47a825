/**
 * Scheduled report digests (config `reports.digests`) as a source of the period scheduler
 * (pipeline/period-scheduler.ts, started by runtime/digests.ts): once a digest's `at` (in its timezone) has
 * passed, the report of the last complete UTC week or month is built from the archive, rendered once, and
 * raised as a `report-digest` operational alert to the digest's channels, so it travels the notify queue like
 * every alert (retries, dead letters, disabled channels). Sent once per period even with several replicas:
 * the scheduler claims (digest, period) in Redis first; the alert ids derive from the same pair, so a crash
 * between enqueueing and marking it sent cannot duplicate it either. A build that fails is retried with
 * backoff until the next `at`.
 */
import { DateTime } from 'luxon';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import { digestCron, type DigestConfig } from '../config/reports-schema';
import { openArchive } from '../archive/open';
import { recordDb } from '../archive/record-schema';
import { classifyStaleLegs } from '../archive/classify/store';
import { buildReport } from '../archive/report/report';
import { parsePeriodLabel, periodLabelOf } from '../archive/report/period';
import { raiseOperational, type RaisedOperational } from '../pipeline/operational';
import type { DeliveryContext } from '../pipeline/context';
import type { DueItem, PeriodSource } from '../pipeline/period-scheduler';
import { digestContent } from '../reports/digest';
import { loadAirportNamer } from '../reports/airport-names';
import type { Logger } from '../util/log';
import { archiveTarget } from './archive-setup';

const DAY_MS = 86_400_000;
/** Longer than a month, so a claim outlives every retry of its period. */
const CLAIM_TTL_MS = 70 * DAY_MS;

export interface DigestDeps {
  /** The config in effect: read on every check, so a reload changes the digests. */
  config: () => Config;
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

/** The latest send time (`at` in `timezone`) at or before `now`; undefined when `at` is invalid. */
export function lastSendTime(d: Pick<DigestConfig, 'every' | 'at' | 'timezone'>, now: Date): Date | undefined {
  const cron = digestCron(d); // the schema's one reading of `at`: "m h * * weekday" or "m h day * *"
  if (!cron) return undefined;
  const [minute, hour, dom, , wd] = cron.split(' ').map(Number) as [number, number, number, number, number];
  const t = DateTime.fromJSDate(now, { zone: d.timezone });
  const at = (x: DateTime) => x.set({ hour, minute, second: 0, millisecond: 0 });
  let c: DateTime;
  if (d.every === 'weekly') {
    const weekday = wd === 0 ? 7 : wd; // cron: 0 = Sunday; luxon: 1 = Monday … 7 = Sunday
    c = at(t.minus({ days: (t.weekday - weekday + 7) % 7 }));
    if (c > t) c = at(c.minus({ weeks: 1 }));
  } else {
    c = at(t.set({ day: dom }));
    if (c > t) c = at(t.minus({ months: 1 }).set({ day: dom }));
  }
  return c.toJSDate();
}

/** Builds the report of `period` from the archive and raises it to the digest's channels. */
export async function raiseReportDigest(
  deps: Pick<DigestDeps, 'env'> & { config: Config; ctx: DeliveryContext },
  o: { digest: DigestConfig; id: string; period: string; time: Date },
): Promise<RaisedOperational> {
  const archive = await openArchive(archiveTarget(deps.config, deps.env));
  let content;
  try {
    const db = recordDb(archive.db);
    await classifyStaleLegs(db, deps.config.classify);
    const report = await buildReport(db, parsePeriodLabel(o.period));
    content = digestContent(report, { airports: await loadAirportNamer(deps.config.data.dir) });
  } finally {
    await archive.close();
  }
  return raiseOperational(deps.ctx, {
    kind: 'report-digest',
    summary: content.summary,
    details: content.facts,
    subject: `digest:${o.id}:${o.period}`,
    at: parsePeriodLabel(o.period).to,
    time: o.time.toISOString(),
    channels: o.digest.channels,
  });
}

/**
 * Each digest whose latest `at` has passed is due for the period before it. A send time from before this
 * source knew the digest (the worker was down, or the digest is new in a reloaded config) only resumes what a
 * replica started: a fresh start or a reload never sends last week's report on its own. A digest a reload
 * added is known from the check before it, so an `at` between that check and this one still counts.
 */
export function reportDigestSource(deps: DigestDeps): PeriodSource {
  const knownSince = new Map<string, number>();
  let lastCheck: number | undefined;
  return {
    name: 'report digests',
    due(now) {
      const since = lastCheck ?? now;
      lastCheck = now;
      const config = deps.config();
      const ctx = deps.ctx();
      // Report digests read the archive: only where there is one.
      if (!config.archive.enabled || !ctx) return Promise.resolve([]);
      const items: DueItem[] = [];
      config.reports.digests.forEach((d, i) => {
        const id = digestId(d, i);
        if (!knownSince.has(id)) knownSince.set(id, since);
        const sendAt = lastSendTime(d, new Date(now));
        if (!sendAt) return; // the schema refused it already
        const period = lastCompletePeriod(d.every, sendAt);
        items.push({
          key: digestClaimKey(deps.prefix, id, period),
          label: `report digest ${id} ${period}`,
          digest: `report:${id}`,
          period,
          resumeOnly: sendAt.getTime() < knownSince.get(id)!,
          keepMs: CLAIM_TTL_MS,
          send: async () => {
            const raised = await raiseReportDigest(
              { config, env: deps.env, ctx },
              { digest: d, id, period, time: sendAt },
            );
            deps.log.info({ digest: id, period, channels: raised.channels }, 'report digest queued');
          },
        });
      });
      return Promise.resolve(items);
    },
  };
}
