/**
 * The Report page (`/report?period=2026-11` or `2026-W48`): a period picker (a GET form, works without
 * JavaScript), the rendered report with every count linking to its legs, and downloads of the same report as
 * Markdown, CSV and JSON (`/report/download?period=…&format=…`, served by `reportDownload`). Without a period:
 * the month of `now`. Public mode that hides operators leaves the carriers table out.
 */
import { buildReport } from '../../archive/report/report';
import { parsePeriodLabel, periodLabelOf, PeriodError, type Period } from '../../archive/report/period';
import { legsPath, renderReport, renderReportHtml, type ReportFormat } from '../../reports';
import type { SectionOptions } from '../../reports/sections';
import type { ConsoleDeps } from '../deps';
import { html, raw } from '../html';
import type { Page, PageContext } from '../page';

const DOWNLOADS: readonly { format: Exclude<ReportFormat, 'html'>; label: string; type: string }[] = [
  { format: 'md', label: 'Markdown', type: 'text/markdown; charset=utf-8' },
  { format: 'csv', label: 'CSV', type: 'text/csv; charset=utf-8' },
  { format: 'json', label: 'JSON', type: 'application/json; charset=utf-8' },
];

async function sectionOptions(ctx: PageContext, deps: ConsoleDeps): Promise<SectionOptions> {
  const airports = await deps.airports();
  return { airports, ...(ctx.hiddenFields.has('operator') ? { omit: ['carriers'] } : {}) };
}

/** The period asked for, or the month of `now`; an error message instead of a period when it is not one. */
function periodOf(ctx: PageContext): { period: Period; error?: string } {
  const asked = ctx.query.get('period')?.trim();
  const fallback = parsePeriodLabel(periodLabelOf('month', ctx.now));
  if (!asked) return { period: fallback };
  try {
    return { period: parsePeriodLabel(asked) };
  } catch (e) {
    if (e instanceof PeriodError) return { period: fallback, error: e.message };
    throw e;
  }
}

/** The neighbouring period of the same kind (month or week). */
function shift(p: Period, by: 1 | -1): string {
  const label = p.label ?? '';
  if (label.includes('W')) return periodLabelOf('week', new Date(Date.parse(p.from) + by * 7 * 86_400_000));
  const d = new Date(p.from);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + by, 1)).toISOString().slice(0, 7);
}

const q = (period: string) => `/report?period=${encodeURIComponent(period)}`;

export const reportPage =
  (deps: ConsoleDeps): Page =>
  async (ctx) => {
    const { period, error } = periodOf(ctx);
    const label = period.label ?? '';
    const report = await buildReport(ctx.db, period);
    const body = renderReportHtml(report, { ...(await sectionOptions(ctx, deps)), legsHref: legsPath });
    const thisMonth = periodLabelOf('month', ctx.now);
    const thisWeek = periodLabelOf('week', ctx.now);
    const page = html`<h1>Report ${label}</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      <form method="get" action="/report" class="period-picker">
        <label for="report-period">Month (YYYY-MM) or ISO week (YYYY-Www)</label>
        <input id="report-period" name="period" value="${label}" pattern="\\d{4}-(\\d{2}|W\\d{2})" required />
        <button type="submit">Show</button>
      </form>
      <nav aria-label="Other periods" class="period-nav">
        <a href="${q(shift(period, -1))}">&larr; ${shift(period, -1)}</a> ·
        <a href="${q(thisMonth)}">this month (${thisMonth})</a> · <a href="${q(thisWeek)}">this week (${thisWeek})</a> ·
        <a href="${q(shift(period, 1))}">${shift(period, 1)} &rarr;</a>
      </nav>
      <p class="downloads">
        Download:
        ${DOWNLOADS.map(
          (d, i) =>
            html`${i ? ' · ' : ''}<a
                href="/report/download?period=${encodeURIComponent(label)}&amp;format=${d.format}"
                download="flightwatch-report-${label}.${d.format}"
                >${d.label}</a
              >`,
        )}
      </p>
      ${raw(body)}`;
    return { title: `Report ${label}`, body: page.toString() };
  };

export interface Download {
  status: number;
  contentType: string;
  filename: string;
  body: string;
}

/** `/report/download?period=…&format=md|csv|json`: the same report as a file (console-core mounts it). */
export async function reportDownload(ctx: PageContext, deps: ConsoleDeps): Promise<Download> {
  const format = DOWNLOADS.find((d) => d.format === ctx.query.get('format'));
  const { period, error } = periodOf(ctx);
  if (!format || error || !ctx.query.get('period'))
    return {
      status: 400,
      contentType: 'text/plain; charset=utf-8',
      filename: 'error.txt',
      body: `${error ?? (!format ? 'format must be one of md, csv, json' : 'period is required (YYYY-MM or YYYY-Www)')}\n`,
    };
  const report = await buildReport(ctx.db, period);
  return {
    status: 200,
    contentType: format.type,
    filename: `flightwatch-report-${period.label ?? 'period'}.${format.format}`,
    body: renderReport(report, format.format, await sectionOptions(ctx, deps)),
  };
}
