/**
 * Routes (issue "Routes", docs/trips.md): trip stitching, en-route destination prediction, diversions.
 * Every key has a default so `routes:` may be omitted.
 */
import { z } from 'zod';

export const tripsSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('stitch trips and predict destinations (false: only the per-leg detection events)'),
    stitch: z
      .strictObject({
        maxGroundStopMinutes: z
          .number()
          .positive()
          .max(7 * 1440)
          .default(720)
          .describe('a ground stop shorter than this continues the trip (fuel stop, crew rest); longer closes it'),
        announceDomestic: z
          .boolean()
          .default(false)
          .describe(
            'also emit `trip` for single-leg trips that never left the departure country (they duplicate takeoff/landing)',
          ),
        mapPointsPerLeg: z
          .number()
          .int()
          .min(2)
          .max(200)
          .default(24)
          .describe('positions kept per leg for the trip map (evidence of `trip` events)'),
      })
      .prefault({}),
    enRoute: z
      .strictObject({
        threshold: z
          .number()
          .gt(0)
          .max(1)
          .default(0.8)
          .describe('probability at which a configured destination is announced as likely (`en_route`)'),
        confirmEvaluations: z
          .number()
          .int()
          .min(1)
          .max(20)
          .default(2)
          .describe('…held for this many consecutive evaluations'),
        evaluateEverySeconds: z
          .number()
          .min(5)
          .max(1800)
          .default(60)
          .describe('how often (track time) an airborne aircraft is scored'),
        minFlightMinutes: z
          .number()
          .min(0)
          .default(5)
          .describe('no prediction in the first minutes after takeoff (track not settled)'),
        maxRangeNm: z
          .number()
          .positive()
          .max(10_000)
          .default(4500)
          .describe('candidate airports farther than this are not considered'),
        candidateKinds: z
          .array(z.string().min(1))
          .min(1)
          .default(['large_airport', 'medium_airport'])
          .describe('airport kinds scored as candidates besides the configured destination airports'),
        kindWeights: z
          .record(z.string(), z.number().min(0))
          .default({ large_airport: 1, medium_airport: 0.35 })
          .describe('prior weight of a candidate by kind (missing kinds: 0.2)'),
        destinationWeight: z
          .number()
          .min(0)
          .default(2)
          .describe('prior weight of a configured destination airport (what the watchlist expects)'),
        elsewhereWeight: z
          .number()
          .min(0)
          .default(0.1)
          .describe('weight of "an airport not among the candidates" (small fields, beyond range)'),
        corridorMinNm: z.number().positive().default(15).describe('cross-track tolerance (1 σ) near an airport, nm'),
        corridorMaxNm: z.number().positive().default(400).describe('cross-track tolerance (1 σ) at most, nm'),
        distanceScaleNm: z
          .number()
          .positive()
          .default(400)
          .describe('distance decay of the prior, 1 / (1 + (d / this)²): far corridors hold many airports'),
        maxDetour: z
          .number()
          .min(0)
          .max(2)
          .default(0.15)
          .describe(
            'route fit: departure → here → airport may be this much longer than departure → airport (fraction) before the airport loses weight',
          ),
        corridorFraction: z
          .number()
          .positive()
          .max(1)
          .default(0.2)
          .describe(
            'cross-track tolerance (1 σ) as a fraction of the remaining distance (real routes are not great circles: an airway route 8 % longer than the great circle flies legs 20° off it)',
          ),
        history: z
          .strictObject({
            enabled: z
              .boolean()
              .default(true)
              .describe('use where this airframe landed before as a prior for its next leg (docs/trips.md)'),
            pseudoLegs: z
              .number()
              .positive()
              .max(1000)
              .default(12)
              .describe(
                'how many past legs the generic prior (every airport within range, most of it off the course) counts as: more = history needs more legs to count (docs/trips.md, figures)',
              ),
            otherDepartureWeight: z
              .number()
              .min(0)
              .max(1)
              .default(0.25)
              .describe('a past leg from another departure airport counts this much (1 for the same departure)'),
            maxLegs: z
              .number()
              .int()
              .min(1)
              .max(200)
              .default(40)
              .describe('landings remembered per airframe (oldest dropped)'),
            days: z
              .number()
              .positive()
              .max(3650)
              .default(90)
              .describe(
                'landings older than this are forgotten (the track itself is dropped after detect.trackTtlDays unheard)',
              ),
            maxAirports: z
              .number()
              .int()
              .min(1)
              .max(32)
              .default(8)
              .describe('airports with a history prior per leg, strongest first'),
            fleet: z
              .strictObject({
                enabled: z
                  .boolean()
                  .default(true)
                  .describe(
                    "use where the operator's and the departure hub's archived legs went as a prior for an airframe with little history (docs/trips.md)",
                  ),
                days: z
                  .number()
                  .positive()
                  .max(3650)
                  .default(90)
                  .describe('archived legs that arrived within this many days count'),
                equivalentLegs: z
                  .number()
                  .min(0)
                  .max(100)
                  .default(4)
                  .describe(
                    "how many of the airframe's own past legs the hub's prior (its legs, any operator) counts as",
                  ),
                operatorLegs: z
                  .number()
                  .min(0)
                  .max(100)
                  .default(8)
                  .describe(
                    "how many of the airframe's own past legs the operator's prior (its other airframes' legs) counts as; an operator flies its own contracts, so it says more than a hub",
                  ),
                threshold: z
                  .number()
                  .min(0)
                  .max(1)
                  .default(0.85)
                  .describe(
                    "en_route threshold for a leg whose prior includes the fleet prior (others' legs are a guess about this airframe: more confidence before announcing); never below enRoute.threshold",
                  ),
                hubWeight: z
                  .number()
                  .min(0)
                  .max(1)
                  .default(0.5)
                  .describe('a hub leg (any operator, same departure airport) counts this much towards minLegs'),
                minLegs: z
                  .number()
                  .min(0)
                  .max(1000)
                  .default(3)
                  .describe('fewer (weighted) fleet legs than this say nothing: no fleet prior'),
                refreshMinutes: z
                  .number()
                  .int()
                  .min(1)
                  .max(1440)
                  .default(60)
                  .describe('how often the worker re-reads the legs from the archive'),
              })
              .prefault({}),
          })
          .prefault({}),
      })
      .prefault({}),
    callsignRoutes: z
      .strictObject({
        file: z
          .string()
          .optional()
          .describe(
            'callsign → airports table (VRS standing-data routes CSV, plain or .gz); default <data.dir>/vrs-routes.csv when present',
          ),
        weight: z
          .number()
          .min(1)
          .max(10)
          .default(1.5)
          .describe(
            "prior factor for the route's next airport, only when the aircraft is within max(50 nm, 20 % of the route) of its great circle",
          ),
      })
      .prefault({}),
  })
  .prefault({});

export type TripsConfig = z.output<typeof tripsSchema>;
export type TripsConfigInput = z.input<typeof tripsSchema>;
