/**
 * The report as the groups read it: its tables in order, each row named for people (countries and airports by
 * name, categories in words) and carrying the legs filter its numbers link to. Markdown, CSV, HTML and the
 * digest are renderings of these sections, so a table is defined once.
 */
import type { CountRow, Report } from '../archive/report/report';
import { countryName } from '../alerting/channels/render/names';
import type { AirportNamer } from './airport-names';

/** The `/legs` query a number links to (the console contract): the period and what the row counts. */
export interface LegsFilter {
  period: string;
  category?: string;
  country?: string;
  airport?: string;
  operator?: string;
  confidence?: 'confirmed' | 'estimated';
}

export interface SectionRow extends CountRow {
  /** What people read: "Guatemala (GT)", "MGGT La Aurora International Airport, Guatemala". */
  name: string;
  /** Carriers: share of the period's removals, 0..1. */
  share?: number;
  /** The legs behind `legs`; absent when the key is unknown (no filter can select "unknown"). */
  filter?: LegsFilter;
}

export interface Section {
  id: 'categories' | 'countries' | 'airports' | 'carriers' | 'hubs' | 'transfers' | 'returns' | 'lateral';
  title: string;
  /** Header of the name column. */
  keyHeader: string;
  /** One sentence: what is counted. */
  note: string;
  rows: SectionRow[];
}

export interface SectionOptions {
  airports?: AirportNamer;
  /** Tables left out, e.g. carriers when public mode hides operators. */
  omit?: readonly Section['id'][];
}

export const CATEGORY_NAMES: Record<string, string> = {
  removal: 'Removals (to a country of return)',
  lateral: 'Lateral (to a border city)',
  shuffle: 'Domestic transfers (hub to hub)',
  connection: 'Connections (feeding a removal)',
  return: 'Returns and positioning',
  other: 'Other',
  unclassified: 'Not classified',
};

/** A report's label: "2026-11", "2026-W48", or its dates. */
export function periodLabel(r: Report): string {
  return r.period.label ?? `${r.period.from.slice(0, 10)}..${r.period.to.slice(0, 10)}`;
}

export function airportName(icao: string, airports?: AirportNamer): string {
  if (icao === 'unknown') return 'unknown airport';
  const a = airports?.(icao);
  return a ? `${icao} ${a.name}, ${countryName(a.country)}` : icao;
}

type Dimension = 'category' | 'country' | 'airport' | 'operator';

function rowsOf(
  rows: readonly CountRow[],
  name: (r: CountRow) => string,
  filter: (key: string) => Omit<LegsFilter, 'period'>,
  period: string,
  dimension: Dimension,
): SectionRow[] {
  return rows.map((r) => {
    const known = r.key !== 'unknown' && !(dimension === 'category' && r.key === 'unclassified');
    return { ...r, name: name(r), ...(known ? { filter: { period, ...filter(r.key) } } : {}) };
  });
}

/** The report's tables, in reading order. */
export function reportSections(r: Report, o: SectionOptions = {}): Section[] {
  const period = periodLabel(r);
  const airport = (x: CountRow) => airportName(x.key, o.airports);
  const byArrival = (category: string) => (key: string) => ({ category, airport: key });
  const sections: Section[] = [
    {
      id: 'categories',
      title: 'Flights by category',
      keyHeader: 'Category',
      note: 'Every leg counted once, in the category a reviewer set or, unreviewed, the one it was classified as.',
      rows: rowsOf(
        r.categories,
        (x) => CATEGORY_NAMES[x.key] ?? x.key,
        (k) => ({ category: k }),
        period,
        'category',
      ),
    },
    {
      id: 'countries',
      title: 'Removals by country of return',
      keyHeader: 'Country',
      note: 'International legs landing in a country of return.',
      rows: rowsOf(
        r.removalsByCountry,
        (x) => (x.key === 'unknown' ? 'unknown country' : `${countryName(x.key)} (${x.key})`),
        (k) => ({ category: 'removal', country: k }),
        period,
        'country',
      ),
    },
    {
      id: 'airports',
      title: 'Removals by arrival airport and city',
      keyHeader: 'Airport',
      note: 'Where the removal flights landed.',
      rows: rowsOf(r.removalsByAirport, airport, byArrival('removal'), period, 'airport'),
    },
    {
      id: 'carriers',
      title: "Carriers' shares of removals",
      keyHeader: 'Carrier',
      note: 'The operator the aircraft record names; "unknown" when the airframe has none.',
      rows: rowsOf(
        r.carrierShares,
        (x) => x.key,
        (k) => ({ category: 'removal', operator: k }),
        period,
        'operator',
      ).map((row, i) => ({ ...row, share: r.carrierShares[i]?.share ?? 0 })),
    },
    {
      id: 'hubs',
      title: 'Removals by departure hub',
      keyHeader: 'Departed from',
      note: 'The airport each removal flight took off from.',
      rows: rowsOf(r.hubs, airport, byArrival('removal'), period, 'airport'),
    },
    {
      id: 'transfers',
      title: 'Domestic transfers between hubs',
      keyHeader: 'Arrived at',
      note: 'Domestic legs between detention hubs (shuffles), by the hub they landed at.',
      rows: rowsOf(r.domesticTransfers, airport, byArrival('shuffle'), period, 'airport'),
    },
    {
      id: 'returns',
      title: 'Returns and positioning',
      keyHeader: 'Arrived at',
      note: 'Legs flown empty or home after a removal, by where they landed.',
      rows: rowsOf(r.returns, airport, byArrival('return'), period, 'airport'),
    },
    {
      id: 'lateral',
      title: 'Lateral flights to border cities',
      keyHeader: 'Arrived at',
      note: 'Domestic legs to a border city, from where people are expelled over land.',
      rows: rowsOf(
        r.lateral,
        (x) => (x.label ? `${x.label}: ${airport(x)}` : airport(x)),
        byArrival('lateral'),
        period,
        'airport',
      ),
    },
  ];
  return sections.filter((s) => !o.omit?.includes(s.id));
}

/** "+12 %", "−40 %", "new", "" (nothing before or after). */
export function change(perWeek: number, priorPerWeek: number): string {
  if (priorPerWeek === 0) return perWeek > 0 ? 'new' : '';
  const pct = Math.round(((perWeek - priorPerWeek) / priorPerWeek) * 100);
  return pct === 0 ? '±0 %' : `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`;
}

/** Removals in the period with the comparison: the one line a digest or a page opens with. */
export function headline(r: Report): string {
  const removals = r.categories.find((c) => c.key === 'removal');
  const legs = removals?.legs ?? 0;
  const perWeek = removals?.perWeek ?? 0;
  const prior = r.versusPriorSixWeeks.find((v) => v.category === 'removal')?.priorPerWeek ?? 0;
  const ch = change(perWeek, prior);
  return (
    `${legs} removal flight${legs === 1 ? '' : 's'} in ${periodLabel(r)} ` +
    `(${removals?.confirmed ?? 0} confirmed, ${removals?.estimated ?? 0} estimated): ${perWeek} a week ` +
    `against ${prior} a week in the six weeks before${ch ? ` (${ch})` : ''}.`
  );
}
