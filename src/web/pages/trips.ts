/** `/trips`: trips with a leg matching the filter (date, destination country, operator, airframe, category,
 * confidence, review state), newest first, 25 a page, keyset-paged (`page` is an opaque cursor). */
import type { Page } from '../page';
import { html } from '../html';
import { parseLegFilter } from '../queries/filters';
import { decodeKeyset, encodeKeyset } from '../queries/leg-filter-sql';
import { operatorsIn } from '../queries/operators';
import { listTrips, type TripSummary } from '../queries/trips';
import { filterForm } from '../view/filter-form';
import { aircraftLink, queryString, tag, typeCode } from '../view/format';
import { timeEl, tableHead } from '../format';
import { shown } from '../hide';
import type { PageContext } from '../page';

const TRIP_FIELDS = ['from', 'to', 'country', 'operator', 'aircraft', 'category', 'confidence', 'review'];

const unique = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))];

function tripRow(ctx: PageContext, t: TripSummary) {
  const first = t.legs[0];
  return html`<tr>
    <td><a href="/trips/${encodeURIComponent(t.id)}">${timeEl(first?.departed_at ?? t.at)}</a></td>
    <td>
      ${aircraftLink(ctx, t)}<br /><small>${shown(ctx, 'operator', t.operator)} ${typeCode(ctx, t.type_code)}</small>
    </td>
    <td>${t.route}</td>
    <td>${t.countries.join(', ')}</td>
    <td>${t.legs.length}</td>
    <td>${unique(t.legs.map((l) => l.counted_category)).map((c) => tag('category', c))}</td>
    <td>${unique(t.legs.map((l) => l.confidence)).map((c) => tag('confidence', c))}</td>
    <td>${unique(t.legs.map((l) => l.review_state)).map((c) => tag('review', c))}</td>
    <td>${t.status}</td>
  </tr>`;
}

export const tripsPage: Page = async (ctx) => {
  const { filter, given, errors } = parseLegFilter(ctx.query, TRIP_FIELDS);
  const cursor = decodeKeyset(ctx.query.get('page'));
  const [page, operators] = await Promise.all([listTrips(ctx.db, filter, { after: cursor }), operatorsIn(ctx.db)]);
  const legsLink = `/legs${queryString(given)}`;
  const next = page.next && `/trips${queryString({ ...given, page: encodeKeyset(page.next) })}`;
  const body = html` ${filterForm({ action: '/trips', given, errors, operators })}
    <p class="summary">
      ${page.trips.length === 0 ? 'No trip matches.' : `Trips with a matching leg, newest first.`}
      <a href="${legsLink}">The matching legs</a>
    </p>
    ${
      page.trips.length > 0 &&
      html`<table class="list trips">
        ${tableHead(['Departed', 'Aircraft', 'Route', 'Countries', 'Legs', 'Category', 'Confidence', 'Review', 'Status'])}
        <tbody>
          ${page.trips.map((t) => tripRow(ctx, t))}
        </tbody>
      </table>`
    }
    <nav class="pager" aria-label="Pages">
      ${cursor && html`<a href="/trips${queryString(given)}">Newest</a>`}
      ${next && html`<a href="${next}" rel="next">Older trips</a>`}
    </nav>`;
  return { title: 'Trips', body: body.toString(), status: errors.length ? 400 : 200 };
};
