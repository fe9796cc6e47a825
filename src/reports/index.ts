/** The groups' report rendered: one entry point per format, so the CLI, the console and digests share them. */
import type { Report } from '../archive/report/report';
import { renderReportCsv, renderReportJson } from './csv';
import { renderReportHtml, legsPath } from './html';
import { renderReportMarkdown } from './markdown';
import { escapeHtml } from '../alerting/channels/render/sanitize';
import type { SectionOptions } from './sections';

export const REPORT_FORMATS = ['md', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (f: string): f is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(f);

/** A format's text; html is a standalone document here (the console wraps the fragment in its layout). */
export function renderReport(r: Report, format: ReportFormat, o: SectionOptions = {}): string {
  if (format === 'md') return renderReportMarkdown(r, o);
  if (format === 'csv') return renderReportCsv(r, o);
  if (format === 'json') return renderReportJson(r, o);
  const body = renderReportHtml(r, { ...o, legsHref: () => undefined });
  const title = `Flight report ${r.period.label ?? r.period.from.slice(0, 10)}`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
    `<body style="font-family:DejaVu Sans,Arial,Helvetica,sans-serif;color:#1b2a33;margin:16px auto;max-width:800px;padding:0 12px">` +
    `<h1 style="font-size:22px">${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`
  );
}

export { renderReportCsv, renderReportJson, renderReportHtml, renderReportMarkdown, legsPath };
export { reportCharts, type Chart } from './charts';
export { loadAirportNamer, type AirportNamer } from './airport-names';
export type { LegsFilter } from './sections';
