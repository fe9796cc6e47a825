/** The event document schemas (src/domain): details typed by event type, and the helpers that read them. */
import {
  EVENT_SCHEMA,
  FLIGHT_EVENT_TYPES,
  flightEventSchema,
  isEstimated,
  isInferred,
  isTestAlert,
  tripIdOf,
  type EventType,
  type FlightEvent,
  type FlightEventDetails,
} from '../../../src/domain/event';
import { syntheticEvent } from '../../../src/alerting/channels/synthetic';

const KAEX = { icao: 'KAEX', name: 'Alexandria International Airport', country: 'US', lat: 31.3274, lon: -92.5498 };

/** Valid details of every type, as the producers build them. */
const DETAILS: FlightEventDetails = {
  seen: { firstSighting: true, phase: 'ground' },
  takeoff: { inferred: false, reason: 'ground-to-air', lastGroundAt: '2025-01-31T12:09:30.000Z', tripId: 't1' },
  landing: { inferred: true, reason: 'signal-lost-low-slow', departure: null, estimated: true, observedAt: 'x' },
  destination: { via: 'airport', inferred: false, landingId: 'l1' },
  squawk: { code: '7700', meaning: 'emergency', heldS: 60 },
  trip: {
    tripId: 't1',
    status: 'closed',
    legs: [{ from: KAEX, to: null, departedAt: '2025-01-31T12:10:00.000Z', arrivedAt: null, inferred: true }],
    route: 'KAEX → ?',
    origin: 'US',
    countries: [],
    destinations: [],
    closeReason: 'ground-stop-limit',
  },
  en_route: {
    tripId: 't1',
    confidence: 0.9,
    eta: '2025-01-31T18:00:00.000Z',
    etaMinutes: 40,
    distanceNm: 210,
    departure: 'KAEX',
    alternatives: [{ icao: 'MGGT', p: 0.05 }],
    basis: 'track',
  },
  diversion: {
    predicted: [{ destination: 'gt', icao: 'MGGT', confidence: 0.9, eta: 'x', announcedAt: 'y' }],
    landedAt: 'MHTG',
    landingId: 'l2',
    departure: 'KAEX',
  },
  touch_and_go: { groundS: 20, groundPositions: 3, minGsKt: 95, climbFpm: 900, departure: 'KAEX' },
  go_around: {
    lowestAltFt: 389,
    lowestHeightFt: 300,
    distanceNm: 1.2,
    descentFt: 1600,
    climbFt: 450,
    approachFrom: '2025-01-31T12:06:00.000Z',
    departure: null,
  },
};

function eventOf(type: EventType, details: unknown): unknown {
  return {
    schema: EVENT_SCHEMA,
    id: 'e1',
    type,
    time: '2025-01-31T12:10:00.000Z',
    aircraft: { hex: 'a1b2c3' },
    watch: { ids: ['w'], tags: [] },
    source: 'sim',
    evidence: [],
    details,
  };
}

describe('flight event schema', () => {
  it('accepts each type with its own details and rejects it with another type’s', () => {
    for (const type of FLIGHT_EVENT_TYPES) {
      expect({ type, ok: flightEventSchema.safeParse(eventOf(type, DETAILS[type])).success }).toEqual({
        type,
        ok: true,
      });
      for (const other of FLIGHT_EVENT_TYPES)
        if (other !== type)
          expect({ type, other, ok: flightEventSchema.safeParse(eventOf(type, DETAILS[other])).success }).toEqual({
            type,
            other,
            ok: false,
          });
    }
  });

  it('rejects details with a wrong value or a missing required fact', () => {
    const badReason = { ...DETAILS.takeoff, reason: 'teleported' };
    expect(flightEventSchema.safeParse(eventOf('takeoff', badReason)).success).toBe(false);
    const { landingId: _, ...noLandingId } = DETAILS.destination;
    expect(flightEventSchema.safeParse(eventOf('destination', noLandingId)).success).toBe(false);
    expect(flightEventSchema.safeParse(eventOf('squawk', { ...DETAILS.squawk, heldS: '60' })).success).toBe(false);
  });

  it('accepts the test alert (a made-up landing marked synthetic) and no landing without its facts otherwise', () => {
    expect(flightEventSchema.safeParse(syntheticEvent(new Date('2026-11-27T19:02:00Z'))).success).toBe(true);
    expect(flightEventSchema.safeParse(eventOf('landing', { note: 'no synthetic flag' })).success).toBe(false);
  });

  it('keeps details optional, as v1 always did', () => {
    const { details: _, ...noDetails } = eventOf('seen', {}) as Record<string, unknown>;
    expect(flightEventSchema.safeParse(noDetails).success).toBe(true);
  });
});

describe('details helpers', () => {
  const ev = (type: EventType) => eventOf(type, DETAILS[type]) as FlightEvent;

  it('read inferred, estimated, test alert and trip id wherever the type has them', () => {
    expect(FLIGHT_EVENT_TYPES.filter((t) => isInferred(ev(t)))).toEqual(['landing']);
    expect(FLIGHT_EVENT_TYPES.filter((t) => isEstimated(ev(t)))).toEqual(['landing']);
    expect(FLIGHT_EVENT_TYPES.filter((t) => tripIdOf(ev(t)) === 't1')).toEqual(['takeoff', 'trip', 'en_route']);
    expect(FLIGHT_EVENT_TYPES.some((t) => isTestAlert(ev(t)))).toBe(false);
    expect(isTestAlert(syntheticEvent())).toBe(true);
  });

  it('say no when details are missing', () => {
    const bare = { ...ev('takeoff'), details: undefined };
    expect([isInferred(bare), isEstimated(bare), isTestAlert(bare), tripIdOf(bare)]).toEqual([
      false,
      false,
      false,
      undefined,
    ]);
  });
});
