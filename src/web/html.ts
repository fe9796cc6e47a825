/**
 * HTML for the console: every value from data is escaped (a `<script>` in an operator name arrives as text).
 * `html` is a tagged template that escapes each interpolation unless it is already HTML — the result of
 * another `html` or of `raw()` — so fragments nest without double escaping:
 *
 *   html`<td>${leg.callsign}</td>`                         callsign escaped
 *   html`<ul>${legs.map((l) => html`<li>${l.hex}</li>`)}</ul>`  arrays joined, items kept as HTML
 *   html`${cond && html`<b>x</b>`}`                        null, undefined and false render as nothing
 *
 * A page's `body` is a string: `String(html`...`)` or `.toString()`.
 */
import { escapeHtml as escapePrintable } from '../alerting/channels/render/sanitize';

/** HTML that is already safe: made by `html` or `raw`, inserted as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML text and quoted attributes; null and undefined become the empty string. */
export const escapeHtml = (s: unknown): string => {
  if (s instanceof SafeHtml) return escapePrintable(s.value);
  if (s === null || s === undefined) return '';
  if (typeof s === 'string' || typeof s === 'number' || typeof s === 'boolean') return escapePrintable(s);
  if (s instanceof Date) return escapePrintable(s.toISOString());
  if (typeof s === 'bigint') return s.toString();
  // Objects have no meaningful text: JSON shows what they hold rather than [object Object].
  return escapePrintable(JSON.stringify(s) ?? '');
};

/** Marks a string as trusted HTML (markup the code wrote, an SVG rendered with escaped text). */
export const raw = (s: string): SafeHtml => new SafeHtml(s);

function fragment(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** Tagged template: literal parts kept, interpolations escaped unless SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += fragment(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}
