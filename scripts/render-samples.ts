/** Real-ish alerts for scripts/render-messages.ts: a removal-charter trip KAEX → MGGT → KAEX and friends. */
import type { FlightAlert } from '../src/alerting/channel';
import { syntheticEvent } from '../src/alerting/channels/synthetic';
import type { AirportRef, EvidencePoint, FlightEvent } from '../src/domain/event';

const KAEX: AirportRef = {
  icao: 'KAEX',
  iata: 'AEX',
  name: 'Alexandria International Airport',
  country: 'US',
  tz: 'America/Chicago',
  lat: 31.3274,
  lon: -92.5498,
};
const MGGT: AirportRef = {
  icao: 'MGGT',
  iata: 'GUA',
  name: 'La Aurora International Airport',
  country: 'GT',
  tz: 'America/Guatemala',
  lat: 14.5833,
  lon: -90.5275,
};
const ZYTX: AirportRef = {
  icao: 'ZYTX',
  iata: 'SHE',
  name: 'Shenyang Taoxian International Airport',
  country: 'CN',
  tz: 'Asia/Shanghai',
  lat: 41.6398,
  lon: 123.4833,
};

/** A straight track of n points ending at `to`, descending from altFt. */
function approach(
  to: AirportRef,
  fromLat: number,
  fromLon: number,
  endIso: string,
  n = 20,
  altFt = 12000,
): EvidencePoint[] {
  const end = Date.parse(endIso);
  return Array.from({ length: n }, (_, i) => {
    const k = (n - 1 - i) / (n - 1);
    const t = new Date(end - (n - 1 - i) * 60_000).toISOString();
    return {
      time: t,
      lat: to.lat + (fromLat - to.lat) * k,
      lon: to.lon + (fromLon - to.lon) * k,
      altFt: i === n - 1 ? null : Math.round(altFt * k),
      onGround: i === n - 1,
      gsKt: Math.round(140 + 300 * k),
      trackDeg: 200,
      positionAgeS: 2,
      source: 'adsblol',
      fetchedAt: t,
    };
  });
}

function base(): FlightEvent {
  const ev = syntheticEvent(new Date('2026-11-27T17:01:00Z'));
  delete ev.details;
  ev.aircraft = {
    hex: 'a4b7c2',
    registration: 'N917XA',
    type: 'B738',
    callsign: 'GXA917',
    operator: 'GlobalX Airlines',
  };
  ev.watch = { ids: ['ice-air'], tags: ['removal-charter'] };
  ev.source = 'adsblol';
  return ev;
}

/** The base event as another type, id and time. */
function eventAs(type: FlightEvent['type'], id: string, time: string): FlightEvent {
  return { ...base(), type, id, time } as FlightEvent;
}

export function sampleAlerts(): Record<string, FlightAlert> {
  const landing = base();
  landing.type = 'landing';
  landing.id = 'a4b7c2:landing:20261127T1701';
  landing.time = '2026-11-27T17:01:00Z';
  landing.airport = { ...MGGT, distanceNm: 0.6 };
  landing.evidence = approach(MGGT, 15.6, -89.9, landing.time);
  landing.position = { lat: MGGT.lat, lon: MGGT.lon, altFt: null, gsKt: 130, trackDeg: 200 };
  landing.details = {
    inferred: false,
    reason: 'air-to-ground',
    departure: 'KAEX',
    departedAt: '2026-11-27T14:02:00Z',
    flightMinutes: 179,
  };

  const trip = eventAs('trip', 'a4b7c2:trip:20261127T2140', '2026-11-27T21:40:00Z');
  trip.airport = { ...KAEX, distanceNm: 0.3 };
  trip.evidence = approach(KAEX, 29.9, -91.9, trip.time);
  trip.position = { lat: KAEX.lat, lon: KAEX.lon, altFt: null, gsKt: 120, trackDeg: 320 };
  trip.details = {
    tripId: 'a4b7c2:trip:20261127',
    status: 'closed',
    closeReason: 'returned',
    legs: [
      { from: KAEX, to: MGGT, departedAt: '2026-11-27T14:02:00Z', arrivedAt: '2026-11-27T17:01:00Z' },
      { from: MGGT, to: KAEX, departedAt: '2026-11-27T18:35:00Z', arrivedAt: '2026-11-27T21:40:00Z', inferred: true },
    ],
    route: 'KAEX → MGGT → KAEX',
    origin: 'US',
    countries: ['GT'],
    destinations: ['central-america'],
  };

  const enRoute = eventAs('en_route', 'a1b2c3:en_route:cn:20260114T0317', '2026-01-14T03:17:00Z');
  enRoute.aircraft = { hex: 'a1b2c3', registration: 'N123AB', type: 'GLF5', callsign: 'N123AB' };
  enRoute.airport = { ...ZYTX, distanceNm: 76.2 };
  enRoute.destination = { id: 'cn' };
  enRoute.evidence = approach(ZYTX, 43.2, 121.0, enRoute.time, 6, 30000).map((p) => ({
    ...p,
    onGround: false,
    altFt: 18000,
  }));
  enRoute.position = { lat: 42.5, lon: 122.3, altFt: 18000, gsKt: 380, trackDeg: 135 };
  enRoute.details = {
    confidence: 0.82,
    eta: '2026-01-14T03:55:00Z',
    etaMinutes: 38,
    distanceNm: 76,
    departure: 'PANC',
    alternatives: [{ icao: 'ZYYJ', p: 0.06 }],
    basis: 'track+history',
  };

  const hostile = structuredClone(landing);
  hostile.aircraft = {
    ...hostile.aircraft,
    registration: 'N1<b>X</b>',
    callsign: '@everyone <!channel>',
    operator: '<script>alert("x")</script> & [click](https://evil.example)',
  };
  hostile.airport = { ...MGGT, name: 'La Aurora\r\nX-Injected: yes <i>' };

  // A takeoff under a rotated privacy address (PIA): the callsign ties it to the followed hex.
  const linked = eventAs('takeoff', 'a9f00d:takeoff:20261128T1402', '2026-11-28T14:02:00Z');
  linked.aircraft = { hex: 'a9f00d', type: 'B738', callsign: 'GXA917', operator: 'GlobalX Airlines' };
  linked.airport = { ...KAEX, distanceNm: 0.4 };
  linked.evidence = approach(KAEX, 31.0, -92.5, linked.time, 6, 4000)
    .reverse()
    .map((p, i) => ({ ...p, onGround: i === 0, altFt: i === 0 ? null : i * 800 }));
  linked.position = { lat: 31.34, lon: -92.55, altFt: 4000, gsKt: 210, trackDeg: 200 };
  linked.details = {
    inferred: false,
    reason: 'ground-to-air',
    lastGroundAt: '2026-11-28T13:51:00Z',
    linked: {
      previousHex: 'a4b7c2',
      reason: 'same-callsign',
      matched: 'GXA917',
      gapSeconds: 2520,
      distanceNm: 0.3,
      at: '2026-11-28T13:44:00Z',
    },
  };

  const alert = (event: FlightEvent): FlightAlert => ({ id: `${event.id}:render`, channelId: 'render', event });
  return {
    landing: alert(landing),
    trip: alert(trip),
    enRoute: alert(enRoute),
    linked: alert(linked),
    hostile: alert(hostile),
  };
}
