/**
 * Per-platform escaping. Every string from an API or the config passes through one of these before it is
 * joined into markup, so a `<script>` operator or a `[link](evil)` callsign arrives as text.
 */
import { escapeHtml } from '../render/sanitize';
import type { ChatParts } from './compose';

/** Telegram / Matrix HTML: headline bold, certainty italic, labels bold, links as <a>. */
export function htmlLines(p: ChatParts, opts: { links?: number } = {}): string[] {
  const e = escapeHtml;
  const out = [`<b>${e(p.headline)}</b>`];
  if (p.view.summary) out.push(e(p.view.summary));
  if (p.sure) out.push(`<i>How sure: ${e(p.sure)}</i>`);
  // Legs before facts: on a trip they are the news, and a short caption keeps them.
  if (p.legs.length) out.push('<b>Trip so far:</b>', ...p.legs.map(e));
  for (const f of p.facts) out.push(`<b>${e(f.label)}:</b> ${e(f.value)}`);
  if (p.why.length) out.push(`<b>Watched:</b> ${e(p.why.join('; '))}`);
  const links = p.links.slice(0, opts.links ?? 3).map((l) => `<a href="${e(l.href)}">${e(l.label)}</a>`);
  if (links.length) out.push(`Check: ${links.join(' · ')}`);
  return out;
}

/** Slack mrkdwn: only &, < and > are control characters (api.slack.com/reference/surfaces/formatting#escaping). */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack link text may not contain "|" or ">" (it would end the label). */
export const slackLink = (href: string, label: string) =>
  `<${slackEscape(href).replace(/\|/g, '%7C')}|${slackEscape(label).replace(/\|/g, '¦')}>`;

/** Discord markdown: backslash-escape everything that formats, quotes, links or mentions. */
export const discordEscape = (s: string) => s.replace(/([\\*_~`|>[\]()#@:-])/g, '\\$1');
