/**
 * A report digest's content, rendered once when it is scheduled: the e-mail's HTML (tables, the weekly chart as
 * an inline image), the Markdown, and summary lines that chat channels cut to their length limits (most
 * important first, so what a limit drops is the detail). Pure.
 */
import type { Report } from '../archive/report/report';
import { DIGEST_CHART_CID } from '../alerting/channels/render/digest';
import type { OperationalFacts } from '../domain/event';
import { escapeHtml } from '../alerting/channels/render/sanitize';
import { weeklyRemovalsChart } from './charts';
import { renderReportHtml } from './html';
import { renderReportMarkdown } from './markdown';
import { change, headline, periodLabel, reportSections, type LegsFilter, type SectionOptions } from './sections';

export interface DigestContent {
  summary: string;
  facts: OperationalFacts['report-digest'];
}

const top = (rows: readonly { name: string; legs: number }[], n: number) =>
  rows
    .slice(0, n)
    .map((r) => `${r.name} ${r.legs}`)
    .join(', ') + (rows.length > n ? `, ${rows.length - n} more` : '');

export function digestContent(
  r: Report,
  o: SectionOptions & { legsHref?: (f: LegsFilter) => string | undefined } = {},
): DigestContent {
  const label = periodLabel(r);
  const sections = new Map(reportSections(r, o).map((s) => [s.id, s]));
  const cat = (key: string) => r.categories.find((c) => c.key === key);
  const total = (key: string, title: string) => {
    const c = cat(key);
    const v = r.versusPriorSixWeeks.find((x) => x.category === key);
    const ch = change(v?.perWeek ?? 0, v?.priorPerWeek ?? 0);
    return {
      label: title,
      value: `${c?.legs ?? 0} (${c?.confirmed ?? 0} confirmed, ${c?.estimated ?? 0} estimated); ${v?.perWeek ?? 0} a week, six weeks before ${v?.priorPerWeek ?? 0}${ch ? ` (${ch})` : ''}`,
    };
  };
  const rows = (id: Parameters<typeof sections.get>[0]) => sections.get(id)?.rows ?? [];
  const lines = [
    total('removal', 'Removals'),
    { label: 'Countries of return', value: top(rows('countries'), 6) || 'none' },
    { label: 'Arrival airports', value: top(rows('airports'), 3) || 'none' },
    ...(sections.has('carriers')
      ? [
          {
            label: 'Carriers',
            value:
              r.carrierShares
                .slice(0, 5)
                .map((c) => `${c.operator} ${Math.round(c.share * 100)} %`)
                .join(', ') || 'none',
          },
        ]
      : []),
    { label: 'Departure hubs', value: top(rows('hubs'), 4) || 'none' },
    total('shuffle', 'Domestic transfers'),
    total('lateral', 'Lateral flights'),
    total('return', 'Returns and positioning'),
    { label: 'Review', value: `${r.rejected} rejected (not counted), ${r.unreviewed} not yet reviewed` },
  ];
  const chart = weeklyRemovalsChart(r, { id: 'digest-weekly' });
  const html = renderReportHtml(r, {
    ...o,
    legsHref: o.legsHref ?? (() => undefined),
    idPrefix: 'digest',
    // E-mail: the weekly chart as the attached PNG; the other charts' numbers are in the tables below them.
    chartHtml: (c) =>
      c.svg === chart.svg || c.alt === chart.alt
        ? `<img src="cid:${DIGEST_CHART_CID}" width="${c.width}" height="${c.height}" alt="${escapeHtml(c.alt)}" style="max-width:100%;height:auto">`
        : '',
  });
  const title = `Flight report ${label}`;
  return {
    summary: headline(r),
    facts: {
      period: label,
      title,
      lines,
      markdown: renderReportMarkdown(r, o),
      html,
      chartSvg: chart.svg,
      chartAlt: chart.alt,
    },
  };
}
