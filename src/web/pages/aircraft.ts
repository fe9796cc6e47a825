/**
 * Aircraft (/aircraft/:hex): what the record holds about one airframe — identity, the other addresses it was
 * linked to, its legs and trips newest first, and the watch entries it matched with their provenance (note,
 * source, date added).
 */
import type { IdentityLinksTable } from '../../archive/schema';
import type { ConsoleDeps } from '../deps';
import { html, type SafeHtml } from '../html';
import { shown, isHidden } from '../hide';
import { countedAs, count, sourceText, timeEl, tableHead } from '../format';
import type { Page, PageContext } from '../page';
import { legsOfAircraft } from '../queries/trips';

const LEG_LIMIT = 200;

const jsonList = (s: string | null | undefined): string[] => {
  try {
    const v: unknown = JSON.parse(s ?? '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/** ICAO hex (6 hex digits) or a non-ICAO "~" address, lowercase as the record stores it. */
export const normalizeHex = (s: string): string | undefined => {
  const hex = s.trim().toLowerCase();
  return /^~?[0-9a-f]{6}$/.test(hex) ? hex : undefined;
};

function watchTable(ctx: PageContext, deps: ConsoleDeps, ids: string[]): SafeHtml {
  if (isHidden(ctx, 'watch')) return html`<p class="muted">Watch entries are hidden in the public view.</p>`;
  if (!ids.length) return html`<p class="muted">No watch entry matched this aircraft.</p>`;
  const entries = deps.watch();
  return html`<table>
    ${tableHead(['Entry', 'Note', 'Source', 'Added', 'Tags'])}
    <tbody>
      ${ids.map((id) => {
        const w = entries.find((e) => e.id === id);
        if (!w)
          return html`<tr>
            <td><code>${id}</code></td>
            <td colspan="4" class="muted">not in the current config (removed or renamed since)</td>
          </tr>`;
        return html`<tr>
          <td><code>${w.id}</code>${w.enabled ? '' : html` <span class="badge warn">disabled</span>`}</td>
          <td>${w.note ?? ''}</td>
          <td>${sourceText(w.source)}</td>
          <td>${w.added ?? ''}</td>
          <td>${w.tags.join(', ')}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

type LinkRow = Pick<
  IdentityLinksTable,
  'hex' | 'previous_hex' | 'reason' | 'matched' | 'gap_seconds' | 'distance_nm' | 'linked_at'
>;

/**
 * The other addresses of this airframe (identity links, docs/detection.md): the hex it continues and the hexes
 * that continue it, with the evidence a reviewer checks. The matched value is a registration or a callsign and
 * is hidden with that field in the public view; with the address hidden, so are the others.
 */
function linksTable(ctx: PageContext, hex: string, links: readonly LinkRow[]): SafeHtml {
  if (!links.length) return html`<p class="muted">No other address linked to this airframe.</p>`;
  if (isHidden(ctx, 'hex')) return html`<p class="muted">Other addresses are hidden in the public view.</p>`;
  return html`<p class="muted">
      Inferred, never merged: one address went quiet and another appeared nearby with the same registration or callsign.
      Each address keeps its own legs and trips.
    </p>
    <table>
      ${tableHead(['Address', 'Link', 'Evidence', 'Linked at'])}
      <tbody>
        ${links.map((l) => {
          const continues = l.hex === hex;
          const other = continues ? l.previous_hex : l.hex;
          const field = l.reason === 'same-callsign' ? 'callsign' : 'registration';
          const gap = l.gap_seconds < 60 ? `${l.gap_seconds} s` : `${Math.round(l.gap_seconds / 60)} min`;
          return html`<tr>
            <td>
              <a href="/aircraft/${encodeURIComponent(other)}"><code>${other}</code></a>
            </td>
            <td>${continues ? 'this address continues it' : 'continues this address'}</td>
            <td>
              same ${field} ${shown(ctx, field, l.matched)} · unheard ${gap} ·
              ${l.distance_nm < 10 ? l.distance_nm.toFixed(1) : Math.round(l.distance_nm)} nm apart
            </td>
            <td>${timeEl(l.linked_at)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}

export const aircraftPage =
  (deps: ConsoleDeps): Page =>
  async (ctx) => {
    const hex = normalizeHex(ctx.params.hex ?? '');
    if (!hex)
      return {
        title: 'Aircraft not found',
        status: 404,
        body: html`<p>${ctx.params.hex ?? ''} is not an ICAO address (six hex digits).</p>`.toString(),
      };
    const a = await ctx.db.selectFrom('aircraft').selectAll().where('hex', '=', hex).executeTakeFirst();
    const legs = await legsOfAircraft(ctx.db, hex, LEG_LIMIT);
    const trips = await ctx.db
      .selectFrom('trips')
      .select(['id', 'status', 'route', 'origin', 'countries', 'event_time'])
      .where('hex', '=', hex)
      .orderBy('event_time', 'desc')
      .execute();
    const links = await ctx.db
      .selectFrom('identity_links')
      .select(['hex', 'previous_hex', 'reason', 'matched', 'gap_seconds', 'distance_nm', 'linked_at'])
      .where((eb) => eb.or([eb('hex', '=', hex), eb('previous_hex', '=', hex)]))
      .orderBy('linked_at', 'desc')
      .execute();
    if (!a && !legs.length)
      return {
        title: 'Aircraft not found',
        status: 404,
        body: html`<p>The record holds nothing about <code>${hex}</code>.</p>`.toString(),
      };
    const name = isHidden(ctx, 'registration') ? hex : (a?.registration ?? hex);
    const body = html`<div class="card">
        <dl class="facts">
          <dt>ICAO address</dt>
          <dd>${shown(ctx, 'hex', hex)}</dd>
          <dt>Registration</dt>
          <dd>${shown(ctx, 'registration', a?.registration)}</dd>
          <dt>Type</dt>
          <dd>${shown(ctx, 'type', a?.type_code)}</dd>
          <dt>Operator</dt>
          <dd>${shown(ctx, 'operator', a?.operator)}</dd>
          <dt>First seen</dt>
          <dd>${timeEl(a?.first_seen)}</dd>
          <dt>Last seen</dt>
          <dd>${timeEl(a?.last_seen)}</dd>
        </dl>
      </div>
      <h2>Other addresses</h2>
      ${linksTable(ctx, hex, links)}
      <h2>Watch entries</h2>
      ${watchTable(ctx, deps, jsonList(a?.watch_ids))}
      <h2>Trips (${count(trips.length)})</h2>
      ${
        trips.length
          ? html`<table>
              ${tableHead(['Trip', 'Route', 'Countries', 'Status', 'Last event'])}
              <tbody>
                ${trips.map(
                  (t) =>
                    html`<tr>
                      <td><a href="/trips/${encodeURIComponent(t.id)}">${t.id}</a></td>
                      <td>${t.route}</td>
                      <td>${jsonList(t.countries).join(' → ')}</td>
                      <td>${t.status}</td>
                      <td>${timeEl(t.event_time)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">No trips.</p>`
      }
      <h2>Legs (${count(legs.length)}${legs.length === LEG_LIMIT ? `, newest ${LEG_LIMIT}` : ''})</h2>
      ${
        legs.length
          ? html`<table>
              ${tableHead(['Departed', 'From', 'To', 'Arrived', 'Callsign', 'Category', 'Review', 'Evidence'])}
              <tbody>
                ${legs.map(
                  (l) =>
                    html`<tr>
                      <td>${timeEl(l.departed_at)}</td>
                      <td>${l.departure_icao ?? '?'}</td>
                      <td>${l.arrival_icao ?? '?'}</td>
                      <td>${timeEl(l.arrived_at)}</td>
                      <td>${shown(ctx, 'callsign', l.callsign)}</td>
                      <td>${countedAs(l)}${l.confidence ? html` <span class="muted">· ${l.confidence}</span>` : ''}</td>
                      <td>${l.review_state ?? 'unreviewed'}</td>
                      <td>
                        ${ctx.role === 'public' ? html`<span class="muted">sign in</span>` : html`<a href="/evidence/${encodeURIComponent(l.id)}">bundle</a>`}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">No legs.</p>`
      }`;
    return { title: `Aircraft ${name}`, body: body.toString() };
  };
