/** Small formatting helpers the console's pages share: times, aircraft names (public mode hides fields). */
import type { PageContext } from '../page';
import { html, type SafeHtml } from '../html';

/** "2025-03-04 12:30 UTC"; an em dash for no time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC` : iso.slice(0, 40);
}

/** A value unless public mode hides its field (`hiddenFields` from the config). */
export const shown = (ctx: Pick<PageContext, 'hiddenFields'>, field: string, value: string | null | undefined) =>
  ctx.hiddenFields.has(field) ? null : (value ?? null);

/** What people call an airframe: its registration (unless hidden), else the callsign, else the hex. */
export function aircraftName(
  ctx: Pick<PageContext, 'hiddenFields'>,
  a: { hex: string; registration?: string | null; callsign?: string | null },
): string {
  return shown(ctx, 'registration', a.registration) || shown(ctx, 'callsign', a.callsign) || a.hex;
}

/** A link to the aircraft page, named as above. */
export const aircraftLink = (
  ctx: Pick<PageContext, 'hiddenFields'>,
  a: { hex: string; registration?: string | null; callsign?: string | null },
): SafeHtml => html`<a href="/aircraft/${encodeURIComponent(a.hex)}">${aircraftName(ctx, a)}</a>`;

/** A category, confidence or review state as a small labelled tag (the CSS colours it by class). */
export const tag = (kind: string, value: string | null | undefined): SafeHtml =>
  value ? html`<span class="tag ${kind}-${value.replace(/[^a-z-]/g, '')}">${value}</span>` : html``;

/** A query string from the fields that have a value (links that keep the current filter). */
export function queryString(fields: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
