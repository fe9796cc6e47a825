/** Helpers the Now, Trips, Trip and Legs pages share: aircraft names (public mode hides fields), tags, links. */
import type { PageContext } from '../page';
import { html, type SafeHtml } from '../html';
import { isHidden } from '../hide';

/** What people call an airframe: its registration (unless hidden), else the callsign (unless hidden), else the hex. */
export function aircraftName(
  ctx: Pick<PageContext, 'hiddenFields'>,
  a: { hex: string; registration?: string | null; callsign?: string | null },
): string {
  const reg = isHidden(ctx, 'registration') ? null : a.registration;
  const call = isHidden(ctx, 'callsign') ? null : a.callsign;
  return reg || call || (isHidden(ctx, 'hex') ? 'hidden' : a.hex);
}

/** A link to the aircraft page, named as above. */
export const aircraftLink = (
  ctx: Pick<PageContext, 'hiddenFields'>,
  a: { hex: string; registration?: string | null; callsign?: string | null },
): SafeHtml =>
  // With the hex hidden the link would show it in the address: the name alone.
  isHidden(ctx, 'hex')
    ? html`${aircraftName(ctx, a)}`
    : html`<a href="/aircraft/${encodeURIComponent(a.hex)}">${aircraftName(ctx, a)}</a>`;

/** The ICAO type designator unless public mode hides it. */
export const typeCode = (ctx: Pick<PageContext, 'hiddenFields'>, t: string | null | undefined): string =>
  isHidden(ctx, 'type') ? '' : (t ?? '');

/** A category, confidence or review state as a badge (the stylesheet colours it by kind and value). */
export const tag = (kind: string, value: string | null | undefined): SafeHtml =>
  value ? html`<span class="badge ${kind}-${value.replace(/[^a-z-]/g, '')}">${value}</span> ` : html``;

/** A query string from the fields that have a value (links that keep the current filter). */
export function queryString(fields: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** "2026-11-03 14:05 UTC" as plain text (map titles; HTML uses timeEl). */
export const utcMinute = (iso: string | null | undefined): string =>
  iso && Number.isFinite(Date.parse(iso)) ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
