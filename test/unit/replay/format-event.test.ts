/** The human-readable replay line (formatEventLine): one line per event, the facts a person scans for. */
import { formatEventLine } from '../../../src/replay/format-event';
import { EVENT_SCHEMA, type FlightEvent } from '../../../src/domain/event';

const base = {
  schema: EVENT_SCHEMA,
  id: 'e1',
  time: '2025-01-31T13:20:00.000Z',
  aircraft: { hex: 'a1b2c3', registration: 'N123XX', type: 'GLF5' },
  position: { lat: 38.1, lon: -101.2, altFt: 41000 },
  watch: { ids: ['glf5', 'charter'], tags: [] },
  source: 'adsblol',
  evidence: [],
};

describe('replay event line', () => {
  it('names time, type, aircraft, where and the watch ids', () => {
    const ev: FlightEvent = { ...base, type: 'seen', details: { firstSighting: true, phase: 'airborne' } };
    expect(formatEventLine(ev)).toBe(
      '2025-01-31T13:20:00Z  seen         a1b2c3 N123XX GLF5  at 38.1000,-101.2000 41000 ft  [glf5,charter]',
    );
  });

  it('shows the code of a squawk', () => {
    const ev: FlightEvent = { ...base, type: 'squawk', details: { code: '7700', meaning: 'emergency', heldS: 60 } };
    expect(formatEventLine(ev)).toContain('  squawk 7700  ');
  });

  it('marks an inferred landing and names its airport', () => {
    const ev: FlightEvent = {
      ...base,
      type: 'landing',
      airport: {
        icao: 'PANC',
        iata: 'ANC',
        name: 'Anchorage',
        country: 'US',
        lat: 61.17,
        lon: -149.99,
        distanceNm: 8.6,
      },
      details: { inferred: true, reason: 'signal-lost-low-slow', departure: 'KAEX' },
    };
    expect(formatEventLine(ev)).toBe(
      '2025-01-31T13:20:00Z  landing      a1b2c3 N123XX GLF5  @ PANC/ANC Anchorage (US) 8.6 nm  (inferred)  [glf5,charter]',
    );
  });
});
