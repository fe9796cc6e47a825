/**
 * The outbox's readable side: file names a person can scan (time, event, aircraft) and an index.html listing
 * the alerts newest first, so the folder opens in a browser. Names are pure functions of the alert (every
 * retry and replica writes the same files); the index is built from the names alone (no file is read back),
 * so a rebuild costs one directory listing.
 */
import { createHash } from 'node:crypto';
import type { Alert } from '../channel';
import { escapeHtml } from './render/sanitize';

/** The index lists at most this many alerts (the newest); the folder keeps them all. */
export const INDEX_MAX_ROWS = 2000;
const PART_MAX = { what: 40, who: 16 };
const HASH_CHARS = 10;

/** Letters, digits and "-" only: portable to every file system, nothing to quote in a URL or HTML. */
const safe = (s: string, max: number) =>
  s
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, max)
    .replace(/-$/, '') || 'unknown';

/** 2026-11-27T19:02:15.000Z → 2026-11-27T19-02-15Z (sorts as time does; no ":" for Windows shares). */
function stamp(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '0000-00-00T00-00-00Z';
  return new Date(t)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/**
 * `2026-11-27T19-02-15Z_landing_N917XA_3f9a1c2b7d`: event time, event type (operational-<kind> for
 * operational alerts), the aircraft's registration, callsign or hex, and a hash of the alert id, so two
 * alerts never share a name. At most ~90 characters whatever the input.
 */
export function outboxStem(alert: Alert): string {
  const hash = createHash('sha256').update(alert.id).digest('hex').slice(0, HASH_CHARS);
  const what = alert.operational ? `operational-${alert.event.details.operational.kind}` : alert.event.type;
  const a = alert.operational ? undefined : alert.event.aircraft;
  const who = a && (a.registration || a.callsign || a.hex);
  return [stamp(alert.event.time), safe(what, PART_MAX.what), ...(who ? [safe(who, PART_MAX.who)] : []), hash].join(
    '_',
  );
}

export interface IndexRow {
  stem: string;
  time: string;
  what: string;
  who?: string;
}

const STEM = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ)_([A-Za-z0-9-]+)(?:_([A-Za-z0-9-]+))?_([0-9a-f]{10})$/;

/** The alerts in a folder listing: stems with both their .eml and .json, newest first. */
export function indexRows(files: readonly string[]): IndexRow[] {
  const names = new Set(files);
  const rows: IndexRow[] = [];
  for (const f of files) {
    if (!f.endsWith('.json')) continue;
    const stem = f.slice(0, -'.json'.length);
    const m = STEM.exec(stem);
    if (!m || !names.has(`${stem}.eml`)) continue;
    const [, t = '', what = '', who] = m;
    const time = `${t.slice(0, 10)} ${t.slice(11, 19).replace(/-/g, ':')} UTC`;
    rows.push({ stem, time, what, ...(who ? { who } : {}) });
  }
  return rows.sort((x, y) => (x.stem < y.stem ? 1 : x.stem > y.stem ? -1 : 0));
}

/** index.html: a plain table, every value escaped, no script; links are relative so the folder can move. */
export function renderIndex(rows: readonly IndexRow[], generatedAt: Date): string {
  const shown = rows.slice(0, INDEX_MAX_ROWS);
  const e = (s: string) => escapeHtml(s);
  const link = (file: string, label: string) => `<a href="${e(encodeURIComponent(file))}">${label}</a>`;
  const body = shown
    .map(
      (r) =>
        `<tr><td>${e(r.time)}</td><td>${e(r.what.replace(/-/g, ' '))}</td><td>${e(r.who ?? '')}</td>` +
        `<td>${link(`${r.stem}.eml`, 'e-mail')} · ${link(`${r.stem}.json`, 'JSON')}</td></tr>`,
    )
    .join('\n');
  const more =
    rows.length > shown.length
      ? `<p>${rows.length - shown.length} older alerts are in this folder but not listed here.</p>\n`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flightwatch outbox</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>
<h1>flightwatch outbox</h1>
<p>${rows.length === 1 ? '1 alert' : `${rows.length} alerts`}, newest first (times UTC). Updated ${e(generatedAt.toISOString())}.
Open the e-mail (.eml) in any mail client; the JSON is the webhook body.</p>
${more}<table>
<thead><tr><th>time</th><th>event</th><th>aircraft</th><th>files</th></tr></thead>
<tbody>
${body}
</tbody></table>
</body></html>
`;
}
