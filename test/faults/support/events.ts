/** Events, alert configs and expectations for the fault scenarios. */
import { EVENT_SCHEMA, type FlightEvent } from '../../../src/domain/event';
import { alertId } from '../../../src/alerting/alert-id';

/** `n` distinct landing events with deterministic ids (what the detector would emit for n aircraft). */
export function makeEvents(n: number, tag: string): FlightEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = (0xa00000 + i).toString(16);
    const time = new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + i * 1000).toISOString();
    return {
      schema: EVENT_SCHEMA,
      id: `${tag}-${hex}-landing`,
      type: 'landing',
      time,
      aircraft: { hex, registration: `N${i}FW`, type: 'GLF5', callsign: `WAL${i}` },
      position: { lat: 41.64, lon: 123.48, altFt: null },
      airport: {
        icao: 'ZYTX',
        name: 'Shenyang Taoxian International Airport',
        country: 'CN',
        tz: 'Asia/Shanghai',
        lat: 41.6398,
        lon: 123.4833,
      },
      watch: { ids: ['gulfstream-v'], tags: ['removal-charter'] },
      source: 'faults',
      evidence: [],
    };
  });
}

/** alert id → "channel:event id" for every (event × channel). */
export function expectedAlerts(events: readonly FlightEvent[], channels: readonly string[]): Map<string, string> {
  return new Map(events.flatMap((e) => channels.map((c) => [alertId(e.id, c), `${c}:${e.id}`] as const)));
}

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let seq = 0;
export const uniquePrefix = (name: string) => `fwf-${name}-${process.pid}-${++seq}`;
