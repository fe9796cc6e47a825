/**
 * The report as an HTML fragment (no <html> wrapper): the console's Report page and the digest e-mail. Every
 * value from data is escaped; every count links to its legs through `legsHref` (the console's `/legs?…`, or an
 * absolute URL in an e-mail; no link when it returns undefined). Styles are inline so an e-mail client shows
 * the same tables as the browser.
 */
import type { Report } from '../archive/report/report';
import { escapeHtml as e } from '../alerting/channels/render/sanitize';
import { reportCharts, type Chart } from './charts';
import { change, headline, periodLabel, reportSections, type LegsFilter, type SectionOptions } from './sections';

export interface ReportHtmlOptions extends SectionOptions {
  legsHref: (filter: LegsFilter) => string | undefined;
  /** How a chart is placed: inline SVG by default; an e-mail gives an <img> of its PNG. */
  chartHtml?: (chart: Chart) => string;
  /** Prefix of the charts' element ids, unique on the page. */
  idPrefix?: string;
}

/** `/legs?period=…&category=…` in the contract's order; values URL-encoded. */
export function legsPath(f: LegsFilter): string {
  const q = new URLSearchParams();
  for (const k of ['period', 'category', 'country', 'airport', 'operator', 'confidence'] as const) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  return `/legs?${q.toString()}`;
}

const TABLE = 'border-collapse:collapse;width:100%;max-width:760px;font-size:14px;margin:6px 0 4px';
const TH = 'text-align:left;border-bottom:2px solid #c9d1d6;padding:4px 8px;font-weight:600';
const THN = `${TH};text-align:right`;
const TD = 'border-bottom:1px solid #e3e7ea;padding:4px 8px;vertical-align:top';
const TDN = `${TD};text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap`;
const LINK = 'color:#1f4e79';
const NOTE = 'color:#5b6770;font-size:13px;margin:2px 0 6px';

function count(n: number, filter: LegsFilter | undefined, o: ReportHtmlOptions, what: string): string {
  const href = filter ? o.legsHref(filter) : undefined;
  if (!href || n === 0) return String(n);
  return `<a style="${LINK}" href="${e(href)}" title="${e(`the ${n} ${what}`)}">${n}</a>`;
}

export function renderReportHtml(r: Report, o: ReportHtmlOptions): string {
  const label = periodLabel(r);
  const charts = reportCharts(r, { ...o, idPrefix: o.idPrefix ?? 'report-chart' });
  const place = o.chartHtml ?? ((c: Chart) => c.svg);
  const parts: string[] = [
    `<section class="report" aria-label="${e(`Report ${label}`)}">`,
    `<p style="font-size:16px;margin:4px 0 4px">${e(headline(r))}</p>`,
    `<p style="${NOTE}">${e(`${r.period.from.slice(0, 10)} to ${r.period.to.slice(0, 10)} (UTC, by departure time), against the six weeks from ${r.prior.from.slice(0, 10)}. Rejected by a reviewer, not counted: ${r.rejected}. Not yet reviewed: ${r.unreviewed}.`)}</p>`,
    `<figure style="margin:10px 0">${place(charts.weekly)}</figure>`,
  ];
  for (const s of reportSections(r, o)) {
    const share = s.id === 'carriers';
    parts.push(`<h2 id="${e(`report-${s.id}`)}" style="font-size:17px;margin:20px 0 2px">${e(s.title)}</h2>`);
    parts.push(`<p style="${NOTE}">${e(s.note)}</p>`);
    const chart = s.id === 'countries' ? charts.countries : share ? charts.carriers : undefined;
    if (chart) parts.push(`<figure style="margin:6px 0">${place(chart)}</figure>`);
    if (!s.rows.length) {
      parts.push(`<p style="margin:4px 0">None in this period.</p>`);
      continue;
    }
    parts.push(
      `<table style="${TABLE}"><thead><tr><th scope="col" style="${TH}">${e(s.keyHeader)}</th>` +
        `<th scope="col" style="${THN}">Flights</th><th scope="col" style="${THN}">Confirmed</th>` +
        `<th scope="col" style="${THN}">Estimated</th><th scope="col" style="${THN}">Reviewed</th>` +
        (share ? `<th scope="col" style="${THN}">Share</th>` : '') +
        `<th scope="col" style="${THN}">Per week</th><th scope="col" style="${THN}">Six weeks before</th>` +
        `<th scope="col" style="${THN}">Change</th></tr></thead><tbody>`,
    );
    for (const x of s.rows) {
      const f = x.filter;
      parts.push(
        `<tr><th scope="row" style="${TD};text-align:left;font-weight:normal">${e(x.name)}</th>` +
          `<td style="${TDN}">${count(x.legs, f, o, 'flights')}</td>` +
          `<td style="${TDN}">${count(x.confirmed, f && { ...f, confidence: 'confirmed' }, o, 'confirmed flights')}</td>` +
          `<td style="${TDN}">${count(x.estimated, f && { ...f, confidence: 'estimated' }, o, 'estimated flights')}</td>` +
          `<td style="${TDN}">${x.reviewed}</td>` +
          (share ? `<td style="${TDN}">${Math.round((x.share ?? 0) * 100)} %</td>` : '') +
          `<td style="${TDN}">${x.perWeek}</td><td style="${TDN}">${x.priorPerWeek}</td>` +
          `<td style="${TDN}">${e(change(x.perWeek, x.priorPerWeek))}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  parts.push('</section>');
  return parts.join('\n');
}
