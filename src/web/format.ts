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
