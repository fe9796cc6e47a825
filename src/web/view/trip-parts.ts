/** The parts of the Trip page: a leg's airport inference, the event timeline, the review form. */
import type { FlightEvent } from '../../domain/event';
import type { EvidenceLeg } from '../../archive/evidence/input';
import { html, type SafeHtml } from '../html';
import { timeEl } from '../format';

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** The takeoff and landing events of a leg, matched by type and time (events carry no leg id). */
export function legEvents(leg: EvidenceLeg, events: readonly FlightEvent[]) {
  return {
    takeoff: events.find((e) => e.type === 'takeoff' && e.time === leg.departedAt),
    landing: events.find((e) => e.type === 'landing' && e.time === leg.arrivedAt),
  };
}

/** How one end's airport was named: observed at the airport, or inferred with confidence and runner-up. */
export function airportInference(end: 'Departure' | 'Arrival', e: FlightEvent | undefined, inferred: boolean) {
  const airport = e?.airport;
  const name = airport ? `${airport.icao} ${airport.name}${airport.country ? `, ${airport.country}` : ''}` : 'unknown';
  const inf = (e?.type === 'takeoff' || e?.type === 'landing') && e.details ? e.details.airportInference : undefined;
  const how = inf
    ? html`inferred, ${pct(inf.confidence)} of ${inf.candidates} airports weighed
      (${inf.basis})${
        inf.runnerUp
          ? html`; runner-up <strong>${inf.runnerUp.icao}</strong> ${pct(inf.runnerUp.confidence)},
              ${inf.runnerUp.distanceNm.toFixed(0)} nm away`
          : '; no runner-up'
      }`
    : inferred
      ? 'inferred (no inference record)'
      : 'observed at the airport';
  return html`<dt>${end}</dt>
    <dd><strong>${name}</strong> — ${how}</dd>`;
}

const DESCRIBE: Partial<Record<FlightEvent['type'], string>> = {
  takeoff: 'Takeoff',
  landing: 'Landing',
  trip: 'Trip update',
  destination: 'Arrived at a watched destination',
  en_route: 'En-route prediction',
  diversion: 'Diversion',
  seen: 'Seen',
  squawk: 'Squawk',
  touch_and_go: 'Touch-and-go',
  go_around: 'Go-around',
};

function eventNote(e: FlightEvent): string {
  const d = e.details as { inferred?: boolean; reason?: string; route?: string; status?: string } | undefined;
  if (e.type === 'trip') return [d?.route, d?.status].filter(Boolean).join(' · ');
  return [d?.inferred ? 'inferred' : '', d?.reason ?? ''].filter(Boolean).join(' · ');
}

export function timeline(events: readonly FlightEvent[]): SafeHtml {
  if (events.length === 0) return html`<p>No archived events.</p>`;
  return html`<ol class="timeline">
    ${events.map(
      (e) =>
        html`<li>
          ${timeEl(e.time)}
          <strong>${DESCRIBE[e.type] ?? e.type}</strong
          >${e.airport ? html` at ${e.airport.icao} ${e.airport.name}` : ''} <small>${eventNote(e)}</small>
        </li>`,
    )}
  </ol>`;
}
