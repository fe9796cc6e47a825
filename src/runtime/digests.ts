/**
 * One scheduler for every digest (pipeline/period-scheduler.ts): the watch-entry digests gathered by fan-out
 * and the report digests of `reports.digests`. It reads the config in effect on every check, so a reload that
 * changes `alerts.digest` or `reports.digests` takes effect at the next check, without a restart.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema';
import type { DeliveryContext } from '../pipeline/context';
import { watchDigestSource } from '../pipeline/digest';
import { raiseDigestFailed } from '../pipeline/digest-failed';
import { createPeriodScheduler, type PeriodScheduler, type PeriodSource } from '../pipeline/period-scheduler';
import type { Logger } from '../util/log';

export interface DigestsDeps {
  config: () => Config;
  env: NodeJS.ProcessEnv;
  redis: Redis;
  prefix: string;
  log: Logger;
  ctx: () => DeliveryContext;
  /** This process's name in claims (tests racing two schedulers in one process). */
  owner?: string;
}

/* eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, as in worker.ts */
const reportDigestModule = () => require('./report-digest') as typeof import('./report-digest');

export function createDigestScheduler(deps: DigestsDeps): PeriodScheduler {
  const watch = watchDigestSource(deps.ctx(), () => deps.config().alerts.digest.period);
  // Report digests read the archive: their modules (Kysely, drivers, renderer) load only once it is enabled.
  let reports: PeriodSource | undefined;
  return createPeriodScheduler({
    redis: deps.redis,
    log: deps.log,
    owner: deps.owner,
    sources: () => {
      if (!reports && deps.config().archive.enabled) reports = reportDigestModule().reportDigestSource(deps);
      return reports ? [watch, reports] : [watch];
    },
    checkEvery: () => deps.config().alerts.digest.checkEvery,
    backoff: () => ({ baseMs: deps.config().alerts.retry.backoffBase, maxMs: deps.config().alerts.retry.backoffMax }),
    onRepeatedFailure: (f) => raiseDigestFailed(deps.ctx(), f),
  });
}
