/**
 * The channel port: email, webhook, local outbox. A channel sends one alert and either resolves or throws a
 * DeliveryError whose kind decides what the queue does (retry with backoff, wait, give up, disable).
 */
import type { FlightEvent, OperationalEvent } from '../domain/event';
import type { ChannelKind } from '../config/channels-schema';

interface AlertBase {
  /** Stable per (event, channel): the webhook-id / Message-ID basis, identical on every retry. */
  id: string;
  channelId: string;
  /** Previous alert ids of the same thread (trip emails keep one thread). */
  threadIds?: string[];
}

export interface FlightAlert extends AlertBase {
  event: FlightEvent;
  operational?: false;
}

/** About flightwatch itself (blind watcher, disabled channel): no aircraft, no map, no links. */
export interface OperationalAlert extends AlertBase {
  event: OperationalEvent;
  operational: true;
}

/** `operational` discriminates: `if (alert.operational)` narrows to the operational shape. */
export type Alert = FlightAlert | OperationalAlert;

export type DeliveryErrorKind = 'transient' | 'rate-limited' | 'permanent' | 'gone';

export class DeliveryError extends Error {
  constructor(
    readonly channelId: string,
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`channel ${channelId}: ${kind}: ${message}`);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryReceipt {
  /** What the receiver acknowledged: HTTP status, SMTP response, file path. */
  detail: string;
}

export interface Channel {
  readonly id: string;
  readonly kind: ChannelKind;
  send(alert: Alert): Promise<DeliveryReceipt>;
  close?(): Promise<void>;
}
