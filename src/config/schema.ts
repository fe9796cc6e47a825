/**
 * The one schema for config/flightwatch.yaml. Everything the worker reads from the file is validated here;
 * docs/config.md and config/flightwatch.schema.json (for editors) are generated from / kept in step with it.
 * Messages name the offending value so `check-config` output reads as `path: "value" is not …`.
 */
import { z } from 'zod';
import { FLAG_NAMES } from '../domain/aircraft-state';
import type { WatchEntry as MatcherEntry } from '../domain/watchlist';
import { detectSchema } from './detect-schema';
import { alertsSchema } from './alerts-schema';
import { operateSchema } from './operate-schema';
import { pipelineSchema } from './pipeline-schema';
import { tripsSchema } from './trips-schema';
import { archiveSchema } from './archive-schema';
import { reportsSchema } from './reports-schema';
import { classifySchema } from './classify-schema';
import { webSchema } from './web-schema';
import { envName } from './env-name';
import { queueSchema } from './queue-schema';
import { discoverySchema } from './discovery-schema';

const q = (v: unknown) => JSON.stringify(v);

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
  error: (iss) => `${q(iss.input)} is not an id (lowercase letters, digits, "-" or "_", at most 64)`,
});

export const hexCode = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(/^~?[0-9a-f]{6}$/, { error: (iss) => `${q(iss.input)} is not a 6-digit ICAO hex` }));

const registration = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9-]{2,10}$/, { error: (iss) => `${q(iss.input)} is not a registration` }));

const icaoType = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(
    z.string().regex(/^[A-Z0-9]{2,4}$/, {
      error: (iss) => `${q(iss.input)} is not an ICAO type designator (2-4 letters/digits, e.g. GLF5)`,
    }),
  );

const callsignPrefix = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{1,8}$/, { error: (iss) => `${q(iss.input)} is not a callsign prefix` }));

const squawk = z
  .string()
  .regex(/^[0-7x]{4}$/i, { error: (iss) => `${q(iss.input)} is not a squawk (4 octal digits, x as wildcard)` })
  .transform((s) => s.toLowerCase());

const regexSource = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `${q(s)} is not a valid regular expression: ${(e as Error).message}` });
  }
});

export const airportCode = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{3,4}$/, { error: (iss) => `${q(iss.input)} is not an ICAO airport code` }));

const countryCode = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(
    z.string().regex(/^[A-Z]{2}$/, { error: (iss) => `${q(iss.input)} is not an ISO 3166-1 alpha-2 country code` }),
  );

const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1, 'must not be empty');

/** Keys AND together; values within one key OR. */
export const matchSchema = z
  .strictObject({
    hex: list(hexCode).optional(),
    registrations: list(registration).optional(),
    types: list(icaoType).optional(),
    callsignPrefixes: list(callsignPrefix).optional(),
    callsignPattern: regexSource.optional(),
    operators: list(z.string().min(2)).optional().describe('case-insensitive substrings of the operator name'),
    squawks: list(squawk).optional(),
    flags: list(z.enum(FLAG_NAMES)).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'needs at least one match key' });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, { error: (iss) => `${q(iss.input)} is not a date (YYYY-MM-DD)` });

export const watchEntrySchema = z.strictObject({
  id,
  match: matchSchema,
  exclude: matchSchema.optional(),
  tags: z.array(id).default([]),
  note: z.string().optional().describe('why this entry exists'),
  source: z
    .string()
    .optional()
    .describe('provenance: where the fact comes from (URL, document, dataset, "candidate <id>")'),
  added: isoDate.optional(),
  delivery: z
    .enum(['instant', 'digest'])
    .optional()
    .describe('instant: one alert per event; digest: one summary per alerts.digest.period (default for operator-wide)'),
  enabled: z.boolean().default(true),
});

const httpCommon = {
  id,
  enabled: z.boolean().default(true),
  requestsPerSecond: z.number().positive().max(50).default(1),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  maxResponseBytes: z.number().int().min(1024).max(200_000_000).default(16_000_000),
  /** Requests per UTC day this source allows us (used by `flightwatch plan`). */
  dailyRequestBudget: z.number().int().positive().optional(),
  /** How long a 401/403 keeps the source out of rotation before it is tried again. */
  authFailureBackoffMinutes: z.number().positive().default(60),
};

export const READSB_PROVIDERS = [
  'adsblol',
  'adsbfi',
  'airplaneslive',
  'adsbx-rapidapi',
  'adsbx-gateway',
  'generic',
] as const;

const readsbSource = z.strictObject({
  ...httpCommon,
  kind: z.literal('readsb-v2'),
  baseUrl: z.url(),
  /** Selects endpoint paths and auth headers; guessed from baseUrl when omitted. */
  provider: z.enum(READSB_PROVIDERS).optional(),
  auth: z
    .strictObject({ scheme: z.enum(['rapidapi', 'api-auth']), keyEnv: envName })
    .optional()
    .describe('ADS-B Exchange key: X-RapidAPI-Key (RapidAPI) or api-auth (enterprise gateway)'),
  /** Longest comma-separated list in one path segment (airplanes.live documents 1,000 characters). */
  maxListChars: z.number().int().min(6).max(8000).default(1000),
});

const openskySource = z.strictObject({
  ...httpCommon,
  kind: z.literal('opensky'),
  baseUrl: z.url().default('https://opensky-network.org/api'),
  tokenUrl: z
    .url()
    .default('https://auth.opensky-network.org/auth/realms/opensky-network/protocol/openid-connect/token'),
  /** OAuth2 client credentials; anonymous access when omitted. */
  clientIdEnv: envName.optional(),
  clientSecretEnv: envName.optional(),
  /** Bounding box for /states/all; global when omitted (4 credits per call). */
  bbox: z
    .strictObject({
      lamin: z.number().min(-90).max(90),
      lomin: z.number().min(-180).max(180),
      lamax: z.number().min(-90).max(90),
      lomax: z.number().min(-180).max(180),
    })
    .optional(),
  /** Daily /states credits: 400 anonymous, 4,000 standard user, 8,000 active feeder. */
  dailyCredits: z.number().int().positive().optional(),
});

const receiverSource = z.strictObject({
  ...httpCommon,
  kind: z.literal('receiver'),
  /** Full URL of a readsb / tar1090 / dump1090-fa aircraft.json. */
  url: z.url(),
  requestsPerSecond: z.number().positive().max(50).default(5),
});

export const sourceSchema = z.discriminatedUnion('kind', [readsbSource, openskySource, receiverSource]);

export const areaSchema = z.strictObject({
  id,
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  radiusNm: z.number().positive().max(250, 'public readsb APIs serve at most 250 nm'),
  note: z.string().optional(),
});

export const destinationSchema = z
  .strictObject({
    id,
    airports: z.array(airportCode).default([]),
    countries: z.array(countryCode).default([]),
    /** A landing within this distance of a listed airport counts as landing there. */
    radiusNm: z.number().positive().max(100).default(5),
    note: z.string().optional(),
  })
  .refine((d) => d.airports.length + d.countries.length > 0, { message: 'needs airports or countries' });

export const configSchema = z
  .strictObject({
    sources: z.array(sourceSchema).min(1, 'at least one source is needed'),
    poll: z
      .strictObject({
        schedule: z.string().default('*/30 * * * * *').describe('node-cron expression (seconds field allowed)'),
        /** Aircraft whose position is older than this are reported but never treated as fresh. */
        maxPositionAgeS: z.number().positive().default(60),
      })
      .prefault({}),
    areas: z.array(areaSchema).default([]),
    watch: z.array(watchEntrySchema).min(1, 'the watchlist is empty'),
    watchlistOverlay: z
      .string()
      .min(1)
      .optional()
      .describe(
        'a YAML file with more `watch:` entries, merged at start and on reload; `candidates accept` writes there ' +
          '(relative to this file; for a read-only config mount)',
      ),
    destinations: z.array(destinationSchema).default([]),
    detect: detectSchema,
    alerts: alertsSchema,
    operate: operateSchema,
    pipeline: pipelineSchema,
    trips: tripsSchema,
    archive: archiveSchema,
    reports: reportsSchema,
    classify: classifySchema,
    web: webSchema,
    queue: queueSchema,
    discovery: discoverySchema,
    data: z
      .strictObject({
        /** Folder for downloaded reference tables (`flightwatch data update`). */
        dir: z.string().default('data'),
        /** Aircraft database (VRS standing-data aircraft CSV) used to fill registration/type/operator. */
        aircraftDb: z.string().optional(),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    const unique = (key: 'sources' | 'watch' | 'destinations' | 'areas') => {
      const seen = new Map<string, number>();
      (c[key] as { id: string }[]).forEach((item, i) => {
        const prev = seen.get(item.id);
        if (prev !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key, i, 'id'],
            message: `${q(item.id)} is already used by ${key}[${prev}]`,
          });
        else seen.set(item.id, i);
      });
    };
    unique('sources');
    unique('watch');
    unique('destinations');
    unique('areas');
    c.sources.forEach((s, i) => {
      if (s.kind === 'opensky' && !!s.clientIdEnv !== !!s.clientSecretEnv)
        ctx.addIssue({ code: 'custom', path: ['sources', i], message: 'clientIdEnv and clientSecretEnv go together' });
      if (s.kind === 'opensky' && s.bbox && (s.bbox.lamin >= s.bbox.lamax || s.bbox.lomin >= s.bbox.lomax))
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'bbox'],
          message: 'lamin/lomin must be below lamax/lomax',
        });
    });
    // A route naming a watch id, tag or destination that does not exist would silently never match.
    const known = {
      watch: new Set(c.watch.map((w) => w.id)),
      tags: new Set(c.watch.flatMap((w) => w.tags)),
      destinations: new Set(c.destinations.map((d) => d.id)),
    };
    const what = { watch: 'watch entry', tags: 'watch entry tag', destinations: 'destination' } as const;
    c.alerts.routes.forEach((r, i) => {
      for (const key of ['watch', 'tags', 'destinations'] as const)
        r.match[key]?.forEach((v, j) => {
          if (!known[key].has(v))
            ctx.addIssue({
              code: 'custom',
              path: ['alerts', 'routes', i, 'match', key, j],
              message: `${q(v)} is not a ${what[key]} in this config`,
            });
        });
    });
    // A digest to a channel that does not exist would never be sent.
    const channelIds = new Set(c.alerts.channels.map((ch) => ch.id));
    c.reports.digests.forEach((d, i) =>
      d.channels.forEach((id, j) => {
        if (!channelIds.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['reports', 'digests', i, 'channels', j],
            message: `${q(id)} is not a channel in alerts.channels`,
          });
      }),
    );
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type ReadsbSourceConfig = Extract<SourceConfig, { kind: 'readsb-v2' }>;
export type OpenSkySourceConfig = Extract<SourceConfig, { kind: 'opensky' }>;
export type ReceiverSourceConfig = Extract<SourceConfig, { kind: 'receiver' }>;
export type WatchEntry = z.output<typeof watchEntrySchema>;
// The matcher (domain/watchlist.ts) declares the shape it reads; the parsed entry must stay assignable to it.
const parsedEntryFitsMatcher = (e: WatchEntry): MatcherEntry => e;
void parsedEntryFitsMatcher;
export type Match = z.output<typeof matchSchema>;
export type Area = z.output<typeof areaSchema>;
export type Destination = z.output<typeof destinationSchema>;
