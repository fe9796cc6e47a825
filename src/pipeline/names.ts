/** BullMQ queue names (their keys live under the same prefix as alerting/keys.ts). */
export const QUEUE = { poll: 'poll', detect: 'detect', notify: 'notify' } as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
