/**
 * Offline PNG map of an event: the positions it carries (event.evidence), the airports involved and, where
 * the legs are known (trip events; landings with a known departure), the trip's legs. The event becomes a
 * scene (map/scene.ts, the renderer the console's pages share), resvg rasterizes its SVG. No browser, no
 * network, no tiles: it works on an air-gapped worker. Layers and choices: docs/channels.md, "Maps".
 */
import { svgToPng } from './render/png';
import type { FlightEvent } from '../../domain/event';
import { footer } from './map/frame';
import { airportsOf, legsOf } from './map/legs';
import { defaultMapPlaces } from './map/places';
import { renderScene, type MapScene, type MapSvg, type SceneOptions } from './map/scene';
import { trackOf, trackPieces, validLatLon, type LonLat } from './map/track';

export { useMapPlaces, type MapPlaces } from './map/places';
export { splitAtGaps, trackOf, trackPieces, type LonLat, type Timed } from './map/track';
export { airportsOf, isTripMap, legsOf } from './map/legs';
export { renderScene, type MapScene, type MapSvg, type SceneTrack, type SceneOptions } from './map/scene';

export interface MapImage {
  png: Buffer;
  width: number;
  height: number;
}

export type MapOptions = Omit<SceneOptions, 'responsive'>;

/** Renders the map to PNG, or returns null when the event has no position and no airport to show. */
export function renderEventMap(event: FlightEvent, opts: MapOptions = {}): MapImage | null {
  const map = buildMapSvg(event, opts);
  if (!map) return null;
  return { png: svgToPng(map.svg), width: map.width, height: map.height };
}

/** The event as a map scene: its track, its legs (trip map) or its airport (event map), title and footer. */
export function eventScene(event: FlightEvent, opts: Pick<MapOptions, 'places'> = {}): MapScene | null {
  const places = opts.places === undefined ? defaultMapPlaces() : opts.places;
  const track = trackOf(event);
  const legs = legsOf(event, places);
  const airports = airportsOf(event, places);
  const last = track[track.length - 1];
  const first = airports[0];
  const focus: LonLat | undefined =
    event.airport && validLatLon(event.airport.lat, event.airport.lon)
      ? [event.airport.lon, event.airport.lat]
      : (last ?? (first ? [first.lon, first.lat] : undefined));
  if (!focus) return null;
  const ac = event.aircraft;
  const label = ac.registration || ac.callsign || ac.hex;
  return {
    tracks: track.length
      ? [{ pieces: trackPieces(event), heading: event.position?.trackDeg ?? event.evidence.at(-1)?.trackDeg, label }]
      : [],
    legs,
    airports,
    ...(event.type === 'en_route' && event.airport && last
      ? { prediction: [last, [event.airport.lon, event.airport.lat]] as [LonLat, LonLat] }
      : {}),
    focus,
    fitAll: legs.length > 0,
    title: `${label}${ac.type ? ` (${ac.type})` : ''} · ${event.type} · ${event.time.slice(0, 16).replace('T', ' ')} UTC`,
    footer: footer(event, track.length, legs.length > 0),
  };
}

/** The event's map as an SVG string (layers carry a class: land, coast, borders, track, leg, place, country). */
export function buildMapSvg(event: FlightEvent, opts: MapOptions = {}): MapSvg | null {
  const scene = eventScene(event, opts);
  return scene ? renderScene(scene, opts) : null;
}
