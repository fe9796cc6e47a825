/**
 * Operational events: flightwatch telling its operators something needs a human (it went blind, it sees
 * again, a receiver answered 410 and its channel was disabled, an unlisted aircraft behaves like a removal
 * charter). No aircraft position or watch semantics, so they are a type of their own and not a FlightEvent
 * with placeholder fields: routes, silences, maps and aircraft links never apply to them.
 *
 * The facts of each kind are optional and the object open: jobs queued by older versions carried other facts
 * (src/pipeline/operational.ts reads them as this shape), and a receiver must cope with either.
 */
import { z } from 'zod';
import { EVENT_SCHEMA, isoTime } from './event-fields';

export const OPERATIONAL_KINDS = [
  'blind',
  'recovered',
  'channel-disabled',
  'archive-lag',
  'digest',
  'report-digest',
  'detection-behind',
  'candidate',
  'digest-failed',
] as const;
export type OperationalKind = (typeof OPERATIONAL_KINDS)[number];

const summary = z.string().describe('what happened and what to do, one sentence');

const watcherFacts = {
  since: isoTime.optional().describe('time of the newest valid reply from any source'),
  blindAfterMinutes: z.number().optional(),
  sources: z.string().optional().describe('"<id>: ok|<reason>; …"'),
};

/** The facts of each kind: what producers give (src/pipeline/operational.ts) next to kind and summary. */
const FACTS = {
  blind: z.object(watcherFacts),
  recovered: z.object({ ...watcherFacts, blindForMinutes: z.number().optional() }),
  'channel-disabled': z.object({
    channelId: z.string().optional(),
    reason: z.string().optional().describe("the receiver's answer"),
    disabledAt: isoTime.optional(),
    eventId: z.string().optional().describe('the flight event whose delivery found the receiver gone'),
  }),
  'archive-lag': z.object({
    since: isoTime.optional().describe('time of the oldest detection not yet in the archive'),
    lagMinutes: z.number().optional(),
    thresholdMinutes: z.number().optional().describe('archive.lagAlertAfter'),
    problem: z.string().optional().describe("the archiver's current error, e.g. unreachable, disk-full"),
  }),
  digest: z.object({
    periodStart: isoTime.optional(),
    periodEnd: isoTime.optional(),
    events: z.number().optional().describe('events gathered in the period'),
    entries: z.string().optional().describe('"<watch id>: <events>; …", most first'),
    aircraft: z.string().optional().describe('"<registration or hex>: <events>; …", most first'),
    recent: z.string().optional().describe('the latest events, one "HH:MM type aircraft at airport" each, "; "-joined'),
  }),
  // A scheduled report digest: rendered by the reports layer before it is queued, so every channel sends the
  // same numbers however long the job waits.
  'report-digest': z.object({
    period: z.string().optional().describe('the month (YYYY-MM) or ISO week (YYYY-Www) reported'),
    title: z.string().optional().describe('e.g. "Flight report 2026-W47"'),
    lines: z
      .array(z.object({ label: z.string(), value: z.string() }))
      .optional()
      .describe('the summary, most important first: what chat channels show, cut to their limits'),
    markdown: z.string().optional().describe('the whole report in Markdown'),
    html: z.string().optional().describe('the e-mail body: the report as an escaped HTML fragment'),
    chartSvg: z.string().optional().describe('the weekly removals chart (SVG); e-mails attach it as PNG'),
    chartAlt: z.string().optional().describe("the chart's text: its alt text"),
  }),
  'detection-behind': z.object({
    since: isoTime.optional().describe('poll slot of the first detection run that had to coalesce slots'),
    coalescedSlots: z.number().optional().describe('older poll slots merged into that run (newest positions won)'),
    behindSeconds: z.number().optional().describe('age of the oldest merged slot when detection reached it'),
  }),
  candidate: z.object({
    candidateId: z.string().optional().describe('`flightwatch candidates show <id>`'),
    hex: z.string().optional(),
    registration: z.string().optional(),
    aircraftType: z.string().optional(),
    score: z.number().optional(),
    reasons: z.string().optional().describe('why it looks like a removal charter, "; "-separated'),
    sightings: z.number().optional().describe('sightings behind the score'),
  }),
  // A digest (watch-entry or report) that failed several times in a row; it is still retried in its period.
  'digest-failed': z.object({
    digest: z.string().optional().describe('"watch:<channel>" or "report:<digest id>"'),
    period: z.string().optional().describe('the period it sums up (start time, or YYYY-MM / YYYY-Www)'),
    attempts: z.number().optional().describe('failed attempts so far'),
    error: z.string().optional().describe('the last failure'),
    nextAttempt: isoTime.optional().describe('when the next attempt may start'),
  }),
};

export type OperationalFacts = { [K in OperationalKind]: z.infer<(typeof FACTS)[K]> };

// Kind, summary and the kind's facts; open (jobs queued by older versions carried other facts).
export const operationalInfoSchema = z
  .discriminatedUnion('kind', [
    z.looseObject({ kind: z.literal('blind'), summary, ...FACTS.blind.shape }),
    z.looseObject({ kind: z.literal('recovered'), summary, ...FACTS.recovered.shape }),
    z.looseObject({ kind: z.literal('channel-disabled'), summary, ...FACTS['channel-disabled'].shape }),
    z.looseObject({ kind: z.literal('archive-lag'), summary, ...FACTS['archive-lag'].shape }),
    z.looseObject({ kind: z.literal('digest'), summary, ...FACTS.digest.shape }),
    z.looseObject({ kind: z.literal('report-digest'), summary, ...FACTS['report-digest'].shape }),
    z.looseObject({ kind: z.literal('detection-behind'), summary, ...FACTS['detection-behind'].shape }),
    z.looseObject({ kind: z.literal('candidate'), summary, ...FACTS.candidate.shape }),
    z.looseObject({ kind: z.literal('digest-failed'), summary, ...FACTS['digest-failed'].shape }),
  ])
  .meta({
    id: 'OperationalInfo',
    description: 'kind, summary and the facts of the kind (docs/events.md "Operational events")',
  });

/** Kind, summary and the kind's facts (blind: since, blindAfterMinutes, sources; channel-disabled: channelId, …). */
export type OperationalInfo = z.infer<typeof operationalInfoSchema>;

// No aircraft, position, watch or evidence: an operational event is about flightwatch itself.
export const operationalEventSchema = z
  .object({
    schema: z.literal(EVENT_SCHEMA),
    id: z.string().describe('deterministic from kind, subject and time: the same incident has the same id'),
    type: z.literal('operational'),
    time: isoTime,
    source: z.literal('flightwatch').describe('the pipeline itself, not an ADS-B source'),
    details: z.object({ operational: operationalInfoSchema }),
  })
  .meta({
    id: 'OperationalEvent',
    description: 'an operational event: flightwatch is blind, sees again, or disabled a channel',
  });

export type OperationalEvent = z.infer<typeof operationalEventSchema>;
