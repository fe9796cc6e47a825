/**
 * Everything that reaches an e-mail or SVG from an API (callsign, registration, operator, airport names,
 * details) passes through one of these. Headers: a CR/LF in a callsign must never start a new header line.
 * HTML/SVG: a `<script>` in an operator name must arrive as text.
 */

// C0/C1 controls, DEL, and the Unicode line/paragraph separators some clients treat as newlines.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** What these functions render: text and numbers from APIs and events; null and undefined as nothing. */
export type Printable = string | number | boolean | null | undefined;

/** One line, controls replaced by a space, whitespace collapsed, at most `max` characters (… when cut). */
export function oneLine(value: Printable, max = 200): string {
  const s = String(value ?? '')
    .replace(CONTROLS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

/** For header fields (Subject, X-…): one line and short, so no folding tricks and no injection. */
export function headerText(value: Printable, max = 120): string {
  return oneLine(value, max);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes for HTML text and double- or single-quoted attributes (also valid XML, so SVG uses it too). */
export function escapeHtml(value: Printable): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
