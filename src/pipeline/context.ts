/** What the delivery steps share: config, the producer connection, queues, channels by id. */
import type { Redis } from 'ioredis';
import type { AlertsConfig } from '../config/alerts-schema';
import type { Logger } from '../util/log';
import { keys, type Keys } from '../alerting/keys';
import { createQueues, type Queues } from './queues';
import type { Channel } from '../alerting/channel';
import type { RetryPolicy } from './backoff';
import type { FlightEvent, OperationalKind } from '../domain/event';
import { pipelineSchema, type PipelineConfig } from '../config/pipeline-schema';

export type Channels = ReadonlyMap<string, Channel>;

/**
 * Hooks for counting what delivery sees (the worker feeds its Prometheus metrics from them). Each is called
 * once per fact in the process where it happened, however many times the idempotent steps around it repeat.
 */
export interface DeliveryObserver {
  /** An event entered the history for the first time (through the detect job, the outbox drain, or fan-out). */
  eventRecorded?(event: FlightEvent): void;
  /** An operational incident was raised (not its idempotent re-raises). */
  operationalRaised?(kind: OperationalKind): void;
}

export interface DeliveryContext {
  alerts: AlertsConfig;
  redis: Redis;
  prefix: string;
  keys: Keys;
  queues: Queues;
  channels: Channels;
  retry: RetryPolicy;
  /** The live path's handoff, back-pressure and retention settings (`pipeline:`). */
  pipeline: PipelineConfig;
  log: Logger;
  observer?: DeliveryObserver;
  /** Ids of the watch entries delivered by digest (read per event: a config reload may change them). */
  digestWatch?: () => ReadonlySet<string>;
  /** `alerts.digest.period` in effect (a config reload may change it); default the one in `alerts`. */
  digestPeriod?: () => number;
  /** Where digest-only events go instead of the Redis buckets (replay gathers its own by event time). */
  gatherDigest?: (event: FlightEvent, channelIds: string[]) => void;
}

export function retryPolicy(alerts: AlertsConfig): RetryPolicy {
  return { horizonMs: alerts.retry.horizon, baseMs: alerts.retry.backoffBase, maxMs: alerts.retry.backoffMax };
}

export function createContext(o: {
  alerts: AlertsConfig;
  redis: Redis;
  prefix: string;
  channels: Channels;
  log: Logger;
  observer?: DeliveryObserver;
  digestWatch?: () => ReadonlySet<string>;
  digestPeriod?: () => number;
  gatherDigest?: (event: FlightEvent, channelIds: string[]) => void;
  pipeline?: PipelineConfig;
}): DeliveryContext {
  const retry = retryPolicy(o.alerts);
  const pipeline = o.pipeline ?? pipelineSchema.parse({});
  return { ...o, pipeline, keys: keys(o.prefix), queues: createQueues(o.redis, o.prefix, retry, pipeline), retry };
}
