/** Events and configs for the delivery tests. */
import { EVENT_SCHEMA, type EventType, type FlightEvent } from '../../../../src/domain/event';
import { alertsSchema, type AlertsConfig } from '../../../../src/config/alerts-schema';

let seq = 0;

export function makeEvent(
  o: Partial<{
    id: string;
    type: EventType;
    hex: string;
    time: string;
    watch: string[];
    tags: string[];
    destination: string;
  }> = {},
): FlightEvent {
  const n = ++seq;
  const time = o.time ?? new Date(Date.UTC(2026, 10, 20, 8, 0, n % 60)).toISOString();
  const hex = o.hex ?? 'a1b2c3';
  const type = o.type ?? 'landing';
  return {
    schema: EVENT_SCHEMA,
    id: o.id ?? `${hex}-${type}-${time}-${n}`,
    type,
    time,
    aircraft: { hex, registration: 'N917XA', type: 'GLF5', callsign: 'WAL917' },
    position: { lat: 41.64, lon: 123.48, altFt: null },
    airport: {
      icao: 'ZYTX',
      name: 'Shenyang Taoxian International Airport',
      country: 'CN',
      tz: 'Asia/Shanghai',
      lat: 41.6398,
      lon: 123.4833,
    },
    ...(o.destination ? { destination: { id: o.destination } } : {}),
    watch: { ids: o.watch ?? ['gulfstream-v'], tags: o.tags ?? ['removal-charter'] },
    source: 'test',
    evidence: [],
  };
}

/** Webhook channel entries only need to validate; tests give the pipeline their own Channel objects. */
export function webhookEntry(id: string) {
  return { id, kind: 'webhook' as const, url: `http://127.0.0.1/${id}`, secretEnv: 'UNUSED_SECRET' };
}

export function makeAlerts(input: Record<string, unknown>): AlertsConfig {
  return alertsSchema.parse({ retry: { horizon: '20s', backoffBase: '50ms', backoffMax: '400ms' }, ...input });
}

let prefixSeq = 0;
export const uniquePrefix = (name: string) => `fwt-${name}-${process.pid}-${++prefixSeq}`;
