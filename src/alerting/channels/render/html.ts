/** HTML part: inline styles and tables only (mail clients strip <style> and scripts). Every value is escaped. */
import type { AlertView } from './view';
import { escapeHtml as e } from './sanitize';
import { DISCLAIMER, OPERATIONAL_FOOTER, whyLines } from './text';

export const MAP_CID = 'map@flightwatch';

const font = 'font-family:Arial,Helvetica,sans-serif;';
const LEVEL_COLOURS: Record<string, string> = {
  observed: '#1e6b34',
  inferred: '#8a5a00',
  predicted: '#1b4965',
  test: '#6b6b6b',
};

function certainty(v: AlertView): string {
  if (!v.certainty) return '';
  const c = LEVEL_COLOURS[v.certainty.level] ?? '#1d2a33';
  return (
    `<p style="${font}font-size:14px;margin:0 0 12px"><span style="background:${c};color:#ffffff;padding:2px 6px;border-radius:3px;font-weight:bold">${e(v.certainty.level.toUpperCase())}</span> ` +
    `<span style="color:#1d2a33">${e(v.certainty.reason)}</span></p>\n`
  );
}

function legs(v: AlertView): string {
  if (!v.legs?.length) return '';
  const th = `${font}text-align:left;padding:4px 10px 4px 0;color:#5b6770;font-weight:normal;border-bottom:1px solid #c5d6e4`;
  const td = `${font}padding:4px 10px 4px 0;color:#1d2a33;vertical-align:top`;
  const body = v.legs
    .map(
      (l) =>
        `<tr><td style="${td}">${l.n}</td><td style="${td}">${e(l.from)}</td><td style="${td}">${e(l.to)}</td>` +
        `<td style="${td};white-space:nowrap">${e(l.departed)}</td><td style="${td};white-space:nowrap">${e(l.arrived)}</td><td style="${td}">${e(l.note)}</td></tr>`,
    )
    .join('\n');
  return (
    `<h3 style="${font}font-size:15px;color:#1d2a33;margin:16px 0 6px">The trip so far</h3>\n` +
    `<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;font-size:13px">\n` +
    `<tr><th style="${th}">#</th><th style="${th}">From</th><th style="${th}">To</th><th style="${th}">Departed</th><th style="${th}">Arrived</th><th style="${th}"></th></tr>\n${body}\n</table>\n`
  );
}

function why(v: AlertView): string {
  const lines = whyLines(v);
  if (!lines.length) return '';
  return (
    `<h3 style="${font}font-size:15px;color:#1d2a33;margin:16px 0 6px">Why this aircraft is watched</h3>\n` +
    `<ul style="${font}font-size:14px;color:#1d2a33;margin:0;padding-left:20px">${lines.map((l) => `<li>${e(l)}</li>`).join('')}</ul>\n`
  );
}

export function renderHtml(v: AlertView, opts: { map: { width: number; height: number } | null }): string {
  const rows = v.rows
    .map(
      (r) =>
        `<tr><td style="${font}padding:3px 12px 3px 0;color:#5b6770;vertical-align:top;white-space:nowrap">${e(r.label)}</td>` +
        `<td style="${font}padding:3px 0;color:#1d2a33">${e(r.value)}</td></tr>`,
    )
    .join('\n');
  const links = v.links.map((l) => `<a href="${e(l.href)}" style="color:#1b4965">${e(l.label)}</a>`).join(' &middot; ');
  const banner = v.synthetic
    ? `<p style="${font}background:#fff3cd;border:1px solid #e0c36c;padding:8px;margin:0 0 12px">TEST ALERT: synthetic data, no aircraft was detected.</p>\n`
    : '';
  const summary = v.summary
    ? `<p style="${font}font-size:15px;color:#1d2a33;margin:0 0 12px">${e(v.summary)}</p>\n`
    : '';
  const linkPara = v.links.length
    ? `<p style="${font}font-size:14px;margin:14px 0">Check it on public maps (they open at the time of the event): ${links}</p>\n`
    : '';
  const map = opts.map
    ? `<p style="margin:14px 0"><img src="cid:${MAP_CID}" width="${opts.map.width}" height="${opts.map.height}" alt="Map of the recent track and airports" style="max-width:100%;height:auto;border:1px solid #c5d6e4"></p>\n`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${e(v.headline)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff;max-width:760px">
${banner}<h2 style="${font}font-size:18px;color:#1d2a33;margin:0 0 12px">${e(v.headline)}</h2>
${summary}${certainty(v)}<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;font-size:14px">
${rows}
</table>
${legs(v)}${why(v)}${map}${linkPara}<p style="${font}font-size:12px;color:#5b6770;margin:14px 0 0">Alert ${e(v.alertId)}<br>${v.operational || v.synthetic ? 'Event' : 'Evidence id'} ${e(v.eventId)}<br>
flightwatch. ${e(v.operational && !v.digest ? OPERATIONAL_FOOTER : DISCLAIMER)}</p>
</body></html>
`;
}
