/** BullMQ queue names (their keys live under the same prefix as alerting/keys.ts). */
export const QUEUE = { poll: 'poll', detect: 'detect', notify: 'notify' } as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/**
 * `{flightwatch}`: a key prefix whose keys all hash to one Redis Cluster slot (kept as is when it has a tag
 * already). See redis-cluster.ts for why a deployment keeps all its keys in one slot.
 */
export const hashTagged = (prefix: string): string => (/\{[^{}]+\}/.test(prefix) ? prefix : `{${prefix}}`);
