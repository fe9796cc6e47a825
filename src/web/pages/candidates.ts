/**
 * Candidates: unlisted aircraft that behave like removal charters (docs/discovery.md), highest score first,
 * each with its reasons and, unfolded, every sighting behind them (place, time, altitude, callsign, source).
 * `?state=proposed|accepted|rejected|all` (default proposed). Accepting and rejecting is done with
 * `flightwatch candidates accept|reject`, which writes the watch entry into the config file.
 */
import type { Page, PageContext } from '../page';
import { html, type SafeHtml } from '../html';
import { tableHead } from '../format';
import { CANDIDATE_STATES, discoveryDb, type CandidateRow } from '../../discovery/tables';
import { listCandidates, sightingsOf, type Sighting } from '../../discovery';

const STATES = [...CANDIDATE_STATES, 'all'] as const;
type StateFilter = (typeof STATES)[number];
const MAX_SIGHTINGS = 60;

const stateOf = (q: URLSearchParams): StateFilter => {
  const s = q.get('state') ?? 'proposed';
  return (STATES as readonly string[]).includes(s) ? (s as StateFilter) : 'proposed';
};
const minute = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;
const BADGE: Record<string, string> = { proposed: 'warn', accepted: 'ok', rejected: 'muted' };

/** A value the config may hide in public mode (hex, registration, callsign identify an airframe). */
const field = (ctx: PageContext, name: string, value: string | null): SafeHtml =>
  ctx.hiddenFields.has(name)
    ? html`<span class="hidden-field">hidden</span>`
    : value
      ? html`${value}`
      : html`<span class="none">—</span>`;

function sightingRow(ctx: PageContext, s: Sighting): SafeHtml {
  return html`<tr>
    <td class="mono">${minute(new Date(s.at).toISOString())}</td>
    <td><code>${s.place}</code> ${s.hub ? html`<span class="muted">hub</span>` : html`(${s.country})`}</td>
    <td>${s.onGround ? 'on the ground' : `${s.altFt ?? '?'} ft`}</td>
    <td>${field(ctx, 'callsign', s.callsign)}</td>
    <td>${s.type ?? ''}</td>
    <td>${s.source}</td>
  </tr>`;
}

function candidateCard(ctx: PageContext, c: CandidateRow, sightings: Sighting[]): SafeHtml {
  const reasons = JSON.parse(c.reasons) as string[];
  const shown = sightings.slice(-MAX_SIGHTINGS);
  const decided =
    c.decided_by &&
    html`<p class="muted">
      ${c.state === 'proposed' ? 'Rejected before' : c.state === 'accepted' ? 'Accepted' : 'Rejected'} by
      ${c.decided_by},
      ${minute(c.decided_at ?? '')}${c.note ? html`: ${c.note}` : ''}${
        c.watch_id ? html` — watch entry <code>${c.watch_id}</code>` : ''
      }
    </p>`;
  return html`<section class="card" aria-labelledby="${c.id}">
    <h2 id="${c.id}">
      ${c.type ?? 'unknown type'} ${field(ctx, 'registration', c.registration)}
      <span class="badge ${BADGE[c.state] ?? ''}">${c.state}</span>
    </h2>
    <dl class="facts">
      <dt>Score</dt>
      <dd>${c.score.toFixed(2)}</dd>
      <dt>Hex</dt>
      <dd class="mono">${field(ctx, 'hex', c.hex)}</dd>
      <dt>Last callsign</dt>
      <dd>${field(ctx, 'callsign', c.callsign)}</dd>
      <dt>Seen</dt>
      <dd>${minute(c.first_seen)} – ${minute(c.last_seen)}</dd>
      <dt>Candidate</dt>
      <dd><code>${c.id}</code>${c.proposals > 1 ? html` (proposed ${c.proposals} times)` : ''}</dd>
    </dl>
    <ul>
      ${reasons.map((r) => html`<li>${r}</li>`)}
    </ul>
    ${decided}
    <details>
      <summary>
        ${sightings.length} sightings${sightings.length > shown.length ? ` (the last ${shown.length})` : ''}
      </summary>
      <table>
        ${tableHead(['Time (UTC)', 'Place', 'Height', 'Callsign', 'Type', 'Source'])}
        <tbody>
          ${shown.map((s) => sightingRow(ctx, s))}
        </tbody>
      </table>
    </details>
  </section>`;
}

export const candidatesPage: Page = async (ctx) => {
  const db = discoveryDb(ctx.db);
  const state = stateOf(ctx.query);
  const rows = await listCandidates(db, { state, limit: 100 });
  const cards = await Promise.all(rows.map(async (c) => candidateCard(ctx, c, await sightingsOf(db, c.hex, 0))));
  const tabs = STATES.map((s) =>
    s === state ? html`<strong aria-current="page">${s}</strong>` : html`<a href="/candidates?state=${s}">${s}</a>`,
  );
  const body = html`<p class="lead">
      Aircraft nobody has listed that behave like removal charters: seen at two or more hubs within days, a
      charter-capable type, a charter callsign, a leg from a hub to a country of return. Review the evidence, then
      <code>flightwatch candidates accept &lt;id&gt;</code> (adds a watch entry) or
      <code>flightwatch candidates reject &lt;id&gt;</code>.
    </p>
    <p>Show: ${tabs.map((t, i) => html`${i ? ' · ' : ''}${t}`)}</p>
    ${cards.length ? cards : html`<p class="none">No ${state === 'all' ? '' : `${state} `}candidates.</p>`}`;
  return { title: 'Candidates', body: body.toString() };
};
