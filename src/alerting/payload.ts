/**
 * The webhook body, schema `flightwatch.webhook/v1`. The body is a pure function of the alert, serialized as
 * canonical JSON (keys sorted, no whitespace), so every retry sends byte-identical bytes and the signature
 * over `${webhook-id}.${webhook-timestamp}.${body}` differs only by the timestamp. Send time therefore lives
 * in the `webhook-timestamp` header, never in the body. The zod schema below is the contract;
 * docs/webhook-event.schema.json is its JSON Schema (`npm run schema`; a test fails when the committed file
 * is stale).
 */
import { z } from 'zod';
import type { Alert } from './channel';
import { EVENT_SCHEMA, FLIGHT_EVENT_TYPES, OPERATIONAL_KINDS } from '../domain/event';
import { aircraftLinks } from './channels/links';

export const WEBHOOK_SCHEMA = 'flightwatch.webhook/v1' as const;

const isoTime = z.string().describe('ISO-8601 UTC time');

const airportRef = z.looseObject({
  icao: z.string(),
  iata: z.string().optional(),
  name: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2'),
  tz: z.string().optional().describe('IANA time zone'),
  lat: z.number(),
  lon: z.number(),
  distanceNm: z.number().optional(),
});

const evidencePoint = z.looseObject({
  time: isoTime,
  lat: z.number().optional(),
  lon: z.number().optional(),
  altFt: z.number().nullable().optional().describe('barometric altitude, feet; null when unknown'),
  onGround: z.boolean(),
  gsKt: z.number().optional(),
  trackDeg: z.number().optional(),
  positionAgeS: z.number().optional(),
  source: z.string(),
  fetchedAt: isoTime,
});

// Objects are open (additional properties allowed): v1 may gain fields; consumers must ignore unknown ones.
export const flightEventSchema = z
  .looseObject({
    schema: z.literal(EVENT_SCHEMA),
    id: z.string().describe('deterministic from aircraft, event type and time bucket'),
    type: z.enum(FLIGHT_EVENT_TYPES),
    time: isoTime,
    aircraft: z.looseObject({
      hex: z.string().describe('ICAO 24-bit address, lowercase hex; "~" prefix for non-ICAO addresses'),
      registration: z.string().optional(),
      type: z.string().optional().describe('ICAO type designator, e.g. GLF5'),
      callsign: z.string().optional(),
      operator: z.string().optional(),
    }),
    position: z
      .looseObject({
        lat: z.number(),
        lon: z.number(),
        altFt: z.number().nullable(),
        gsKt: z.number().optional(),
        trackDeg: z.number().optional(),
      })
      .optional(),
    airport: airportRef.optional(),
    destination: z.looseObject({ id: z.string() }).optional(),
    watch: z.looseObject({ ids: z.array(z.string()), tags: z.array(z.string()) }),
    source: z.string(),
    evidence: z.array(evidencePoint),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('a flight event: something an aircraft did (docs/events.md)');

// No aircraft, position, watch or evidence: an operational event is about flightwatch itself.
export const operationalEventSchema = z
  .looseObject({
    schema: z.literal(EVENT_SCHEMA),
    id: z.string().describe('deterministic from kind, subject and time: the same incident has the same id'),
    type: z.literal('operational'),
    time: isoTime,
    source: z.literal('flightwatch'),
    details: z.looseObject({
      operational: z
        .looseObject({
          kind: z.enum(OPERATIONAL_KINDS),
          summary: z.string().describe('what happened and what to do, one sentence'),
        })
        .describe('kind-specific facts next to kind and summary (docs/events.md "Operational events")'),
    }),
  })
  .describe('an operational event: flightwatch is blind, sees again, or disabled a channel');

export const eventSchema = z.discriminatedUnion('type', [flightEventSchema, operationalEventSchema]);

export const webhookBodySchema = z
  .strictObject({
    schema: z.literal(WEBHOOK_SCHEMA),
    type: z
      .string()
      .regex(/^flightwatch\.[a-z_]+$/)
      .describe(
        'Standard Webhooks event type: "flightwatch." + event.type, e.g. "flightwatch.landing" or "flightwatch.operational"',
      ),
    timestamp: isoTime.describe('when the event happened (event.time); the send time is the webhook-timestamp header'),
    alertId: z
      .string()
      .describe(
        'equals the webhook-id header (before =XX encoding of characters outside [A-Za-z0-9_:~+/-]); the idempotency key',
      ),
    channel: z.string().describe('the channel id from alerts.channels'),
    operational: z
      .boolean()
      .optional()
      .describe(
        'true for alerts about flightwatch itself (blind watcher, disabled channel), exactly when event.type is "operational"',
      ),
    threadIds: z.array(z.string()).optional().describe('earlier alert ids of the same trip'),
    event: eventSchema,
    links: z
      .strictObject({ adsblol: z.url(), adsbexchange: z.url(), airplaneslive: z.url() })
      .optional()
      .describe('the aircraft on public tracking maps; absent on operational alerts'),
  })
  .superRefine((b, ctx) => {
    // Not expressible in the JSON Schema; stated in docs/webhooks.md.
    const op = b.event.type === 'operational';
    if (!!b.operational !== op)
      ctx.addIssue({
        code: 'custom',
        path: ['operational'],
        message: 'operational is true exactly when event.type is "operational"',
      });
    if (op === !!b.links)
      ctx.addIssue({ code: 'custom', path: ['links'], message: 'links are present exactly on flight alerts' });
  })
  .describe('flightwatch webhook body, schema flightwatch.webhook/v1');

export type WebhookBody = z.output<typeof webhookBodySchema>;

export function webhookBody(alert: Alert): WebhookBody {
  const body: WebhookBody = {
    schema: WEBHOOK_SCHEMA,
    type: `flightwatch.${alert.event.type}`,
    timestamp: alert.event.time,
    alertId: alert.id,
    channel: alert.channelId,
    event: alert.event as WebhookBody['event'],
  };
  if (alert.operational) body.operational = true;
  else body.links = aircraftLinks(alert.event.aircraft.hex);
  if (alert.threadIds?.length) body.threadIds = [...alert.threadIds];
  return body;
}

/** The exact bytes POSTed (and written to the outbox .json). */
export function serializeWebhookBody(alert: Alert): string {
  return canonicalJson(webhookBody(alert));
}

/**
 * JSON with object keys sorted at every level and undefined members dropped: the same value always gives the
 * same bytes, whatever order its keys were built in (an event read back from Redis, a replay, another replica).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sortKeys(x)));
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** JSON Schema (draft 2020-12) of the body, as committed in docs/webhook-event.schema.json. */
export function webhookBodyJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(webhookBodySchema, { io: 'output', unrepresentable: 'any' });
  return {
    $schema,
    $id: 'https://flightwatch.invalid/webhook-event.schema.json',
    title: 'flightwatch webhook body (flightwatch.webhook/v1) and the event documents it carries',
    ...schema,
  };
}
