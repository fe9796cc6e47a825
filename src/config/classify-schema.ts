/**
 * `classify:` — the rules that put each archived leg in the monitoring groups' vocabulary (docs/record.md):
 * detention hubs (a domestic leg between two is a shuffle), border cities (a domestic leg to one is lateral),
 * countries of return (an international leg landing in one is a removal). Every key has a default taken from
 * public reporting (hubs named by ICE Air reporting and monitors; border cities named by Witness at the
 * Border), so `classify:` may be omitted.
 */
import { z } from 'zod';
import type { ClassifyRules } from '../domain/leg-classification';

const q = (v: unknown) => JSON.stringify(v);

const icao = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{4}$/, { error: (iss) => `${q(iss.input)} is not a 4-letter ICAO airport code` }));

const country = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(
    z.string().regex(/^[A-Z]{2}$/, { error: (iss) => `${q(iss.input)} is not an ISO 3166-1 alpha-2 country code` }),
  );

/** ICE Air hubs: Alexandria, Harlingen, Mesa, El Paso, Miami, San Antonio, Brownsville, McAllen, Tucson, Seattle. */
export const DEFAULT_HUBS = ['KAEX', 'KHRL', 'KIWA', 'KELP', 'KMIA', 'KSAT', 'KBRO', 'KMFE', 'KTUS', 'KBFI'];

export const DEFAULT_BORDER_CITIES = [
  { name: 'El Paso', airports: ['KELP', 'KBIF'] },
  { name: 'San Diego', airports: ['KSAN'] },
  { name: 'Tucson', airports: ['KTUS'] },
  { name: 'Brownsville', airports: ['KBRO'] },
  { name: 'McAllen', airports: ['KMFE'] },
  { name: 'Laredo', airports: ['KLRD'] },
  { name: 'Yuma', airports: ['KNYL'] },
];

/**
 * Countries removal flights land in (Central and South America, the Caribbean, Mexico, and the long-haul
 * destinations reported). Fuel-stop countries (e.g. KR, JP, IE, SN) are left out on purpose: a stop there is a
 * connection, not a removal. Add a country when a removal there is reported.
 */
export const DEFAULT_DESTINATION_COUNTRIES = (
  'GT HN SV NI MX CO EC PE VE BR DO HT JM CU ' + 'CN IN VN LA UZ MR AO GH NG CD CM SS ER'
).split(' ');

export const classifySchema = z
  .strictObject({
    homeCountry: country.default('US').describe('the country removals leave from'),
    hubs: z.array(icao).default(DEFAULT_HUBS).describe('detention hubs: a domestic leg between two is a shuffle'),
    borderCities: z
      .array(z.strictObject({ name: z.string().min(1), airports: z.array(icao).min(1, 'needs at least one airport') }))
      .default(DEFAULT_BORDER_CITIES)
      .describe('border cities with their airports: a domestic leg to one is lateral'),
    destinationCountries: z
      .array(country)
      .default(DEFAULT_DESTINATION_COUNTRIES)
      .describe('countries of return: a leg from the home country landing in one is a removal; [] = any other'),
  })
  .prefault({});

export type ClassifyConfig = z.output<typeof classifySchema>;

// The classifier reads the parsed config as it is.
const fits: (c: ClassifyConfig) => ClassifyRules = (c) => c;
void fits;
