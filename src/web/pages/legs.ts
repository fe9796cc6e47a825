/**
 * `/legs`: the legs matching a filter, newest first, with how many match. A report number links here with its
 * period, category, country or airport, so the count at the top is the number the report showed and the list
 * is the legs behind it.
 */
import type { Page, PageContext } from '../page';
import { html } from '../html';
import { parseLegFilter } from '../queries/filters';
import { decodeKeyset, encodeKeyset } from '../queries/leg-filter-sql';
import { countLegs, listLegs, type LegListRow } from '../queries/legs';
import { operatorsIn } from '../queries/operators';
import { filterForm } from '../view/filter-form';
import { aircraftLink, queryString, tag } from '../view/format';
import { count, timeEl, tableHead } from '../format';
import { shown } from '../hide';

function legRow(ctx: PageContext, l: LegListRow) {
  return html`<tr>
    <td>${timeEl(l.departed_at ?? l.at)}</td>
    <td>${aircraftLink(ctx, l)}<br /><small>${shown(ctx, 'operator', l.operator)}</small></td>
    <td>${l.departure_icao ?? '?'} → ${l.arrival_icao ?? '?'}</td>
    <td>${l.destination_country ?? ''}</td>
    <td>
      ${tag('category', l.counted_category ?? l.category)}${
        l.counted_category !== l.category && html` <small>(classified ${l.category})</small>`
      }
    </td>
    <td>${tag('confidence', l.confidence)}</td>
    <td>${tag('review', l.review_state)}</td>
    <td>
      ${l.trip_id ? html`<a href="/trips/${encodeURIComponent(l.trip_id)}">trip</a>` : '—'}
      <a href="/evidence/${encodeURIComponent(l.id)}">evidence</a>
    </td>
  </tr>`;
}

export const legsPage: Page = async (ctx) => {
  const { filter, given, errors } = parseLegFilter(ctx.query);
  const cursor = decodeKeyset(ctx.query.get('page'));
  const [page, total, operators] = await Promise.all([
    listLegs(ctx.db, filter, { after: cursor }),
    countLegs(ctx.db, filter),
    operatorsIn(ctx.db),
  ]);
  const next = page.next && `/legs${queryString({ ...given, page: encodeKeyset(page.next) })}`;
  const body = html` ${filterForm({ action: '/legs', given, errors, operators, legFields: true })}
    <p class="summary">
      <strong class="count">${count(total)}</strong> ${total === 1 ? 'leg matches' : 'legs match'} (classified legs; a
      rejected leg counts in no category).
    </p>
    ${
      page.legs.length > 0 &&
      html`<table class="list legs">
        ${tableHead(['Departed', 'Aircraft', 'From → to', 'Country', 'Category', 'Confidence', 'Review', 'Links'])}
        <tbody>
          ${page.legs.map((l) => legRow(ctx, l))}
        </tbody>
      </table>`
    }
    <nav class="pager" aria-label="Pages">
      ${cursor && html`<a href="/legs${queryString(given)}">Newest</a>`}
      ${next && html`<a href="${next}" rel="next">Older legs</a>`}
    </nav>`;
  return { title: 'Legs', body: body.toString(), status: errors.length ? 400 : 200 };
};
