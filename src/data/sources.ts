/** The reference tables `flightwatch data update` downloads: where from, what they must look like. */
import { parseOpenFlightsAirports } from './formats/openflights';
import { parseOurAirports, parseOurAirportsCountries, parseOurRunways } from './formats/ourairports';
import { validateVrsAircraft } from './formats/vrs-aircraft';
import { parseVrsAirports } from './formats/vrs-airports';

export type TableId = 'vrs-airports' | 'vrs-aircraft' | 'ourairports-airports' | 'ourairports-countries' | 'openflights-airports' | 'ourairports-runways';

export interface TableSpec {
  id: TableId;
  /** File name in the data dir, and under a `--from` base URL. */
  file: string;
  /** Public URL; undefined where upstream publishes no single file (then only `--from`/`--url` fetch it). */
  defaultUrl?: string;
  /** A failed required table aborts the update; a failed optional one keeps its previous copy. */
  required: boolean;
  /** Fewer rows than this means a truncated or wrong download. */
  minRows: number;
  licence: string;
  /** Parses every row (throws DataError naming file and line); returns the row count. */
  validate(text: string, source: string): number;
}

export const TABLES: readonly TableSpec[] = [
  {
    id: 'vrs-airports',
    file: 'vrs-airports.csv',
    defaultUrl: 'https://vrs-standing-data.adsb.lol/airports.csv.gz',
    required: true,
    minRows: 20_000,
    licence: 'CC0 1.0 (VRS standing data)',
    validate: (t, s) => parseVrsAirports(t, s).length,
  },
  {
    id: 'ourairports-countries',
    file: 'ourairports-countries.csv',
    defaultUrl: 'https://davidmegginson.github.io/ourairports-data/countries.csv',
    required: true,
    minRows: 200,
    licence: 'Public domain (OurAirports)',
    validate: (t, s) => parseOurAirportsCountries(t, s).size,
  },
  {
    id: 'ourairports-airports',
    file: 'ourairports-airports.csv',
    defaultUrl: 'https://davidmegginson.github.io/ourairports-data/airports.csv',
    required: false,
    minRows: 40_000,
    licence: 'Public domain (OurAirports)',
    validate: (t, s) => parseOurAirports(t, s).length,
  },
  {
    id: 'ourairports-runways',
    file: 'ourairports-runways.csv',
    defaultUrl: 'https://davidmegginson.github.io/ourairports-data/runways.csv',
    required: false,
    minRows: 30_000,
    licence: 'Public domain (OurAirports)',
    validate: (t, s) => parseOurRunways(t, s).length,
  },
  {
    id: 'openflights-airports',
    file: 'openflights-airports.dat',
    defaultUrl: 'https://raw.githubusercontent.com/jpatokal/openflights/master/data/airports.dat',
    required: false,
    minRows: 5_000,
    licence: 'ODbL 1.0 (OpenFlights; attribution required)',
    validate: (t, s) => parseOpenFlightsAirports(t, s).length,
  },
  {
    id: 'vrs-aircraft',
    file: 'vrs-aircraft.csv',
    // VRS publishes aircraft only as ~665 per-prefix files in its GitHub repository; no single-file URL.
    defaultUrl: undefined,
    required: false,
    minRows: 1_000,
    licence: 'CC0 1.0 (VRS standing data)',
    validate: validateVrsAircraft,
  },
];

export function tableSpec(id: string): TableSpec | undefined {
  return TABLES.find((t) => t.id === id);
}
