/**
 * Offline PNG map of an event: the positions it carries (event.evidence), the airports involved and, where
 * the legs are known (trip events; landings with a known departure), the trip's legs, on Natural Earth
 * countries, coastline and borders (world-atlas) with the largest nearby airports labelled as reference
 * places. d3-geo projects to an SVG string, resvg rasterizes it. No browser, no network, no tiles: it works
 * on an air-gapped worker. Layers and choices: docs/channels.md, "Maps".
 */
import { geoCentroid, geoCircle, geoDistance, geoGraticule10, geoMercator, geoPath } from 'd3-geo';
import { svgToPng } from './render/png';
import type { FlightEvent } from '../../domain/event';
import { escapeHtml, oneLine } from './render/sanitize';
import { footer, greatCircle, scaleBar, viewBox } from './map/frame';
import { LabelPlacer, type Box } from './map/labels';
import { airportsOf, legsOf } from './map/legs';
import { defaultMapPlaces, placeName, referencePlaces, type MapPlaces } from './map/places';
import { FONT, f, textSvg } from './map/svg';
import { trackOf, trackPieces, validLatLon, type LonLat } from './map/track';
import { boxesMeet, loadUsStates, loadWorld, type Boxed, type LonLatBox } from './map/world';

export { useMapPlaces, type MapPlaces } from './map/places';
export { trackOf, trackPieces } from './map/track';
export { airportsOf, isTripMap, legsOf } from './map/legs';

export interface MapImage {
  png: Buffer;
  width: number;
  height: number;
}

export interface MapOptions {
  width?: number;
  height?: number;
  /** Smallest half-extent shown (nm): enough land around a lone airport to recognise where it is. */
  minRadiusNm?: number;
  /** Outside trip maps, positions farther than this from the event (nm) are drawn but not fitted. */
  maxRadiusNm?: number;
  /** Airport table for the departure lookup and reference places (default: see defaultMapPlaces). */
  places?: MapPlaces | null;
  /** Most reference places labelled. */
  maxPlaces?: number;
}

const NM_PER_RAD = 3440.065;

const valid = validLatLon;

const TITLE_H = 24;

/** Renders the map to PNG, or returns null when the event has no position and no airport to show. */
export function renderEventMap(event: FlightEvent, opts: MapOptions = {}): MapImage | null {
  const map = buildMapSvg(event, opts);
  if (!map) return null;
  return { png: svgToPng(map.svg), width: map.width, height: map.height };
}

export interface MapSvg {
  svg: string;
  width: number;
  height: number;
  /** Where each track position landed on the canvas (pixels), in time order. */
  trackXY: [number, number][];
  /** Reference place labels drawn, as given (before escaping). */
  places: string[];
}

/** The map as an SVG string (layers carry a class: land, coast, borders, track, leg, place, country). */
export function buildMapSvg(event: FlightEvent, opts: MapOptions = {}): MapSvg | null {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  const places = opts.places === undefined ? defaultMapPlaces() : opts.places;
  const track = trackOf(event);
  const legs = legsOf(event, places);
  const airports = airportsOf(event, places);
  const all: LonLat[] = [...track, ...airports.map((a) => [a.lon, a.lat] as LonLat)];
  if (all.length === 0) return null;

  const focus: LonLat =
    event.airport && valid(event.airport.lat, event.airport.lon)
      ? [event.airport.lon, event.airport.lat]
      : track[track.length - 1]!;
  const maxNm = opts.maxRadiusNm ?? 1500;
  const fitPts = legs.length > 0 ? all : all.filter((p) => geoDistance(p, focus) * NM_PER_RAD <= maxNm);
  const multi: GeoJSON.MultiPoint = { type: 'MultiPoint', coordinates: fitPts };
  const center = geoCentroid(multi);
  const c: LonLat = Number.isFinite(center[0]) ? center : focus;
  const minCircle = geoCircle()
    .center(c)
    .radius(((opts.minRadiusNm ?? 110) / NM_PER_RAD) * (180 / Math.PI))();
  const fitTo: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: [multi, minCircle].map((geometry) => ({ type: 'Feature', properties: {}, geometry })),
  };
  const pad = 30;
  // Rotating to the centre longitude keeps a track across the antimeridian in one piece.
  const projection = geoMercator()
    .rotate([-c[0], 0])
    .fitExtent(
      [
        [pad, pad + TITLE_H],
        [width - pad, height - pad - 10],
      ],
      fitTo,
    )
    // Clipping in d3 keeps the SVG small: zoomed in, the unclipped world would be millions of pixels wide.
    .clipExtent([
      [-10, -10],
      [width + 10, height + 10],
    ]);
  const path = geoPath(projection);
  const xy = (p: LonLat): [number, number] => projection(p) ?? [NaN, NaN];
  const viewRadiusNm =
    (geoDistance(projection.invert!([0, TITLE_H])!, projection.invert!([width, height])!) * NM_PER_RAD) / 2;
  const world = loadWorld(viewRadiusNm < 1200 ? '50m' : '110m');

  const view = viewBox(projection, width, height);
  const seen = <T>(items: Boxed<T>[]): T[] => items.filter((i) => boxesMeet(i.box, view)).map((i) => i.shape);
  const countries = seen(world.countries);
  const multiLine = (ls: GeoJSON.LineString[]): GeoJSON.MultiLineString => ({
    type: 'MultiLineString',
    coordinates: ls.map((l) => l.coordinates),
  });

  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="#d4e4f0"/>`);
  parts.push(`<path d="${path(geoGraticule10()) ?? ''}" fill="none" stroke="#c3d5e4" stroke-width="0.6"/>`);
  parts.push(`<path d="${countries.map((c) => path(c) ?? '').join('')}" fill="#f4f1ea" stroke="none" class="land"/>`);
  parts.push(
    `<path d="${path(multiLine(seen(world.coast))) ?? ''}" fill="none" stroke="#7f9db5" stroke-width="0.9" class="coast"/>`,
  );
  // US state borders below ~1,500 nm across: an inland US airport otherwise has no line to place it by.
  const US_BOX: LonLatBox = [-180, 18, -65, 72];
  const regional = viewRadiusNm < 750;
  const usStates = regional && boxesMeet(US_BOX, view) ? loadUsStates() : undefined;
  if (usStates)
    parts.push(
      `<path d="${path(multiLine(seen(usStates.borders))) ?? ''}" fill="none" stroke="#b3ab9a" stroke-width="0.8" stroke-dasharray="2 2" class="states"/>`,
    );
  parts.push(
    `<path d="${path(multiLine(seen(world.borders))) ?? ''}" fill="none" stroke="#8c8575" stroke-width="1" stroke-dasharray="4 2" class="borders"/>`,
  );

  const frame: Box = { x0: 2, y0: TITLE_H + 2, x1: width - 2, y1: height - 20 };
  const labels = new LabelPlacer(frame);
  labels.reserve({ x0: 0, y0: height - 34, x1: 130, y1: height }); // scale bar
  const marks: string[] = [];
  const placeLabels: string[] = [];
  const texts: string[] = [];

  for (const [from, to] of legs) {
    const line: GeoJSON.LineString = { type: 'LineString', coordinates: greatCircle(from, to) };
    parts.push(
      `<path d="${path(line) ?? ''}" fill="none" stroke="#1b4965" stroke-width="1.6" stroke-dasharray="6 4" opacity="0.75" class="leg"/>`,
    );
  }

  // An en-route prediction: from the aircraft to the predicted airport, dashed like a leg.
  if (event.type === 'en_route' && event.airport && track.length > 0) {
    const line: GeoJSON.LineString = {
      type: 'LineString',
      coordinates: [track[track.length - 1]!, [event.airport.lon, event.airport.lat]],
    };
    parts.push(
      `<path d="${path(line) ?? ''}" fill="none" stroke="#1b4965" stroke-width="1.6" stroke-dasharray="6 4" opacity="0.75" class="prediction"/>`,
    );
  }
  const pieces = trackPieces(event);
  const lineOf = (coordinates: LonLat[]): GeoJSON.LineString => ({ type: 'LineString', coordinates });
  // Gaps in reception: a thin dotted line, so the pieces read as one flight without claiming a path.
  pieces.slice(1).forEach((piece, i) => {
    const d = path(lineOf([pieces[i]![pieces[i]!.length - 1]!, piece[0]!]));
    parts.push(
      `<path d="${d ?? ''}" fill="none" stroke="#c8102e" stroke-width="1.2" stroke-dasharray="1 4" stroke-linecap="round"/>`,
    );
  });
  const solid = pieces
    .filter((piece) => piece.length > 1)
    .map((piece) => path(lineOf(piece)) ?? '')
    .join('');
  if (solid)
    parts.push(
      `<path d="${solid}" fill="none" stroke="#ffffff" stroke-width="5" stroke-linejoin="round" stroke-linecap="round" opacity="0.8"/>`,
      `<path d="${solid}" fill="none" stroke="#c8102e" stroke-width="2.4" stroke-linejoin="round" stroke-linecap="round" class="track"/>`,
    );
  for (const p of track.slice(0, -1)) {
    const [x, y] = xy(p);
    if (Number.isFinite(x)) parts.push(`<circle cx="${f(x)}" cy="${f(y)}" r="2" fill="#c8102e"/>`);
  }

  // Marks first (reserved so no label covers them), then labels by importance.
  const inFrame = (x: number, y: number) => x >= frame.x0 && x <= frame.x1 && y >= frame.y0 && y <= frame.y1;
  const airportXY = airports.map((a) => xy([a.lon, a.lat]));
  airportXY.forEach(([x, y]) => {
    if (!Number.isFinite(x)) return;
    labels.reserveAround(x, y, 10);
    // A ring, not a filled marker: the aircraft sitting on the airport must not hide it.
    marks.push(
      `<circle cx="${f(x)}" cy="${f(y)}" r="8" fill="none" stroke="#ffffff" stroke-width="4"/><circle cx="${f(x)}" cy="${f(y)}" r="8" fill="none" stroke="#1b4965" stroke-width="2.2"/>`,
    );
  });
  // Track positions are marks too: place names and country names stay off the line.
  for (const p of track) {
    const [x, y] = xy(p);
    if (Number.isFinite(x)) labels.reserveAround(x, y, 3);
  }
  const lastPt = track[track.length - 1];
  const lastXY = lastPt ? xy(lastPt) : undefined;
  if (lastXY && Number.isFinite(lastXY[0])) {
    const [x, y] = lastXY;
    labels.reserveAround(x, y, 8);
    const heading = event.position?.trackDeg ?? event.evidence.at(-1)?.trackDeg;
    marks.push(
      typeof heading === 'number' && Number.isFinite(heading)
        ? `<path d="M0,-9 L6,7 L0,3 L-6,7 Z" transform="translate(${f(x)},${f(y)}) rotate(${heading.toFixed(0)})" fill="#c8102e" stroke="#ffffff" stroke-width="1.5"/>`
        : `<circle cx="${f(x)}" cy="${f(y)}" r="6" fill="#c8102e" stroke="#ffffff" stroke-width="1.5"/>`,
    );
  }

  airports.forEach((a, i) => {
    const [x, y] = airportXY[i]!;
    if (!Number.isFinite(x)) return;
    // The ICAO code is what monitors count by; the place name only when there is room for it.
    for (const text of [`${a.icao} ${placeName(a)}`, a.icao]) {
      const at = labels.place(x, y, text, 12, 12);
      if (!at) continue;
      texts.push(textSvg(at, text, { size: 12, fill: '#12293a', weight: 'bold' }));
      break;
    }
  });
  if (lastXY && Number.isFinite(lastXY[0])) {
    const ac = event.aircraft;
    const text = ac.registration || ac.callsign || ac.hex;
    const at = labels.place(lastXY[0], lastXY[1], text, 11.5, 11);
    if (at) texts.push(textSvg(at, text, { size: 11.5, fill: '#8a0b20', weight: 'bold' }));
  }

  if (places) {
    const marked = new Set(airports.map((a) => a.icao));
    const cLatLon = projection.invert!([width / 2, (height + TITLE_H) / 2])!;
    let placed = 0;
    const named = new Set<string>();
    for (const p of referencePlaces(places, { lat: cLatLon[1], lon: cLatLon[0] }, viewRadiusNm * 1.1, marked)) {
      if (placed >= (opts.maxPlaces ?? 8)) break;
      const [x, y] = xy([p.lon, p.lat]);
      if (!Number.isFinite(x) || !inFrame(x, y)) continue;
      const name = placeName(p);
      if (named.has(name)) continue; // two airports of one city: one label
      const at = labels.place(x, y, name, 10.5, 6);
      if (!at) continue;
      placed++;
      named.add(name);
      placeLabels.push(name);
      marks.push(
        `<rect x="${f(x - 2.5)}" y="${f(y - 2.5)}" width="5" height="5" fill="#4a4a4a" stroke="#ffffff" stroke-width="1" class="place"/>`,
      );
      texts.push(textSvg(at, name, { size: 10.5, fill: '#333333' }));
    }
  }

  // State names (regional US views), then country names: they orient and give way to everything else.
  for (const state of usStates ? seen(usStates.states) : []) {
    const name = state.properties?.name;
    if (!name || path.area(state) < 6000) continue;
    const [x, y] = path.centroid(state);
    if (!Number.isFinite(x)) continue;
    const text = name.toUpperCase();
    const at = labels.placeCentred(x, y, text, 9.5);
    if (at) texts.push(textSvg(at, text, { size: 9.5, fill: '#9a927f', spacing: 1, halo: 2.5 }, 'state'));
  }
  // Country names last: they orient at continental scale and give way to everything else.
  for (const country of countries) {
    const name = country.properties?.name;
    if (!name || path.area(country) < 3500) continue;
    const [x, y] = path.centroid(country);
    if (!Number.isFinite(x)) continue;
    const text = name.toUpperCase();
    const at = labels.placeCentred(x, y, text, 10);
    if (at) texts.push(textSvg(at, text, { size: 10, fill: '#8a8272', spacing: 1, halo: 2.5 }, 'country'));
  }

  parts.push(...marks, ...texts);
  parts.push(scaleBar(projection, height));
  const ac = event.aircraft;
  const title = `${ac.registration || ac.callsign || ac.hex}${ac.type ? ` (${ac.type})` : ''} · ${event.type} · ${event.time.slice(0, 16).replace('T', ' ')} UTC`;
  parts.push(`<rect x="0" y="0" width="${width}" height="${TITLE_H}" fill="#1d2a33" opacity="0.88"/>`);
  parts.push(
    `<text x="10" y="16" font-family="${FONT}" font-size="12.5" fill="#ffffff">${escapeHtml(oneLine(title, 90))}</text>`,
  );
  parts.push(
    `<text x="${width - 6}" y="${height - 6}" font-family="${FONT}" font-size="9" fill="#4f5b64" text-anchor="end">${escapeHtml(footer(event, track.length, legs.length > 0))}</text>`,
  );

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
  return { svg, width, height, trackXY: track.map(xy), places: placeLabels };
}
