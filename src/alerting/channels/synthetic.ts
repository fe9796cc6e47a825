/**
 * A synthetic, clearly labelled test alert for `flightwatch alert test --channel ID`: a landing at KAEX
 * (Alexandria, Louisiana) with a short approach track, so every part of a real alert (subject, local time,
 * links, map, signature) is exercised end to end. `details.synthetic` marks it; the subject says TEST.
 */
import { EVENT_SCHEMA, type FlightEvent, type EvidencePoint } from '../../domain/event';
import type { FlightAlert } from '../channel';

const KAEX = {
  icao: 'KAEX',
  iata: 'AEX',
  name: 'Alexandria International Airport',
  country: 'US',
  tz: 'America/Chicago',
  lat: 31.3274,
  lon: -92.5498,
};

export function syntheticEvent(now: Date = new Date()): FlightEvent {
  const t0 = Math.floor(now.getTime() / 1000) * 1000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Straight-in approach from the north-east: 12 points, 30 s apart, 8,000 ft down to the runway.
  const evidence: EvidencePoint[] = Array.from({ length: 12 }, (_, i) => {
    const k = (11 - i) / 11;
    const onGround = i === 11;
    return {
      time: iso(t0 - (11 - i) * 30_000),
      lat: +(KAEX.lat + 0.42 * k).toFixed(4),
      lon: +(KAEX.lon + 0.55 * k).toFixed(4),
      altFt: onGround ? null : Math.round(8000 * k),
      onGround,
      gsKt: onGround ? 120 : Math.round(140 + 120 * k),
      trackDeg: 226,
      positionAgeS: 1,
      source: 'synthetic',
      fetchedAt: iso(t0 - (11 - i) * 30_000 + 2000),
    };
  });
  return {
    schema: EVENT_SCHEMA,
    id: `test-${t0}`,
    type: 'landing',
    time: iso(t0),
    aircraft: {
      hex: 'adfc01',
      registration: 'N0TEST',
      type: 'B738',
      callsign: 'FWTEST1',
      operator: 'flightwatch test alert',
    },
    position: { lat: KAEX.lat, lon: KAEX.lon, altFt: null, gsKt: 120, trackDeg: 226 },
    airport: { ...KAEX, distanceNm: 0.4 },
    watch: { ids: ['test'], tags: ['test'] },
    source: 'synthetic',
    evidence,
    details: {
      synthetic: true,
      note: 'This is a test alert sent by `flightwatch alert test`; no aircraft was detected.',
    },
  };
}

export function syntheticAlert(channelId: string, now: Date = new Date()): FlightAlert {
  const event = syntheticEvent(now);
  return { id: `${event.id}:${channelId}`, channelId, event };
}
