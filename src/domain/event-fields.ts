/**
 * The parts every flight event shares (aircraft, position, airport, evidence), as zod schemas: the one
 * definition of the event document (docs/events.md). TypeScript types are inferred from them; the webhook
 * JSON Schema (docs/webhook-event.schema.json) is generated from them.
 *
 * Objects are `z.object`: parsing strips unknown members instead of rejecting them, and the JSON Schema
 * (generated for input) leaves them allowed. v1 may gain fields; consumers must ignore unknown ones.
 */
import { z } from 'zod';

/** Versioned: additive changes keep v1, a field changing meaning or disappearing makes v2. */
export const EVENT_SCHEMA = 'flightwatch.event/v1' as const;

export const isoTime = z.string().describe('ISO-8601 UTC time');

export const airportRefSchema = z
  .object({
    icao: z.string(),
    iata: z.string().optional(),
    name: z.string(),
    country: z.string().describe('ISO 3166-1 alpha-2'),
    tz: z.string().optional().describe('IANA time zone, e.g. Asia/Shanghai'),
    lat: z.number(),
    lon: z.number(),
    distanceNm: z.number().optional().describe('from the aircraft position to the airport, nautical miles'),
  })
  .meta({ id: 'AirportRef' });
export type AirportRef = z.infer<typeof airportRefSchema>;

export const evidencePointSchema = z
  .object({
    time: isoTime.describe('position time, ISO-8601 UTC'),
    lat: z.number().optional(),
    lon: z.number().optional(),
    altFt: z.number().nullable().optional().describe('barometric altitude, feet; null when the source said ground'),
    onGround: z.boolean().describe('as reported'),
    gsKt: z.number().optional(),
    trackDeg: z.number().optional(),
    positionAgeS: z.number().optional(),
    source: z.string().describe('config id of the source'),
    fetchedAt: isoTime.describe('when the reply was received, ISO-8601 UTC'),
  })
  .meta({ id: 'EvidencePoint' });
export type EvidencePoint = z.infer<typeof evidencePointSchema>;

export const aircraftSchema = z.object({
  hex: z.string().describe('ICAO 24-bit address, lowercase hex; "~" prefix for non-ICAO addresses'),
  registration: z.string().optional(),
  type: z.string().optional().describe('ICAO type designator, e.g. GLF5'),
  callsign: z.string().optional(),
  operator: z.string().optional(),
});

export const positionSchema = z
  .object({
    lat: z.number(),
    lon: z.number(),
    altFt: z.number().nullable().describe('barometric feet; null on the ground or when not reported'),
    gsKt: z.number().optional(),
    trackDeg: z.number().optional(),
  })
  .describe('the position that triggered the event');

export const watchSchema = z
  .object({ ids: z.array(z.string()), tags: z.array(z.string()) })
  .describe('the watch entries the aircraft matched and the union of their tags');
