/**
 * `/trips/:id`: one trip — a map of its legs with the archived track (fitted to the track), each leg's
 * airports with how they were inferred (confidence, runner-up), classification and review (a form for
 * reviewers), the timeline of its events, and the evidence download. The archive is read by the evidence
 * loader, so the page shows exactly what the downloadable bundle holds.
 */
import { EvidenceNotFoundError, loadEvidence } from '../../archive/evidence/load';
import type { EvidenceLeg } from '../../archive/evidence/input';
import type { AirportRef } from '../../domain/event';
import { validLatLon } from '../../alerting/channels/map/track';
import type { MapScene, SceneTrack } from '../../alerting/channels/map';
import type { Page, PageContext } from '../page';
import { html } from '../html';
import { aircraftLink, aircraftName, tag, typeCode } from '../view/format';
import { timeEl } from '../format';
import { isHidden } from '../hide';
import { flash, reviewForm } from './review';
import { inlineMap, positionsTrack } from '../view/map';
import { airportInference, legEvents, timeline } from '../view/trip-parts';
import type { FlightEvent } from '../../domain/event';

const located = (a: AirportRef | null): a is AirportRef => !!a && validLatLon(a.lat, a.lon);

function tripScene(legs: EvidenceLeg[], label: string, title: string): MapScene | null {
  const tracks = legs
    .map((l) =>
      positionsTrack(
        l.positions.map((p) => ({ ...p, t: p.time })),
        label,
      ),
    )
    .filter((t): t is SceneTrack => t !== null);
  // One label, at the end of the last track: a label per leg would crowd the airports.
  tracks.forEach((t, i) => (t.label = i === tracks.length - 1 ? label : ''));
  const airports = new Map<string, AirportRef>();
  for (const l of legs) for (const a of [l.from, l.to]) if (located(a)) airports.set(a.icao, a);
  const focus = tracks.at(-1)?.pieces.at(-1)?.at(-1) ?? [...airports.values()].map((a) => [a.lon, a.lat] as const)[0];
  if (!focus) return null;
  const positions = tracks.reduce((n, t) => n + t.pieces.flat().length, 0);
  return {
    tracks,
    legs: legs.flatMap((l) => (located(l.from) && located(l.to) ? [[l.from, l.to] as [AirportRef, AirportRef]] : [])),
    airports: [...airports.values()],
    focus: [focus[0], focus[1]],
    fitAll: true,
    title,
    footer: [
      positions ? `red: archived track (${positions} positions shown)` : 'no archived positions',
      'dashed: legs, airport to airport',
      'Natural Earth · public ADS-B',
    ].join(' · '),
  };
}

const mayReview = (ctx: PageContext) => ctx.role === 'reviewer' || ctx.role === 'admin';

function legSection(ctx: PageContext, leg: EvidenceLeg, events: readonly FlightEvent[], n: number, back: string) {
  const { takeoff, landing } = legEvents(leg, events);
  const c = leg.classification;
  const r = leg.review;
  return html`<section class="leg" aria-labelledby="leg-${n}">
    <h3 id="leg-${n}">
      Leg ${n}: ${leg.from?.icao ?? '?'} → ${leg.to?.icao ?? '?'}
      <small>${timeEl(leg.departedAt)} – ${timeEl(leg.arrivedAt)}</small>
    </h3>
    <dl class="facts">
      ${airportInference('Departure', takeoff, leg.takeoffInferred)}
      ${airportInference('Arrival', landing, leg.landingInferred)}
      <dt>Classification</dt>
      <dd>
        ${c ? html`${tag('category', c.category)} ${tag('confidence', c.confidence)} <small>${c.reasons.join('; ')}</small>` : 'not classified yet'}
      </dd>
      <dt>Review</dt>
      <dd>
        ${tag('review', r?.state ?? 'unreviewed')}${r?.category ? html` as ${r.category}` : ''}${
          r?.reviewer && !isHidden(ctx, 'reviewer') ? html` by ${r.reviewer}, ${timeEl(r.at)}` : ''
        }${r?.note && !isHidden(ctx, 'note') ? html` — “${r.note}”` : ''}
      </dd>
    </dl>
    <p><a href="/evidence/${encodeURIComponent(leg.id)}">Download this leg's evidence</a></p>
    ${mayReview(ctx) && reviewForm(ctx, leg.id, n, back)}
  </section>`;
}

export const tripPage: Page = async (ctx) => {
  const id = ctx.params.id ?? '';
  const trip = await ctx.db.selectFrom('trips').selectAll().where('id', '=', id).executeTakeFirst();
  const notFound = {
    title: 'Trip not found',
    body: html`<p>No trip "${id}" in the archive.</p>`.toString(),
    status: 404,
  };
  if (!trip) return notFound;
  let evidence;
  try {
    evidence = await loadEvidence(ctx.db, id, () => [], { replies: false });
  } catch (e) {
    if (e instanceof EvidenceNotFoundError) return notFound;
    throw e;
  }
  const ac = evidence.aircraft;
  const name = aircraftName(ctx, ac);
  const title = `${name} · ${trip.route}`;
  const operator = isHidden(ctx, 'operator') ? null : ac.operator;
  // A review posted from here returns here (the form's `next`), with what it saved or why it could not.
  const back = `/trips/${encodeURIComponent(trip.id)}`;
  const body = html`${mayReview(ctx) && flash(ctx)}
    <p class="subtitle">
      ${aircraftLink(ctx, ac)}${typeCode(ctx, ac.type) ? ` (${typeCode(ctx, ac.type)})` : ''}${
        operator ? html` · ${operator}` : ''
      }
      · ${trip.status}${trip.close_reason ? ` (${trip.close_reason})` : ''} · ${evidence.legs.length} legs ·
      <a href="/evidence/${encodeURIComponent(trip.id)}">Download the trip's evidence (signed zip)</a>
    </p>
    ${inlineMap(tripScene(evidence.legs, name, title), `Map of trip ${trip.route}: legs and archived track.`)}
    <h2>Legs</h2>
    ${evidence.legs.map((l, i) => legSection(ctx, l, evidence.events, i + 1, back))}
    <h2>Timeline</h2>
    ${timeline(evidence.events)}`;
  return { title: `Trip ${trip.route}`, body: body.toString() };
};
