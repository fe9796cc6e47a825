/**
 * `replay --by-entry`: how many alerts each watch entry would have produced over the replayed data, so an
 * operator sees an entry's noise before enabling it. Every entry is evaluated, disabled ones too; an event
 * counts for each entry it matched. An event is an alert when the routes send it somewhere and not every entry
 * it matched is a digest entry; otherwise it would have gone into the period's digest (or nowhere).
 */
import type { AlertsConfig } from '../config/alerts-schema';
import type { FlightEvent } from '../domain/event';
import { deliveryOf, type Delivery } from '../domain/watchlist';
import { route } from '../alerting/routing';
import { isDigestOnly } from '../alerting/digest';

export interface EntryInfo {
  id: string;
  enabled: boolean;
  tags: string[];
  delivery?: Delivery;
}

export interface EntryNoise {
  id: string;
  enabled: boolean;
  delivery: Delivery;
  /** Events that matched the entry (with or without other entries). */
  events: number;
  /** Of those, delivered one by one (an alert per event and routed channel). */
  alerts: number;
  /** Of those, gathered into a digest instead. */
  digested: number;
  /** Of those, matched by no route: kept in history only. */
  unrouted: number;
  /** Distinct aircraft (hexes) among them. */
  aircraft: number;
  /** Distinct UTC days with an event (captures are often days or years apart: a rate would mislead). */
  days: number;
  byType: Record<string, number>;
}

const COL = 10;

interface Tally {
  events: number;
  alerts: number;
  digested: number;
  unrouted: number;
  hexes: Set<string>;
  days: Set<string>;
  byType: Map<string, number>;
}

export class EntrySummary {
  private readonly tallies = new Map<string, Tally>();
  private readonly digestIds: ReadonlySet<string>;

  constructor(
    private readonly entries: readonly EntryInfo[],
    private readonly alerts: Pick<AlertsConfig, 'channels' | 'routes'>,
  ) {
    this.digestIds = new Set(entries.filter((e) => deliveryOf(e) === 'digest').map((e) => e.id));
    for (const e of entries)
      this.tallies.set(e.id, {
        events: 0,
        alerts: 0,
        digested: 0,
        unrouted: 0,
        hexes: new Set(),
        days: new Set(),
        byType: new Map(),
      });
  }

  add(events: readonly FlightEvent[]): void {
    for (const e of events) {
      const routed = route(e, this.alerts).length > 0;
      const outcome = !routed ? 'unrouted' : isDigestOnly(e, this.digestIds) ? 'digested' : 'alerts';
      for (const id of e.watch.ids) {
        const t = this.tallies.get(id);
        if (!t) continue;
        t.events++;
        t[outcome]++;
        t.hexes.add(e.aircraft.hex);
        t.days.add(e.time.slice(0, 10));
        t.byType.set(e.type, (t.byType.get(e.type) ?? 0) + 1);
      }
    }
  }

  /** Entries, noisiest first (most alerts, then events), then by id. */
  rows(): EntryNoise[] {
    return this.entries
      .map((e): EntryNoise => {
        const t = this.tallies.get(e.id);
        const events = t?.events ?? 0;
        const alerts = t?.alerts ?? 0;
        return {
          id: e.id,
          enabled: e.enabled,
          delivery: deliveryOf(e),
          events,
          alerts,
          digested: t?.digested ?? 0,
          unrouted: t?.unrouted ?? 0,
          aircraft: t?.hexes.size ?? 0,
          days: t?.days.size ?? 0,
          byType: Object.fromEntries([...(t?.byType ?? [])].sort(([a], [b]) => a.localeCompare(b))),
        };
      })
      .sort((a, b) => b.alerts - a.alerts || b.events - a.events || a.id.localeCompare(b.id));
  }

  /** The table an operator reads. */
  format(): string {
    const rows = this.rows();
    const w = Math.max(5, ...rows.map((r) => r.id.length));
    const cols = ['events', 'alerts', 'digest', 'aircraft', 'days'];
    const head = `${'entry'.padEnd(w)}  enabled  delivery${cols.map((h) => h.padStart(COL)).join('')}  by type`;
    const lines = [head];
    for (const r of rows)
      lines.push(
        `${r.id.padEnd(w)}  ${(r.enabled ? 'yes' : 'no').padEnd(7)}  ${r.delivery.padEnd(8)}` +
          [r.events, r.alerts, r.digested, r.aircraft, r.days].map((n) => String(n).padStart(COL)).join('') +
          `  ${Object.entries(r.byType)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}`,
      );
    lines.push('(an event matching several entries counts for each; days: UTC days with an event)');
    return lines.join('\n') + '\n';
  }
}
