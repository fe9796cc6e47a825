/** The report as CSV: one row per table row (section, key, counts, rates), then the weekly removals. */
import type { Report } from '../archive/report/report';
import { csvField } from '../archive/export/format';
import { countryName } from '../alerting/channels/render/names';
import { airportName, periodLabel, reportSections, type SectionOptions } from './sections';

export const REPORT_CSV_COLUMNS = [
  'period',
  'section',
  'key',
  'name',
  'legs',
  'confirmed',
  'estimated',
  'reviewed',
  'share',
  'per_week',
  'prior_per_week',
] as const;

export function renderReportCsv(r: Report, o: SectionOptions = {}): string {
  const period = periodLabel(r);
  const line = (cells: unknown[]) => `${cells.map(csvField).join(',')}\r\n`;
  let out = line([...REPORT_CSV_COLUMNS]);
  for (const s of reportSections(r, o))
    for (const x of s.rows)
      out += line([
        period,
        s.id,
        x.key,
        x.name,
        x.legs,
        x.confirmed,
        x.estimated,
        x.reviewed,
        x.share ?? '',
        x.perWeek,
        x.priorPerWeek,
      ]);
  for (const w of r.removalsPerWeek)
    out += line([period, w.prior ? 'removals_per_week_prior' : 'removals_per_week', w.from, `${w.days} days`, w.legs]);
  out += line([period, 'rejected', '', 'rejected by a reviewer', r.rejected]);
  out += line([period, 'unreviewed', '', 'not yet reviewed', r.unreviewed]);
  return out;
}

/** The report as JSON: the counts as built, plus the names people read for airports and countries. */
export function renderReportJson(r: Report, o: SectionOptions = {}): string {
  const airports: Record<string, string> = {};
  for (const x of [...r.removalsByAirport, ...r.hubs, ...r.domesticTransfers, ...r.returns, ...r.lateral])
    if (x.key !== 'unknown') airports[x.key] = airportName(x.key, o.airports);
  const countries = Object.fromEntries(
    r.removalsByCountry.filter((x) => x.key !== 'unknown').map((x) => [x.key, countryName(x.key)]),
  );
  return `${JSON.stringify({ schema: 'flightwatch.report/v1', ...r, names: { airports, countries } }, null, 2)}\n`;
}
