/**
 * Watchlist: every entry of the config in effect with its provenance (note, source, date added), what it
 * matches, the legs it matched in the last 30 days and the aircraft it ever matched — and, apart, the
 * entries that never matched anything in the record (a typo in a hex, an airframe retired or re-registered).
 */
import type { ConsoleDeps, WatchEntryConfig } from '../deps';
import { html, type SafeHtml } from '../html';
import { count, sourceText, tableHead } from '../format';
import type { Page } from '../page';

const DAY = 86_400_000;

const ids = (s: string): string[] => {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

function tally(rows: { watch_ids: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) for (const id of ids(r.watch_ids)) out.set(id, (out.get(id) ?? 0) + 1);
  return out;
}

/** The match keys as one line: "hex a1b2c3, ae01ff · operators GlobalX". */
function matchSummary(w: WatchEntryConfig): string {
  return Object.entries(w.match)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');
}

function row(w: WatchEntryConfig, legs30: number, aircraft: number, showMatch: boolean): SafeHtml {
  return html`<tr>
    <td><code>${w.id}</code>${w.enabled ? '' : html` <span class="badge warn">disabled</span>`}</td>
    <td>${showMatch ? matchSummary(w) : html`<span class="hidden-field">hidden</span>`}</td>
    <td>${w.note ?? ''}</td>
    <td>${sourceText(w.source)}</td>
    <td>${w.added ?? ''}</td>
    <td>${w.tags.join(', ')}</td>
    <td class="num">${count(legs30)}</td>
    <td class="num">${count(aircraft)}</td>
  </tr>`;
}

const HEAD = tableHead([
  'Entry',
  'Matches',
  'Note',
  'Source',
  'Added',
  'Tags',
  { label: 'Legs, 30 days', class: 'num' },
  { label: 'Aircraft ever', class: 'num' },
]);

export const watchlistPage =
  (deps: ConsoleDeps): Page =>
  async (ctx) => {
    const since = new Date(ctx.now.getTime() - 30 * DAY).toISOString();
    const recent = await ctx.db
      .selectFrom('legs')
      .select('watch_ids')
      .where((eb) => eb.or([eb('departed_at', '>=', since), eb('arrived_at', '>=', since)]))
      .execute();
    const aircraft = await ctx.db.selectFrom('aircraft').select('watch_ids').execute();
    const legs30 = tally(recent);
    const ever = tally(aircraft);
    const entries = deps.watch();
    // The match keys name airframes (hex, registration): hidden with them in the public view.
    const showMatch = !ctx.hiddenFields.has('registration') && !ctx.hiddenFields.has('hex');
    const never = entries.filter((w) => !ever.get(w.id));
    const body = html`<p class="lead">
        ${count(entries.length)} entries in the config in effect; ${count(never.length)} never matched an aircraft in
        the record.
      </p>
      <table>
        <caption>
          Watch entries
        </caption>
        ${HEAD}
        <tbody>
          ${entries.map((w) => row(w, legs30.get(w.id) ?? 0, ever.get(w.id) ?? 0, showMatch))}
        </tbody>
      </table>
      <h2>Never matched</h2>
      ${
        never.length
          ? html`<table>
              <caption>
                Entries with no aircraft in the record
              </caption>
              ${HEAD}
              <tbody>
                ${never.map((w) => row(w, 0, 0, showMatch))}
              </tbody>
            </table>`
          : html`<p class="muted">Every entry matched at least one aircraft.</p>`
      }`;
    return { title: 'Watchlist', body: body.toString() };
  };
