/**
 * The notification log (Alertmanager nflog): what was sent, used for two decisions in the notify step.
 *  - Idempotence: an alert id marked sent is never sent again (absorbs BullMQ's at-least-once re-runs and
 *    replays after completed jobs were removed).
 *  - repeatInterval: the last alert per (channel, aircraft, event type); another alert of the same kind
 *    within the interval is suppressed. Measured on EVENT time so replaying a day of data behaves like it
 *    did live, not like everything happened in the last second.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../queue/names';

export interface LastNotification {
  alertId: string;
  eventTimeMs: number;
  sentAt: number;
}

/** Pure: suppress when a different alert of the same kind went out within the interval (either side). */
export function suppressedByRepeat(last: LastNotification | undefined, alertId: string, eventTimeMs: number, repeatIntervalMs: number): boolean {
  if (!last || repeatIntervalMs <= 0 || last.alertId === alertId) return false;
  return Math.abs(eventTimeMs - last.eventTimeMs) < repeatIntervalMs;
}

export interface NotifyState {
  sent?: string;
  last?: LastNotification;
  disabled?: { disabledAt: string; reason: string };
  /** Raw history entry fields when a history id was given (see history.ts). */
  historyRows?: [string, string[]][];
  /** Ids in the silence index (may include expired ones). */
  silenceIds: string[];
}

/**
 * Everything the notify step checks before sending, in ONE round trip: the sent marker, the last
 * notification of this kind, the channel's disabled flag, the event from the history stream and the silence
 * index. The notify step is the hot path; each extra round trip is latency on every alert.
 */
export async function readNotifyState(redis: Redis, k: Keys, alertId: string, channelId: string, hex: string, type: string, historyId?: string): Promise<NotifyState> {
  const p = redis.pipeline().get(k.sent(alertId)).get(k.nflog(channelId, hex, type)).hget(k.disabledChannels, channelId).smembers(k.silenceIndex);
  if (historyId) p.xrange(k.history, historyId, historyId);
  const rows = (await p.exec()) ?? [];
  const failed = rows.find(([err]) => err);
  if (failed) throw failed[0];
  const val = (i: number) => (rows[i]?.[1] as string | null) ?? undefined;
  const lastRaw = val(1);
  const disabledRaw = val(2);
  return {
    sent: val(0),
    last: lastRaw ? (JSON.parse(lastRaw) as LastNotification) : undefined,
    disabled: disabledRaw ? JSON.parse(disabledRaw) : undefined,
    silenceIds: (rows[3]?.[1] as string[]) ?? [],
    historyRows: historyId ? (rows[4]?.[1] as [string, string[]][]) : undefined,
  };
}

export async function recordSent(
  redis: Redis,
  k: Keys,
  a: { alertId: string; channelId: string; hex: string; type: string; eventTimeMs: number; detail: string },
  repeatIntervalMs: number,
  retentionMs: number,
  now = Date.now(),
): Promise<void> {
  const m = redis.multi().set(k.sent(a.alertId), JSON.stringify({ at: new Date(now).toISOString(), detail: a.detail }), 'PX', retentionMs);
  if (repeatIntervalMs > 0) {
    const last: LastNotification = { alertId: a.alertId, eventTimeMs: a.eventTimeMs, sentAt: now };
    m.set(k.nflog(a.channelId, a.hex, a.type), JSON.stringify(last), 'PX', repeatIntervalMs + 3_600_000);
  }
  await m.exec();
}
