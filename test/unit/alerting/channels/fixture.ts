/** Alerts for channel tests: a plain KAEX landing and one whose API-sourced strings try HTML/header injection. */
import type { FlightAlert, OperationalAlert } from '../../../../src/alerting/channel';
import { operationalEvent } from '../../../../src/pipeline/operational';
import type { FlightEvent } from '../../../../src/domain/event';
import { syntheticEvent } from '../../../../src/alerting/channels/synthetic';

export const FIXED_NOW = new Date('2026-11-27T19:02:00Z');

export function landingEvent(): FlightEvent {
  const ev = syntheticEvent(FIXED_NOW);
  ev.id = 'ab12cd:landing:20261127T1900';
  ev.aircraft = { hex: 'ab12cd', registration: 'N917XA', type: 'B738', callsign: 'GXA917', operator: 'GlobalX' };
  ev.airport = {
    icao: 'KAEX',
    iata: 'AEX',
    name: 'Alexandria International Airport',
    country: 'US',
    tz: 'America/Chicago',
    lat: 31.3274,
    lon: -92.5498,
    distanceNm: 0.4,
  };
  ev.watch = { ids: ['ice-air'], tags: ['removal-charter'] };
  ev.source = 'adsblol';
  ev.evidence = ev.evidence.map((p) => ({ ...p, source: 'adsblol' }));
  delete ev.details;
  return ev;
}

export function landingAlert(channelId = 'partner'): FlightAlert {
  return { id: `ab12cd:landing:20261127T1900:${channelId}`, channelId, event: landingEvent() };
}

export const EVIL = {
  registration: 'N1<b>X</b>',
  callsign: 'EVIL\r\nBcc: victim@example.org',
  operator: '<script>alert("x")</script> & <img src=x onerror=alert(1)>',
};

export function hostileAlert(channelId = 'ops'): FlightAlert {
  const a = landingAlert(channelId);
  a.event.aircraft = { ...a.event.aircraft, ...EVIL };
  a.event.airport = { ...a.event.airport!, name: 'Alexandria\r\nX-Injected: yes <i>' };
  return a;
}

/** A channel-disabled operational alert, built by the same code the notify step uses. */
export function channelDisabledAlert(channelId = 'ops'): OperationalAlert {
  const event = operationalEvent({
    kind: 'channel-disabled',
    summary: 'Channel partner is disabled (HTTP 410 Gone).',
    details: {
      channelId: 'partner',
      reason: 'HTTP 410 Gone <b>bye</b>',
      disabledAt: '2026-11-27T19:05:00.000Z',
      eventId: 'ab12cd:landing:20261127T1900',
    },
    subject: 'partner',
    at: '2026-11-27T19:05:00.000Z',
    exceptChannel: 'partner',
  });
  return { id: `oper_test_${channelId}`, channelId, event, operational: true };
}
