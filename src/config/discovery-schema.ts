/**
 * `discovery:` — finding aircraft nobody has listed yet (docs/discovery.md): unlisted aircraft seen at the
 * `classify.hubs` are kept as sightings and scored; one that behaves like a removal charter becomes a
 * candidate a person accepts (a watch entry is written) or rejects. Every key has a default, so `discovery:`
 * may be omitted. The defaults come from what watchers match by hand (../docs/discovery.md cites them).
 */
import { z } from 'zod';

const q = (v: unknown) => JSON.stringify(v);

const regexSource = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `${q(s)} is not a valid regular expression: ${(e as Error).message}` });
  }
});

const icaoType = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{2,4}$/, { error: (iss) => `${q(iss.input)} is not an ICAO type designator` }));

const prefix = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, { error: (iss) => `${q(iss.input)} is not a 3-letter airline ICAO code` }));

/** Types charter operators fly removals with: 737 family, A320 family, MD-80, E-jets, CRJ-900, Gulfstreams. */
export const DEFAULT_CHARTER_TYPES = (
  'B732 B733 B734 B735 B736 B737 B738 B739 B38M B39M B752 B763 ' +
  'A318 A319 A320 A321 A20N A21N MD81 MD82 MD83 MD87 MD88 MD90 ' +
  'E135 E145 E170 E75L E75S E190 E195 CRJ9 GLF4 GLF5 GLEX'
).split(' ');

/**
 * Callsigns of charter operators in the number ranges watchers match removal flights with: the filter of the
 * watcher "ottergoose" (reproduced in ngabantudev/flockoffmn ice-charter-filter.mjs), TYSON and VXP54xx
 * callsigns from volunteer flight logs, iAero (SWQ) and World Atlantic (WAL) flights monitors list.
 */
export const DEFAULT_CHARTER_CALLSIGNS = [
  { id: 'tyson', pattern: '^TYS(ON)?\\d*$' },
  { id: 'globalx-6xxx', pattern: '^GXA6\\d{3}$' },
  { id: 'eastern-82xx', pattern: '^BBQ82\\d{2}$' },
  { id: 'awi-7xxx', pattern: '^AWI7\\d{3}$' },
  { id: 'eal-8xxx', pattern: '^EAL8\\d{3}$' },
  { id: 'omni-4xxx', pattern: '^OAE4\\d{3}$' },
  { id: 'denver-air', pattern: '^LYM[345]00$' },
  { id: 'iaero', pattern: '^SWQ\\d{2,4}$' },
  { id: 'world-atlantic', pattern: '^WAL\\d{2,4}$' },
  { id: 'avelo-54xx', pattern: '^VXP54\\d*$' },
];

/**
 * Scheduled airlines flying the hubs: a callsign of theirs is a timetable flight, never a removal charter
 * (their 737s and A320s do land at two hubs a day). Extend it for your hubs.
 */
export const DEFAULT_SCHEDULED_AIRLINES = (
  'AAL SWA UAL DAL ASA JBU NKS FFT AAY ENY SKW RPA ASH JIA PDT GJS EDV ' +
  'FDX UPS GTI ABX ATN AJT CKS VOI AMX VIV AIJ TAI AVA CMP CSB VRD'
).split(' ');

export const discoverySchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('record unlisted aircraft at the hubs and propose candidates'),
    windowDays: z
      .number()
      .positive()
      .max(60)
      .default(7)
      .describe('sightings within this many days of the newest one are scored together'),
    minScore: z.number().gt(0).max(2).default(0.7).describe('score from which an aircraft is proposed'),
    hubRadiusNm: z
      .number()
      .positive()
      .max(30)
      .default(8)
      .describe('an aircraft within this distance of a hub, on the ground or low, is at the hub'),
    lowAltitudeFt: z
      .number()
      .positive()
      .max(10_000)
      .default(3000)
      .describe('"low": below this altitude (taking off or landing) counts like on the ground'),
    sampleMinutes: z
      .number()
      .positive()
      .max(1440)
      .default(180)
      .describe('one sighting per aircraft, place and callsign per this many minutes (the rest are duplicates)'),
    maxSightingsPerCycle: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(200)
      .describe('bound on sightings written per poll cycle'),
    charterTypes: z.array(icaoType).default(DEFAULT_CHARTER_TYPES).describe('charter-capable type designators'),
    charterCallsigns: z
      .array(z.strictObject({ id: z.string().min(1), pattern: regexSource }))
      .default(DEFAULT_CHARTER_CALLSIGNS)
      .describe('callsign patterns of charter operators on removal flights'),
    scheduledAirlines: z
      .array(prefix)
      .default(DEFAULT_SCHEDULED_AIRLINES)
      .describe('airline ICAO codes whose callsigns are timetable flights'),
    alert: z.boolean().default(true).describe('send an operational "new candidate" alert through the channels'),
  })
  .prefault({});

export type DiscoveryConfig = z.output<typeof discoverySchema>;
