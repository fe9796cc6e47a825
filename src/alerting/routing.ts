/**
 * Event → channels, pure (Alertmanager-like). Routes are tried in order; a route matches when every key it
 * names intersects the event (event type, watch ids, watch tags, destination id); the first match wins unless
 * it says `continue`. A channel reached by several routes is delivered once, with the first route's
 * repeatInterval. With no routes every channel gets every event; with no channels the implicit outbox does.
 */
import type { FlightEvent } from '../domain/event';
import { DEFAULT_OUTBOX_CHANNEL, type AlertsConfig, type RouteMatch } from '../config/alerts-schema';

export interface RouteTarget {
  channelId: string;
  /** ms; 0 = every distinct event is delivered. */
  repeatIntervalMs: number;
  /** Index in alerts.routes, or -1 for the implicit "no routes" route. */
  route: number;
}

const intersects = (want: readonly string[] | undefined, have: readonly string[]) =>
  !want || want.some((w) => have.includes(w));

export function routeMatches(m: RouteMatch, e: FlightEvent): boolean {
  return (
    intersects(m.events, [e.type]) &&
    intersects(m.watch, e.watch.ids) &&
    intersects(m.tags, e.watch.tags) &&
    intersects(m.destinations, e.destination ? [e.destination.id] : [])
  );
}

/** Channel ids the config defines, or the implicit outbox when it defines none. */
export function configuredChannelIds(alerts: Pick<AlertsConfig, 'channels'>): string[] {
  return alerts.channels.length ? alerts.channels.map((c) => c.id) : [DEFAULT_OUTBOX_CHANNEL];
}

export function route(e: FlightEvent, alerts: Pick<AlertsConfig, 'channels' | 'routes'>): RouteTarget[] {
  if (!alerts.channels.length) return [{ channelId: DEFAULT_OUTBOX_CHANNEL, repeatIntervalMs: 0, route: -1 }];
  if (!alerts.routes.length) return alerts.channels.map((c) => ({ channelId: c.id, repeatIntervalMs: 0, route: -1 }));
  const out = new Map<string, RouteTarget>();
  for (const [i, r] of alerts.routes.entries()) {
    if (!routeMatches(r.match, e)) continue;
    for (const channelId of r.channels)
      if (!out.has(channelId)) out.set(channelId, { channelId, repeatIntervalMs: r.repeatInterval, route: i });
    if (!r.continue) break;
  }
  return [...out.values()];
}
