/** Public mode: fields the config hides are shown as "hidden" to readers who are not signed in. */
import { html, type SafeHtml } from './html';
import type { PageContext } from './page';

export const isHidden = (ctx: Pick<PageContext, 'hiddenFields'>, field: string): boolean => ctx.hiddenFields.has(field);

/** The value, escaped, or a "hidden" marker when the field is hidden for this reader. */
export function shown(ctx: Pick<PageContext, 'hiddenFields'>, field: string, value: unknown): SafeHtml {
  if (isHidden(ctx, field)) return html`<span class="hidden-field">hidden</span>`;
  return value === null || value === undefined || value === '' ? html`<span class="none">—</span>` : html`${value}`;
}
