/**
 * `/`: the watched aircraft in the air now or seen in the last day, on a map (their last three hours of
 * archived track, or a dot at the airport of their last event) and in a table, airborne first.
 */
import type { MapScene, SceneTrack } from '../../alerting/channels/map';
import { validLatLon } from '../../alerting/channels/map/track';
import type { Page, PageContext } from '../page';
import { html } from '../html';
import { nowAircraft, RECENT_MS, type NowAircraft } from '../queries/now';
import { aircraftLink, aircraftName, typeCode, utcMinute } from '../view/format';
import { timeEl, tableHead } from '../format';
import { shown } from '../hide';
import { inlineMap, positionsTrack } from '../view/map';

function track(ctx: PageContext, a: NowAircraft): SceneTrack | null {
  const label = aircraftName(ctx, a);
  const fromPositions = positionsTrack(a.positions, label);
  if (fromPositions) return fromPositions;
  const ap = a.lastEvent?.airport;
  return ap && validLatLon(ap.lat, ap.lon) ? { pieces: [[[ap.lon, ap.lat]]], heading: null, label } : null;
}

function nowScene(ctx: PageContext, list: NowAircraft[]): MapScene | null {
  const tracks = list.map((a) => track(ctx, a)).filter((t): t is SceneTrack => t !== null);
  const focus = tracks[0]?.pieces.at(-1)?.at(-1);
  if (!focus) return null;
  const airborne = list.filter((a) => a.airborne).length;
  return {
    tracks,
    legs: [],
    airports: [],
    focus,
    fitAll: true,
    title: `${airborne} in the air · ${list.length - airborne} seen in the last 24 h · ${utcMinute(ctx.now.toISOString())}`,
    footer: 'red: last 3 h of archived positions · dot: last known airport · Natural Earth · public ADS-B',
  };
}

function status(a: NowAircraft) {
  if (a.airborne) return html`<strong>In the air</strong> since ${timeEl(a.departedAt)} from ${a.departure ?? '?'}`;
  const e = a.lastEvent;
  if (e?.type === 'landing' && e.airport)
    return html`On the ground at ${e.airport.icao} ${e.airport.name} since ${timeEl(e.time)}`;
  return html`Last seen ${timeEl(a.lastSeen)}`;
}

function row(ctx: PageContext, a: NowAircraft) {
  const last = a.positions.at(-1);
  return html`<tr class="${a.airborne ? 'airborne' : 'seen'}">
    <td>${aircraftLink(ctx, a)}</td>
    <td>${shown(ctx, 'operator', a.operator)} ${typeCode(ctx, a.type_code)}</td>
    <td>${status(a)}</td>
    <td>${last ? html`${last.altFt ?? '—'} ft at ${timeEl(last.t)}` : '—'}</td>
    <td>${a.lastEvent ? html`${a.lastEvent.type} ${timeEl(a.lastEvent.time)}` : '—'}</td>
    <td>${a.tripId ? html`<a href="/trips/${encodeURIComponent(a.tripId)}">trip</a>` : ''}</td>
  </tr>`;
}

export const nowPage: Page = async (ctx) => {
  const list = await nowAircraft(ctx.db, ctx.now);
  const airborne = list.filter((a) => a.airborne).length;
  const body = html` <p class="summary">
      ${airborne} watched ${airborne === 1 ? 'aircraft' : 'aircraft'} in the air, ${list.length - airborne} more seen in
      the last ${RECENT_MS / 3_600_000} hours (from the archive).
    </p>
    ${
      list.length === 0
        ? html`<p>No watched aircraft seen in the last ${RECENT_MS / 3_600_000} hours.</p>`
        : html`${inlineMap(nowScene(ctx, list), 'Watched aircraft in the air or seen in the last day.')}
            <table class="list now">
              ${tableHead(['Aircraft', 'Operator, type', 'Status', 'Last position', 'Last event', 'Trip'])}
              <tbody>
                ${list.map((a) => row(ctx, a))}
              </tbody>
            </table>`
    }`;
  return { title: 'Now', body: body.toString() };
};
