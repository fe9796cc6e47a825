/**
 * The alert id: one per (event, channel), deterministic, so a re-detected event, a replay or a retried job
 * maps to the same BullMQ jobId (deduplicated by the queue) and the same webhook-id / Message-ID downstream.
 * Shape `alrt_<32 hex>`: no ":" and never all digits (BullMQ forbids both in custom job ids).
 */
import { createHash } from 'node:crypto';

export function alertId(eventId: string, channelId: string): string {
  return `alrt_${createHash('sha256').update(`${eventId}\n${channelId}`).digest('hex').slice(0, 32)}`;
}

/** Operational alerts (a channel was disabled…) are keyed by what happened, so a repeat is deduplicated too. */
export function operationalAlertId(kind: string, subject: string, at: string, channelId: string): string {
  return `oper_${createHash('sha256').update(`${kind}\n${subject}\n${at}\n${channelId}`).digest('hex').slice(0, 32)}`;
}
