/** HTML part: inline styles and tables only (mail clients strip <style> and scripts). Every value is escaped. */
import type { AlertView } from './view';
import { escapeHtml as e } from './sanitize';
import { DISCLAIMER, OPERATIONAL_FOOTER } from './text';

export const MAP_CID = 'map@flightwatch';

export function renderHtml(v: AlertView, opts: { map: { width: number; height: number } | null }): string {
  const font = 'font-family:Arial,Helvetica,sans-serif;';
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
    ? `<p style="${font}font-size:14px;margin:14px 0">The aircraft on public maps: ${links}</p>\n`
    : '';
  const map = opts.map
    ? `<p style="margin:14px 0"><img src="cid:${MAP_CID}" width="${opts.map.width}" height="${opts.map.height}" alt="Map of the recent track and airports" style="max-width:100%;height:auto;border:1px solid #c5d6e4"></p>\n`
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${e(v.headline)}</title></head>
<body style="margin:0;padding:16px;background:#ffffff">
${banner}<h2 style="${font}font-size:18px;color:#1d2a33;margin:0 0 12px">${e(v.headline)}</h2>
${summary}<table role="presentation" cellspacing="0" cellpadding="0" style="border-collapse:collapse;font-size:14px">
${rows}
</table>
${map}${linkPara}<p style="${font}font-size:12px;color:#5b6770;margin:14px 0 0">Alert ${e(v.alertId)}<br>Event ${e(v.eventId)}<br>
flightwatch. ${e(v.operational ? OPERATIONAL_FOOTER : DISCLAIMER)}</p>
</body></html>
`;
}
