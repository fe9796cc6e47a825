/** A hostile flight event: every API-sourced string carries HTML, CR/LF header injections and very long text. */
import { EVENT_SCHEMA, type FlightEvent } from '../../src/domain/event';

export const LONG = 'A'.repeat(100_000);
export const HOSTILE = {
  callsign: '<script>alert("cs")</script>\r\nBcc: victim@evil.example\r\n',
  registration: 'N1<img src=x onerror=alert(1)>\nX-Injected: reg',
  operator: `Evil "Air" & Co\r\nX-Injected: op\r\n\r\n<h1>forged body</h1>${LONG}`,
  type: 'GLF5\u2028Subject: forged',
  airportName: '</td><iframe src="https://evil.example"></iframe>\r\nX-Injected: airport',
};

export function hostileEvent(id = 'sec-hostile-1'): FlightEvent {
  return {
    schema: EVENT_SCHEMA,
    id,
    type: 'landing',
    time: '2026-11-20T08:00:00.000Z',
    aircraft: {
      hex: 'acb2ba',
      registration: HOSTILE.registration,
      type: HOSTILE.type,
      callsign: HOSTILE.callsign,
      operator: HOSTILE.operator,
    },
    position: { lat: 41.64, lon: 123.48, altFt: null },
    airport: {
      icao: 'ZYTX',
      name: HOSTILE.airportName,
      country: 'CN',
      tz: 'Asia/Shanghai',
      lat: 41.6398,
      lon: 123.4833,
    },
    watch: { ids: ['gulfstream-v'], tags: ['removal-charter'] },
    source: 'adsblol',
    evidence: [],
    details: { inferred: false, reason: 'air-to-ground', departure: '<svg onload=alert(1)>\r\nX-Injected: details' },
  };
}
