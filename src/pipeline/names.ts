/**
 * Queue names and Redis key layout. Every key the pipeline writes lives under one prefix so a deployment
 * (or a test sharing a Redis) can be isolated and cleaned up by prefix.
 */
export const QUEUE = { poll: 'poll', detect: 'detect', notify: 'notify' } as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const DEFAULT_PREFIX = 'flightwatch';

/** Keys outside BullMQ's own (history stream, silences, notification log, channel state). */
export function keys(prefix: string = DEFAULT_PREFIX) {
  return {
    /** Redis stream: every detected event, appended before routing. */
    history: `${prefix}:history`,
    /** event id → history stream entry id (makes the append idempotent). */
    historySeen: (eventId: string) => `${prefix}:history-seen:${eventId}`,
    silence: (id: string) => `${prefix}:silence:${id}`,
    silenceIndex: `${prefix}:silences`,
    /** Last notification per (channel, aircraft, event type): the repeatInterval log. */
    nflog: (channelId: string, hex: string, type: string) => `${prefix}:nflog:${channelId}:${hex}:${type}`,
    /** Alert delivered (alert id → receipt): absorbs at-least-once re-runs. */
    sent: (alertId: string) => `${prefix}:sent:${alertId}`,
    /** Hash channel id → JSON {disabledAt, reason}. */
    disabledChannels: `${prefix}:channels:disabled`,
  };
}
export type Keys = ReturnType<typeof keys>;
