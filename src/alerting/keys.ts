/**
 * The Redis key layout outside BullMQ's own, in one place for the whole deployment: every key lives under one
 * prefix so a deployment (or a test sharing a Redis) can be isolated and cleaned up by prefix. It sits in
 * alerting because silences, the notification log and channel state are alerting's records; the pipeline's
 * history stream is named here too, since the notification log reads it.
 */
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
    /** One poll slot's matched aircraft, handed to detection by reference (pipeline/positions.ts); with a TTL. */
    positions: (slotMs: number) => `${prefix}:positions:${slotMs}`,
    /** Sorted set of poll slots whose positions wait for detection (score = member = slot ms). */
    positionsPending: `${prefix}:positions:pending`,
    /** Set while detection coalesces slots: the incident's start (one operational alert per incident). */
    detectionBehind: `${prefix}:detection-behind`,
    /** Claimed by the replica that announces a candidate's proposal (SET NX with a TTL): one alert across replicas. */
    candidateClaim: (candidateId: string, proposal: number) => `${prefix}:candidate-claim:${candidateId}:${proposal}`,
  };
}
export type Keys = ReturnType<typeof keys>;
