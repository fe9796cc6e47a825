/**
 * `alerts:` — channels, Alertmanager-like routes, retry policy, history retention (issue "Deliver").
 * Durations are written as "30s", "6h", "1h30m", "7d" (or a number of milliseconds) and parsed to ms here,
 * so the rest of the code only sees numbers.
 */
import { z } from 'zod';
import { FLIGHT_EVENT_TYPES } from '../domain/event';
import { channelSchema } from './channels-schema';

const q = (v: unknown) => JSON.stringify(v);

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** "1h30m" → 5400000; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) return undefined;
  let total = 0;
  for (const [, n, , unit] of s.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(n) * UNIT_MS[unit as Unit]; // the pattern admits only these units
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/** A duration in ms, written as text ("6h") or a number of ms. */
export const duration = (opts: { min?: number } = {}) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `${q(v)} is not a duration (e.g. "30s", "6h", "1h30m", "7d")` });
      return z.NEVER;
    }
    if (opts.min !== undefined && ms < opts.min) {
      ctx.addIssue({ code: 'custom', message: `${q(v)} is shorter than ${formatDuration(opts.min)}` });
      return z.NEVER;
    }
    return ms;
  });

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: (iss) => `${q(iss.input)} is not an id` });
const list = <T extends z.ZodTypeAny>(item: T) =>
  z.array(item).min(1, 'must not be empty (omit the key to match anything)');

/** Keys AND together, values within a key OR (like the watchlist); an omitted key matches anything. */
export const routeMatchSchema = z.strictObject({
  events: list(
    z.enum(FLIGHT_EVENT_TYPES, {
      error: (iss) => `${q(iss.input)} is not an event type (${FLIGHT_EVENT_TYPES.join(', ')})`,
    }),
  ).optional(),
  watch: list(id).optional().describe('watch entry ids'),
  tags: list(id).optional().describe('watch entry tags'),
  destinations: list(id).optional().describe('destination ids'),
});

export const routeSchema = z.strictObject({
  match: routeMatchSchema.prefault({}),
  channels: list(id),
  /** No second alert for the same aircraft and event type on a channel within this interval (0 = always). */
  repeatInterval: duration().default(0),
  /** Keep evaluating later routes after this one matched (Alertmanager `continue`). */
  continue: z.boolean().default(false),
});

export const DEFAULT_OUTBOX_CHANNEL = 'outbox';

export const alertsSchema = z
  .strictObject({
    channels: z.array(channelSchema).default([]),
    /** Evaluated in order; the first match wins unless it says `continue: true`. No routes: every channel. */
    routes: z.array(routeSchema).default([]),
    retry: z
      .strictObject({
        /** Transient failures are retried until this long after the alert was enqueued, then dead-lettered. */
        horizon: duration({ min: 1000 }).default(24 * 3_600_000),
        /** First retry delay; doubles per attempt (with jitter) up to backoffMax. */
        backoffBase: duration({ min: 10 }).default(30_000),
        backoffMax: duration({ min: 10 }).default(2 * 3_600_000),
      })
      .prefault({}),
    /** Events stay in the Redis history stream this long. */
    historyRetention: duration({ min: 60_000 }).default(30 * 86_400_000),
    /** Folder of the implicit outbox channel used when no channel is configured. */
    outboxDir: z.string().min(1).default('./outbox'),
    digest: z
      .strictObject({
        /** Events of digest entries are gathered per channel and sent as one summary per period (UTC-aligned). */
        period: duration({ min: 60_000 }).default(86_400_000),
        /** How often a worker looks for a finished period to send. */
        checkEvery: duration({ min: 1000 }).default(60_000),
      })
      .prefault({})
      .describe('digest delivery of operator-wide watch entries (docs/config.md "Digests")'),
    /** Notify jobs processed in parallel per worker. */
    concurrency: z.number().int().min(1).max(256).default(8),
  })
  .superRefine((a, ctx) => {
    const seen = new Map<string, number>();
    a.channels.forEach((c, i) => {
      const prev = seen.get(c.id);
      if (prev !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['channels', i, 'id'],
          message: `${q(c.id)} is already used by channels[${prev}]`,
        });
      else seen.set(c.id, i);
    });
    const known = a.channels.length ? new Set(seen.keys()) : new Set([DEFAULT_OUTBOX_CHANNEL]);
    a.routes.forEach((r, i) =>
      r.channels.forEach((c, j) => {
        if (!known.has(c))
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'channels', j],
            message: `${q(c)} is not a channel (known: ${[...known].join(', ')})`,
          });
      }),
    );
    if (a.retry.backoffMax < a.retry.backoffBase)
      ctx.addIssue({
        code: 'custom',
        path: ['retry', 'backoffMax'],
        message: 'backoffMax must not be shorter than backoffBase',
      });
  })
  .prefault({});

export type AlertsConfig = z.output<typeof alertsSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type RouteMatch = z.output<typeof routeMatchSchema>;
