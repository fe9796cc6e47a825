/**
 * The view model cut to chat size: the headline, how sure, the facts that matter on a phone, the legs, why
 * the aircraft is watched, one map link. Each platform renderer escapes these parts for its markup and fits
 * them to its limit by dropping whole lines from the end (never cutting inside markup), the headline last.
 */
import type { Alert } from '../../channel';
import { alertView, type AlertView, type ViewContext } from '../render/view';
import { certaintyLine, DISCLAIMER, whyLines } from '../render/text';
import { oneLine } from '../render/sanitize';

/** Fields a public channel may leave out (config `hide`). */
export const HIDEABLE = ['operator', 'callsign', 'position', 'watch', 'links', 'map'] as const;
export type Hideable = (typeof HIDEABLE)[number];

const ROW_OF: Partial<Record<Hideable, string[]>> = {
  operator: ['Operator'],
  callsign: ['Callsign'],
  position: ['Position'],
};

/** Rows worth a phone screen, in this order (the e-mail has them all). */
const CHAT_ROWS = [
  'Aircraft',
  'Continues',
  'Callsign',
  'Operator',
  'Airport',
  'Predicted airport',
  'Expected arrival',
  'Probability',
  'Departed',
  'Squawk',
  'Trip',
  'Countries landed in',
  'Had been predicted',
  'Note',
];

export interface ChatParts {
  view: AlertView;
  headline: string;
  sure?: string;
  facts: { label: string; value: string }[];
  legs: string[];
  why: string[];
  links: { label: string; href: string }[];
  footer: string;
  /** "Event ab12cd:landing:…": what a reader quotes to the group to point at this alert's evidence. */
  ref: string;
}

export function chatParts(alert: Alert, ctx: ViewContext, hide: readonly Hideable[] = []): ChatParts {
  const view = alertView(alert, ctx);
  const hiddenRows = new Set(hide.flatMap((h) => ROW_OF[h] ?? []));
  // An identity link made on the callsign names it: hidden with the callsign.
  if (hide.includes('callsign') && !alert.operational && alert.event.details?.linked?.reason === 'same-callsign')
    hiddenRows.add('Continues');
  const facts = alert.operational
    ? view.rows
    : CHAT_ROWS.flatMap((label) => view.rows.filter((r) => r.label === label && !hiddenRows.has(r.label)));
  const test = view.synthetic ? 'TEST ALERT (synthetic, no aircraft detected): ' : '';
  return {
    view,
    headline: `${test}${view.headline}`,
    sure: certaintyLine(view),
    facts,
    legs: (view.legs ?? []).map((l) => `${l.n}. ${l.brief}`),
    why: hide.includes('watch') ? [] : whyLines(view),
    links: hide.includes('links') ? [] : view.links,
    footer: view.operational ? (view.summary ?? '') : DISCLAIMER,
    ref: `Event ${view.eventId}`,
  };
}

/** Plain lines (Signal, Mastodon, ntfy, Apprise, alt text): no markup, one fact per line. */
export function plainLines(p: ChatParts, opts: { links?: number } = {}): string[] {
  const out = [p.headline];
  if (p.view.summary) out.push(p.view.summary);
  if (p.sure) out.push(`How sure: ${p.sure}`);
  if (p.legs.length) out.push('Trip so far:', ...p.legs);
  for (const f of p.facts) out.push(`${f.label}: ${f.value}`);
  if (p.why.length) out.push(`Watched: ${p.why.join('; ')}`);
  for (const l of p.links.slice(0, opts.links ?? 1)) out.push(`${l.label}: ${l.href}`);
  return out;
}

/**
 * Joins lines and drops whole lines from the end until `measure(text) ≤ max`; when even the first line does
 * not fit it is cut with "…". Lines are already escaped for the medium, so markup is never cut in half.
 */
export function fitLines(
  lines: string[],
  max: number,
  measure: (s: string) => number = (s) => s.length,
  sep = '\n',
): string {
  const kept = [...lines];
  while (kept.length > 1 && measure(kept.join(sep)) > max) kept.splice(kept.length - 2, 1);
  let text = kept.join(sep);
  if (measure(text) <= max) return text;
  // Only the headline (or one line) left and still too long: cut by characters (plain text only reaches here).
  const chars = Array.from(text);
  while (chars.length && measure(`${chars.join('')}…`) > max) chars.pop();
  text = `${chars.join('').trimEnd()}…`;
  return text;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Graphemes, as Bluesky counts its 300. */
export const graphemes = (s: string) => Array.from(segmenter.segment(s)).length;

/** Alt text for the map image: what a screen-reader user needs. */
export function mapAlt(p: ChatParts): string {
  return oneLine(`Map: ${p.view.headline}. The aircraft's recent track and nearby airports.`, 900);
}
