/**
 * The webhook body, schema `flightwatch.webhook/v1`. The body is a pure function of the alert, serialized as
 * canonical JSON (keys sorted, no whitespace), so every retry sends byte-identical bytes and the signature
 * over `${webhook-id}.${webhook-timestamp}.${body}` differs only by the timestamp. Send time therefore lives
 * in the `webhook-timestamp` header, never in the body. The zod schema below (with the event schemas of
 * src/domain) is the contract; docs/webhook-event.schema.json is its JSON Schema (`npm run schema`; a test
 * fails when the committed file is stale).
 */
import { z } from 'zod';
import type { Alert } from './channel';
import { alertEventSchema } from '../domain/event';
import { isoTime } from '../domain/event-fields';
import { aircraftLinks } from './channels/links';

export const WEBHOOK_SCHEMA = 'flightwatch.webhook/v1' as const;

/** Any event document: a flight event or an operational one, told apart by `type` (src/domain/event.ts). */
export const eventSchema = alertEventSchema;

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
    evidenceId: z
      .string()
      .optional()
      .describe(
        'flight alerts: the id to cite and to pass to `flightwatch evidence export` for a signed bundle (docs/record.md)',
      ),
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
    event: alert.event,
  };
  if (alert.operational) body.operational = true;
  else {
    body.links = aircraftLinks(alert.event.aircraft.hex);
    body.evidenceId = alert.event.id; // the archive resolves an event id to its leg or trip
  }
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

/**
 * JSON Schema (draft 2020-12) of the body, as committed in docs/webhook-event.schema.json. Generated for
 * input so event objects stay open (no `additionalProperties: false`): v1 may gain fields.
 */
export function webhookBodyJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(webhookBodySchema, { io: 'input', unrepresentable: 'any' });
  return {
    $schema,
    $id: 'https://flightwatch.invalid/webhook-event.schema.json',
    title: 'flightwatch webhook body (flightwatch.webhook/v1) and the event documents it carries',
    ...schema,
  };
}
