/** Which airports and legs a map shows: the trip map (every leg) or the event map (the event airport). */
import type { AirportRef, FlightEvent } from '../../../domain/event';
import type { MapPlaces } from './places';
import { validLatLon as valid } from './track';

/** The legs to draw airport to airport: a trip's legs, or departure → arrival of a landing or destination. */
export function legsOf(event: FlightEvent, places?: MapPlaces | null): [AirportRef, AirportRef][] {
  const ok = (a: AirportRef | null | undefined): a is AirportRef => !!a && valid(a.lat, a.lon);
  if (event.type === 'trip')
    return (event.details?.legs ?? []).flatMap((l) => (ok(l.from) && ok(l.to) ? [[l.from, l.to]] : []));
  if ((event.type === 'landing' || event.type === 'destination') && ok(event.airport)) {
    const d = event.details;
    const icao = d && 'departure' in d ? d.departure : undefined;
    const dep = icao ? places?.byIcao(icao) : undefined;
    if (ok(dep) && dep.icao !== event.airport.icao) return [[dep, event.airport]];
  }
  return [];
}

/** The event airport and the airports of the legs drawn. */
export function airportsOf(event: FlightEvent, places?: MapPlaces | null): AirportRef[] {
  const found = new Map<string, AirportRef>();
  const add = (a: AirportRef | null | undefined): void => {
    if (a && valid(a.lat, a.lon) && !found.has(a.icao)) found.set(a.icao, a);
  };
  add(event.airport);
  if (event.type === 'trip')
    for (const leg of event.details?.legs ?? []) {
      add(leg.from);
      add(leg.to);
    }
  for (const [from, to] of legsOf(event, places)) {
    add(from);
    add(to);
  }
  return [...found.values()];
}

/** A trip map (fitted to every leg) rather than an event map (fitted around the event). */
export const isTripMap = (event: FlightEvent, places?: MapPlaces | null): boolean => legsOf(event, places).length > 0;
