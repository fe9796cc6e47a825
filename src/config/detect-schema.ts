/**
 * Detection thresholds (issue "Detect", docs/events.md). Every key has a default so `detect:` may be omitted.
 * Altitudes are barometric feet; "above the airport" means above the nearest airport's elevation when the
 * airport table knows it (else above sea level).
 */
import { z } from 'zod';

export const DEFAULT_AIRPORT_KINDS = ['large_airport', 'medium_airport', 'small_airport', 'unknown'] as const;

export const detectSchema = z
  .strictObject({
    quietPeriodMinutes: z
      .number()
      .positive()
      .default(360)
      .describe('a watched aircraft unheard for this long raises `seen` again when it reappears'),
    landingTimeoutMinutes: z
      .number()
      .positive()
      .max(180)
      .default(10)
      .describe('signal lost this long while low and slow near an airport → inferred landing'),
    lowAltFt: z
      .number()
      .positive()
      .default(5000)
      .describe('"low": at most this many feet above the nearest airport (inferred landing, `seen` naming an airport)'),
    slowKt: z.number().positive().default(250).describe('"slow": ground speed at most this (knots)'),
    airportRadiusNm: z
      .number()
      .positive()
      .max(20)
      .default(5)
      .describe('an aircraft on the ground is "at" the nearest airport within this distance (takeoff, landing, seen)'),
    approachRadiusNm: z
      .number()
      .positive()
      .max(50)
      .default(30)
      .describe(
        'airports within this distance of where the signal was lost are weighed by the airport inference model (inferred landing)',
      ),
    initialClimbMaxAltFt: z
      .number()
      .positive()
      .default(10000)
      .describe('first seen (or seen again after a gap) climbing below this height above an airport → takeoff'),
    initialClimbRadiusNm: z.number().positive().max(60).default(30).describe('…within this distance of that airport'),
    minClimbFpm: z.number().positive().default(300).describe('vertical rate that counts as climbing (ft/min)'),
    reacquireGapMinutes: z
      .number()
      .positive()
      .default(30)
      .describe('an airborne aircraft unheard this long and then seen climbing near an airport departed again'),
    groundMaxKt: z
      .number()
      .positive()
      .default(200)
      .describe('a "ground" report faster than this is implausible and ignored'),
    slowAsGroundKt: z
      .number()
      .min(0)
      .default(40)
      .describe(
        'an airborne report slower than this counts as on the ground (transponders without a ground bit); 0 disables',
      ),
    airportKinds: z
      .array(z.string().min(1))
      .min(1)
      .default([...DEFAULT_AIRPORT_KINDS])
      .describe(
        'airport kinds considered for takeoff/landing/seen (heliports, seaplane bases and closed fields excluded by default)',
      ),
    squawkCodes: z
      .array(z.string().regex(/^[0-7]{4}$/, 'a squawk is 4 octal digits'))
      .default(['7500', '7600', '7700'])
      .describe('squawk codes that raise `squawk`'),
    squawkHoldSeconds: z
      .number()
      .min(0)
      .default(60)
      .describe('a squawk must be observed continuously for this long before `squawk` fires'),
    windowSize: z
      .number()
      .int()
      .min(4)
      .max(500)
      .default(16)
      .describe('recent fresh positions kept per aircraft (evidence, estimates)'),
    eventIdBucketMinutes: z
      .number()
      .positive()
      .max(1440)
      .default(15)
      .describe(
        'time bucket of the ids of derived events (trips, en-route, diversions); detection events take theirs from the transition time',
      ),
    trackTtlDays: z
      .number()
      .positive()
      .default(14)
      .describe('track state of an aircraft unheard this long is dropped (Redis TTL)'),
    rememberStates: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'track states the worker remembers having written, to step from without reading them back from Redis; ' +
          'about 6 KB of heap each (0: read every state, the smallest worker and, but for a watch remembered ' +
          'whole, as fast)',
      ),
    identity: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe('link a new hex to a quiet one with the same registration or callsign'),
        maxAirGapMinutes: z.number().positive().max(180).default(30).describe('longest airborne gap bridged'),
        maxGroundGapHours: z
          .number()
          .positive()
          .max(72)
          .default(12)
          .describe('longest gap bridged while parked (PIA addresses rotate between legs)'),
        maxSpeedKt: z.number().positive().max(1200).default(600).describe('fastest plausible speed across the gap'),
        shared: z
          .boolean()
          .default(false)
          .describe(
            'remember sightings and links in Redis (across restarts and replicas); off: in the worker process. ' +
              'On costs a write per watched aircraft about once a minute (npm run bench:identity)',
          ),
      })
      .prefault({})
      .describe('identity continuity: docs/detection.md'),
  })
  .refine((d) => d.trackTtlDays * 1440 > d.quietPeriodMinutes, {
    message: 'trackTtlDays must be longer than quietPeriodMinutes',
    path: ['trackTtlDays'],
  })
  .prefault({});

export type DetectConfig = z.output<typeof detectSchema>;
export type DetectConfigInput = z.input<typeof detectSchema>;
