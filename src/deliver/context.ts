/** What the delivery steps share: config, the producer connection, queues, channels by id. */
import type { Redis } from 'ioredis';
import type { AlertsConfig } from '../config/alerts-schema';
import type { Logger } from '../util/log';
import { keys, type Keys } from '../queue/names';
import { createQueues, type Queues } from '../queue/queues';
import type { Channel } from './channel';
import type { RetryPolicy } from './backoff';

export type Channels = ReadonlyMap<string, Channel>;

export interface DeliveryContext {
  alerts: AlertsConfig;
  redis: Redis;
  prefix: string;
  keys: Keys;
  queues: Queues;
  channels: Channels;
  retry: RetryPolicy;
  log: Logger;
}

export function retryPolicy(alerts: AlertsConfig): RetryPolicy {
  return { horizonMs: alerts.retry.horizon, baseMs: alerts.retry.backoffBase, maxMs: alerts.retry.backoffMax };
}

export function createContext(o: { alerts: AlertsConfig; redis: Redis; prefix: string; channels: Channels; log: Logger }): DeliveryContext {
  const retry = retryPolicy(o.alerts);
  return { ...o, keys: keys(o.prefix), queues: createQueues(o.redis, o.prefix, retry), retry };
}
