/**
 * The e-mail of a report digest (operational kind `report-digest`): the report's HTML as the reports layer
 * rendered it (tables, escaped), its Markdown as the text part, and the weekly chart as an inline PNG whose
 * alt text says the chart's numbers. Nothing here reads the archive: the job carries what the period showed.
 */
import type { SendMailOptions } from 'nodemailer';
import type { OperationalFacts } from '../../../domain/event';
import type { Logger } from '../../../util/log';
import { svgToPng } from './png';
import { escapeHtml as e } from './sanitize';

export const DIGEST_CHART_CID = 'report-chart@flightwatch';

export type DigestFacts = OperationalFacts['report-digest'] & { summary: string };

const FOOTER =
  'flightwatch report digest. Counts from public ADS-B data as classified and reviewed in the flight record; ' +
  'estimated flights were not observed end to end. Check the legs before citing a number.';

export function digestParts(
  f: DigestFacts,
  o: { log: Logger; alertId: string },
): Pick<SendMailOptions, 'text' | 'html' | 'attachments'> {
  let png: Buffer | null = null;
  if (f.chartSvg)
    try {
      png = svgToPng(f.chartSvg);
    } catch (err) {
      o.log.warn({ err, alertId: o.alertId }, 'chart rendering failed; sending the digest without it');
    }
  const body = png ? (f.html ?? '') : (f.html ?? '').replace(/<img src="cid:[^"]*"[^>]*>/g, '');
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(f.title ?? 'Flight report')}</title></head>` +
    `<body style="margin:0;padding:16px;background:#ffffff;color:#1b2a33;font-family:Arial,Helvetica,sans-serif">` +
    `<div style="max-width:780px;margin:0 auto">` +
    `<h1 style="font-size:21px;margin:0 0 8px">${e(f.title ?? 'Flight report')}</h1>\n${body}\n` +
    `<p style="font-size:12px;color:#5b6770;margin:18px 0 0">${e(FOOTER)}</p></div></body></html>`;
  return {
    text: `${f.markdown ?? f.summary}\n\n-- ${FOOTER}\n`,
    html,
    attachments: png
      ? [
          {
            filename: 'removals-per-week.png',
            content: png,
            contentType: 'image/png',
            cid: DIGEST_CHART_CID,
            contentDisposition: 'inline',
          },
        ]
      : [],
  };
}
