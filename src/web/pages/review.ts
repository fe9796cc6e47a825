/**
 * Review: legs nobody has reviewed, oldest first, each with its classification and why, and a form to
 * confirm, reject or correct it with a note (POST /review, src/web/review-action.ts). Reviewers and admins.
 */
import { LEG_CATEGORIES } from '../../domain/leg-classification';
import { listUnreviewed } from '../../archive/review/store';
import { html, raw, type SafeHtml } from '../html';
import { timeEl, count } from '../format';
import type { Page, PageContext } from '../page';

const LIMIT = 50;

const reasonsOf = (json: string | null): string[] => {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/** What the last review POST said (it redirects here, or to the Trip page, with done/state or error). */
export function flash(ctx: PageContext): SafeHtml {
  const done = ctx.query.get('done');
  const error = ctx.query.get('error');
  if (error) return html`<p class="flash error" role="alert">${error}</p>`;
  if (done)
    return html`<p class="flash" role="status">Saved: ${done} is now ${ctx.query.get('state') ?? 'reviewed'}.</p>`;
  return html``;
}

/**
 * The review form for one leg (also on each leg of the Trip page); `n` keeps the ids unique on a page; `next`
 * is the path the POST returns to (default /review).
 */
export function reviewForm(ctx: PageContext, legId: string, n: number, next?: string): SafeHtml {
  const id = (name: string) => `${name}-${n}`;
  return html`<form class="review" method="post" action="/review">
    <input type="hidden" name="csrf" value="${ctx.csrfToken}" />
    <input type="hidden" name="leg" value="${legId}" />
    ${next && html`<input type="hidden" name="next" value="${next}" />`}
    <div>
      <label for="${id('action')}">Decision</label>
      <select id="${id('action')}" name="action">
        <option value="confirm">Confirm</option>
        <option value="reject">Reject</option>
        <option value="correct">Correct the category</option>
      </select>
    </div>
    <div class="category">
      <label for="${id('category')}">Category (when correcting)</label>
      <select id="${id('category')}" name="category">
        ${LEG_CATEGORIES.map((c) => html`<option value="${c}">${c}</option>`)}
      </select>
    </div>
    <div class="note">
      <label for="${id('note')}">Note (required to reject or correct)</label>
      <textarea id="${id('note')}" name="note" maxlength="2000"></textarea>
    </div>
    <div><button class="primary" type="submit">Save review</button></div>
  </form>`;
}

export const reviewPage: Page = async (ctx) => {
  const legs = await listUnreviewed(ctx.db, { limit: LIMIT });
  const ids = legs.map((l) => l.id);
  const hexes = [...new Set(legs.map((l) => l.hex))];
  const extra = ids.length
    ? await ctx.db.selectFrom('legs').select(['id', 'callsign']).where('id', 'in', ids).execute()
    : [];
  const callsigns = new Map(extra.map((r) => [r.id, r.callsign]));
  const aircraft = hexes.length
    ? await ctx.db
        .selectFrom('aircraft')
        .select(['hex', 'registration', 'operator'])
        .where('hex', 'in', hexes)
        .execute()
    : [];
  const byHex = new Map(aircraft.map((a) => [a.hex, a]));
  const total = await ctx.db
    .selectFrom('legs as l')
    .leftJoin('leg_reviews as r', 'r.leg_id', 'l.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.leg_id', 'is', null)
    .executeTakeFirst();
  const n = Number(total?.n ?? 0);
  const items = legs.map((l, i) => {
    const a = byHex.get(l.hex);
    return html`<article class="card" aria-labelledby="leg-${i}">
      <div class="leg-head">
        <h2 id="leg-${i}" class="route">${l.departure_icao ?? '?'} → ${l.arrival_icao ?? '?'}</h2>
        <span>${timeEl(l.departed_at ?? l.arrived_at)}</span>
        <span><a href="/aircraft/${encodeURIComponent(l.hex)}">${a?.registration ?? l.hex}</a></span>
        <span>${callsigns.get(l.id) ?? ''}</span>
        <span class="muted">${a?.operator ?? ''}</span>
      </div>
      <dl class="facts">
        <dt>Category</dt>
        <dd>
          ${l.category ?? 'not classified yet'}
          ${l.confidence ? html`<span class="badge">${l.confidence === 'confirmed' ? 'takeoff and landing observed' : l.confidence}</span>` : ''}
        </dd>
        <dt>Why</dt>
        <dd>${reasonsOf(l.reasons).join('; ') || '—'}</dd>
        <dt>Leg</dt>
        <dd><code>${l.id}</code> · <a href="/evidence/${encodeURIComponent(l.id)}">evidence bundle</a></dd>
      </dl>
      ${reviewForm(ctx, l.id, i)}
    </article>`;
  });
  const body = html`${flash(ctx)}
    <p class="lead">
      ${count(n)} leg${n === 1 ? '' : 's'} not reviewed yet${n > LIMIT ? raw(`; the oldest ${LIMIT} are shown`) : ''}. A
      decision is recorded with your name and the time in the audit log.
    </p>
    ${legs.length ? html`<div class="legs-to-review">${items}</div>` : html`<p class="card">Nothing to review.</p>`}`;
  return { title: 'Review', body: body.toString() };
};
