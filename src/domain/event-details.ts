/**
 * `details` of each flight event type: the facts the rules (src/detect) and route prediction (src/trips)
 * attach, one zod schema per type. docs/events.md explains them; the types are inferred from the schemas.
 */
import { z } from 'zod';
import { airportRefSchema, isoTime } from './event-fields';

const tripId = z.string().describe('the trip this event belongs to (when trips are enabled)');
const inferred = z.boolean().describe('the transition was not observed but concluded (a gap, a lost signal)');
/** A time computed rather than the time of a position (docs/events.md, "estimated"). */
const estimated = z.literal(true).describe('`time` is an estimate, not the time of a position');
const observedAt = isoTime.describe('time of the position the estimate starts from');
const gapS = z.number().describe('seconds unheard before the transition');
const departure = z.string().nullable().describe('ICAO of the departure airport; null when unknown');

/** How an airport was inferred (docs/detection.md): the evidence a reader checks before repeating the claim. */
export const airportInferenceSchema = z
  .object({
    confidence: z.number().describe('share of the model likelihood on the named airport (0–1)'),
    runnerUp: z
      .object({ icao: z.string(), confidence: z.number(), distanceNm: z.number() })
      .optional()
      .describe('the next most likely airport'),
    candidates: z.number().describe('airports the model weighed'),
    aircraftClass: z.enum(['airliner', 'jet', 'light', 'helicopter', 'unknown']),
    basis: z
      .enum(['airport-position', 'runways'])
      .describe(
        'runways: the runway thresholds of the named airport were weighed; airport-position: none known, distances to the airport reference point',
      ),
    runway: z.string().optional().describe('the runway end the track lined up with (approach or climb-out)'),
  })
  .meta({ id: 'AirportInference' });

/** Identity continuity (docs/detection.md): this hex continues the track of another one; never a silent merge. */
export const identityLinkSchema = z
  .object({
    previousHex: z.string().describe('the hex whose track this one continues'),
    reason: z.enum(['same-registration', 'same-callsign']),
    matched: z.string().describe('the registration or callsign both hexes carried'),
    gapSeconds: z.number().describe('from the last position of previousHex to the first of this hex'),
    distanceNm: z.number().describe('between those two positions'),
    altDiffFt: z.number().optional().describe('altitude change across the gap, when both altitudes are known'),
    at: isoTime.describe('first position of this hex: when the link was made'),
  })
  .meta({ id: 'IdentityLink' });
const linked = identityLinkSchema.optional().describe('this hex continues the track of another (identity link)');

export const seenDetailsSchema = z
  .object({
    firstSighting: z.boolean(),
    phase: z.enum(['ground', 'airborne', 'unknown']),
    quietMinutes: z.number().optional().describe('minutes unheard, when seen again after the quiet period'),
    stale: z.literal(true).optional().describe('the sighting was a stale position (ADS-C or old)'),
    linked,
  })
  .meta({ id: 'SeenDetails' });

export const TAKEOFF_REASONS = [
  'ground-to-air',
  'ground-to-air-after-gap',
  'first-seen-climbing',
  'reacquired-climbing',
] as const;
const airportInference = airportInferenceSchema.optional().describe('inferred airport: confidence and runner-up');
const touchAndGo = z
  .literal(true)
  .optional()
  .describe('part of a touch-and-go: back in the air within 2 minutes of touching down, without stopping');

export const takeoffDetailsSchema = z
  .object({
    inferred,
    reason: z.enum(TAKEOFF_REASONS),
    gapS: gapS.optional(),
    lastGroundAt: isoTime.optional().describe('time of the last ground position'),
    altFt: z.number().optional().describe('altitude when first seen climbing'),
    airportInference,
    touchAndGo,
    estimated: estimated.optional(),
    observedAt: observedAt.optional(),
    tripId: tripId.optional(),
    linked,
  })
  .meta({ id: 'TakeoffDetails' });

export const LANDING_REASONS = [
  'air-to-ground',
  'air-to-ground-after-gap',
  'signal-lost-low-slow',
  'closed-by-next-takeoff',
] as const;

export const landingDetailsSchema = z
  .object({
    inferred,
    reason: z.enum(LANDING_REASONS),
    signalLostAt: isoTime.optional().describe('signal-lost-low-slow: time of the last position'),
    lastAltFt: z.number().nullable().optional().describe('signal-lost-low-slow: altitude of the last position'),
    lastDistanceNm: z.number().optional().describe('signal-lost-low-slow: last position to the airport'),
    airportInference,
    touchAndGo,
    departure,
    departedAt: isoTime.optional(),
    flightMinutes: z.number().optional(),
    gapS: gapS.optional(),
    lastAirborneAt: isoTime.optional().describe('time of the last airborne position'),
    estimated: estimated.optional(),
    observedAt: observedAt.optional(),
    tripId: tripId.optional(),
    linked,
  })
  .meta({ id: 'LandingDetails' });

/**
 * `flightwatch alert test`: a made-up landing that exercises a channel end to end. No aircraft was detected,
 * so the landing facts may be missing; `synthetic: true` says so.
 */
export const testAlertDetailsSchema = landingDetailsSchema
  .partial()
  .extend({ synthetic: z.literal(true), note: z.string() })
  .meta({ id: 'TestAlertDetails', description: 'a test alert (flightwatch alert test): no aircraft was detected' });

export const destinationDetailsSchema = z
  .object({
    via: z.enum(['airport', 'radius', 'country']),
    inferred: inferred.describe('copied from the landing'),
    estimated: estimated.optional(),
    landingId: z.string().describe("the landing event's id"),
    arrival: z.string().optional().describe('ICAO of the actual arrival airport when it differs (via radius)'),
    tripId: tripId.optional(),
    linked,
  })
  .meta({ id: 'DestinationDetails' });

export const squawkDetailsSchema = z
  .object({
    code: z.string(),
    meaning: z.string().describe('unlawful interference, radio failure, emergency or "watched squawk"'),
    heldS: z.number().describe('how long it had been held when the event fired'),
    tripId: tripId.optional(),
    linked,
  })
  .meta({ id: 'SquawkDetails' });

export const tripLegSchema = z.object({
  from: airportRefSchema.nullable(),
  to: airportRefSchema.nullable(),
  departedAt: isoTime.nullable(),
  arrivedAt: isoTime.nullable(),
  inferred: z.literal(true).optional(),
});

export const TRIP_CLOSE_REASONS = ['returned', 'ground-stop-limit', 'new-trip'] as const;

export const tripDetailsSchema = z
  .object({
    tripId,
    status: z.enum(['open', 'closed']),
    legs: z.array(tripLegSchema),
    route: z.string().describe('ICAO codes of the airports in order, "?" where unknown, e.g. "KAEX → MGGT"'),
    origin: z.string().nullable().describe('country the trip left from (ISO 3166-1 alpha-2)'),
    countries: z.array(z.string()).describe('countries landed in other than the origin, in order'),
    destinations: z.array(z.string()).describe('ids of the configured destinations the trip reached'),
    closeReason: z.enum(TRIP_CLOSE_REASONS).optional(),
    linked,
  })
  .meta({ id: 'TripDetails' });

export const enRouteDetailsSchema = z
  .object({
    tripId: tripId.optional(),
    confidence: z.number().describe('probability of the destination, 0–1'),
    eta: isoTime,
    etaMinutes: z.number(),
    distanceNm: z.number().describe('to the predicted airport'),
    departure,
    alternatives: z.array(z.object({ icao: z.string(), p: z.number() })),
    basis: z.string().describe('what the prediction used: track, callsign-route, history, joined by "+"'),
    callsignRoute: z
      .object({ route: z.string(), next: z.string(), offRouteNm: z.number() })
      .optional()
      .describe('the published route of the callsign, when it agrees with the track'),
    history: z
      .array(z.object({ icao: z.string(), weight: z.number(), legs: z.number() }))
      .optional()
      .describe("the airframe's past landings that shaped the prediction"),
    linked,
  })
  .meta({ id: 'EnRouteDetails' });

export const diversionDetailsSchema = z
  .object({
    tripId: tripId.optional(),
    predicted: z.array(
      z.object({
        destination: z.string(),
        icao: z.string(),
        confidence: z.number(),
        eta: isoTime,
        announcedAt: isoTime,
      }),
    ),
    landedAt: z.string().nullable().describe('ICAO of the airport it landed at; null when unknown'),
    landingId: z.string(),
    departure,
    inferred: z.literal(true).optional(),
    linked,
  })
  .meta({ id: 'DiversionDetails' });

export const touchAndGoDetailsSchema = z
  .object({
    groundS: z.number().describe('seconds from the first ground position to the first airborne one after it'),
    groundPositions: z.number().describe('ground positions received during the contact'),
    minGsKt: z.number().describe('slowest ground speed on the ground (kt): rolling, never stopped'),
    climbFpm: z.number().optional().describe('climb rate after lifting off again (ft/min)'),
    lastAirborneAt: isoTime.optional().describe('time of the last airborne position before touching down'),
    departure: departure.describe('ICAO of the departure of the leg flown (it goes on): null when unknown'),
    linked,
  })
  .meta({ id: 'TouchAndGoDetails' });

export const goAroundDetailsSchema = z
  .object({
    lowestAltFt: z.number().describe('altitude of the lowest position of the approach'),
    lowestHeightFt: z.number().describe('height of that position above the airport elevation'),
    distanceNm: z.number().describe('lowest position to the airport reference point'),
    descentFt: z.number().describe('altitude lost on the approach down to the lowest position'),
    climbFt: z.number().describe('altitude regained above the lowest position when the event fired'),
    approachFrom: isoTime.describe('time of the first position of the approach'),
    departure: departure.describe('ICAO of the departure of the leg flown (it goes on): null when unknown'),
    linked,
  })
  .meta({ id: 'GoAroundDetails' });

/** `details` by flight event type. */
export const FLIGHT_EVENT_DETAILS = {
  seen: seenDetailsSchema,
  takeoff: takeoffDetailsSchema,
  landing: z.union([landingDetailsSchema, testAlertDetailsSchema]),
  destination: destinationDetailsSchema,
  squawk: squawkDetailsSchema,
  trip: tripDetailsSchema,
  en_route: enRouteDetailsSchema,
  diversion: diversionDetailsSchema,
  touch_and_go: touchAndGoDetailsSchema,
  go_around: goAroundDetailsSchema,
};

export type SeenDetails = z.infer<typeof seenDetailsSchema>;
export type TakeoffDetails = z.infer<typeof takeoffDetailsSchema>;
export type LandingDetails = z.infer<typeof landingDetailsSchema>;
export type TestAlertDetails = z.infer<typeof testAlertDetailsSchema>;
export type DestinationDetails = z.infer<typeof destinationDetailsSchema>;
export type SquawkDetails = z.infer<typeof squawkDetailsSchema>;
export type TripDetails = z.infer<typeof tripDetailsSchema>;
export type TripLeg = z.infer<typeof tripLegSchema>;
export type EnRouteDetails = z.infer<typeof enRouteDetailsSchema>;
export type DiversionDetails = z.infer<typeof diversionDetailsSchema>;
export type TouchAndGoDetails = z.infer<typeof touchAndGoDetailsSchema>;
export type GoAroundDetails = z.infer<typeof goAroundDetailsSchema>;
export type IdentityLink = z.infer<typeof identityLinkSchema>;
