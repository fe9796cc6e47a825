/** Small renderers the pages share: times in UTC (the record's zone), ages, counts. */
import { html, type SafeHtml } from './html';

/** `<time>` with the ISO instant; shown as "2026-11-03 14:05 UTC". Missing → a dash. */
export function timeEl(value: string | number | null | undefined): SafeHtml {
  if (value === null || value === undefined || value === '') return html`<span class="none">—</span>`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return html`${value}`;
  const iso = d.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** "45 s", "12 min", "3 h", "2 d": how long ago, as people read it. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export const count = (n: number): string => n.toLocaleString('en-US');

/** A provenance source: a link when it is an http(s) URL (never javascript: or data:), else the text. */
export function sourceText(source: string | null | undefined): SafeHtml {
  if (!source) return html``;
  return /^https?:\/\/\S+$/i.test(source) ? html`<a href="${source}" rel="noreferrer">${source}</a>` : html`${source}`;
}

/** The category a leg counts as, with what the classifier said when a reviewer corrected or rejected it. */
export function countedAs(l: {
  category: string | null;
  counted_category?: string | null;
  review_state?: string | null;
}): SafeHtml {
  if (!l.category) return html`<span class="none">—</span>`;
  if (l.review_state === 'rejected') return html`<s>${l.category}</s> <span class="muted">(rejected)</span>`;
  if (l.counted_category && l.counted_category !== l.category)
    return html`${l.counted_category} <span class="muted">(classified ${l.category})</span>`;
  return html`${l.category}`;
}

/** A header cell: its label, or the label with a class (`num` right-aligns a column of figures). */
export type Column = string | { label: string; class: string };

/** A table's `<thead>`: one `<th scope="col">` per column, so screen readers announce each cell's column. */
export const tableHead = (columns: readonly Column[]): SafeHtml =>
  html`<thead>
    <tr>
      ${columns.map((c) =>
        typeof c === 'string'
          ? html`<th scope="col">${c}</th>`
          : html`<th scope="col" class="${c.class}">${c.label}</th>`,
      )}
    </tr>
  </thead>`;
