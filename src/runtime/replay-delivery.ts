/**
 * `replay --deliver`: hands replayed events to the real delivery path (history stream, routing, notify
 * queue, channels) and waits until every alert has settled. Alert ids derive from event ids, so replaying
 * the same data twice delivers nothing new. A running worker on the same Redis delivers them; otherwise a
 * temporary in-process worker does (deliverEvents). Events that matched only digest entries are not alerted
 * one by one, as in the worker: they are summed up per channel and digest period of their event time, and
 * those digests are delivered at the end (pipeline/replay-digests.ts).
 */
import type { Config } from '../config/schema';
import type { FlightEvent } from '../domain/event';
import { buildChannels, closeChannels } from '../alerting/build-channels';
import { deliverEvents, type DeliverSummary } from '../pipeline/deliver-events';
import { redisPrefix, withRedis } from '../pipeline/connection';
import { redisUrl } from './redis/cli-redis-url';
import { digestEntryIds } from '../domain/watchlist';
import type { Logger } from '../util/log';

export async function deliverReplayedEvents(
  events: readonly FlightEvent[],
  o: { config: Config; log: Logger; redisUrl?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<DeliverSummary> {
  const env = o.env ?? process.env;
  const url = o.redisUrl ?? (await redisUrl({ env, dataDir: o.config.data.dir }));
  const channels = buildChannels(o.config.alerts, { env, log: o.log, watch: o.config.watch });
  try {
    return await withRedis(url, (redis) =>
      deliverEvents(events, {
        config: o.config,
        redis,
        channels,
        waitUntilSettled: true,
        prefix: redisPrefix(env),
        log: o.log,
        timeoutMs: o.timeoutMs,
        digest: { watch: digestEntryIds(o.config.watch), periodMs: o.config.alerts.digest.period },
      }),
    );
  } finally {
    await closeChannels(channels);
  }
}

/** Outcomes that mean "nothing more will happen to this alert without a person". */
export function unsettledCount(s: DeliverSummary): number {
  return s.counts['dead-lettered'] + s.counts.pending + s.counts.retrying;
}
