/**
 * A minimal real HTTP channel for pipeline tests (the production webhook channel lives in
 * src/alerting/channels): POSTs the alert as JSON with `webhook-id: <alert id>` and maps the reply onto the
 * DeliveryError taxonomy the way the real channel does: 2xx ok, 410 gone, 429 rate-limited (Retry-After),
 * 408/5xx/network transient, other 4xx permanent.
 */
import { DeliveryError, type Alert, type Channel, type DeliveryReceipt } from '../../src/alerting/channel';

export function httpPostChannel(id: string, url: string, timeoutMs = 5000): Channel {
  return {
    id,
    kind: 'webhook',
    async send(alert: Alert): Promise<DeliveryReceipt> {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': alert.id },
          body: JSON.stringify({
            alertId: alert.id,
            channelId: alert.channelId,
            eventId: alert.event.id,
            type: alert.event.type,
            operational: !!alert.operational,
            details: alert.event.details ?? null,
            event: alert.event,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer();
      } catch (e) {
        throw new DeliveryError(id, 'transient', (e as Error).message);
      }
      if (res.ok) return { detail: `HTTP ${res.status}` };
      if (res.status === 410) throw new DeliveryError(id, 'gone', 'HTTP 410 Gone');
      if (res.status === 429) {
        const ra = Number(res.headers.get('retry-after'));
        throw new DeliveryError(id, 'rate-limited', 'HTTP 429', Number.isFinite(ra) ? ra * 1000 : undefined);
      }
      if (res.status === 408 || res.status >= 500) throw new DeliveryError(id, 'transient', `HTTP ${res.status}`);
      throw new DeliveryError(id, 'permanent', `HTTP ${res.status}`);
    },
  };
}
