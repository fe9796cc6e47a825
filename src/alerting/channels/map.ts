/**
 * Offline PNG map of an event: the recent track (event.evidence), the aircraft's last position and the
 * airports involved, on Natural Earth country outlines (world-atlas 110m). d3-geo projects to an SVG string,
 * resvg rasterizes it. No browser, no network, no tiles: it works on an air-gapped worker.
 */
import { readFileSync } from 'node:fs';
import { geoCentroid, geoCircle, geoDistance, geoGraticule10, geoMercator, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { Resvg } from '@resvg/resvg-js';
import type { AirportRef, FlightEvent } from '../../domain/event';
import { escapeHtml, oneLine } from './render/sanitize';

export interface MapImage {
  png: Buffer;
  width: number;
  height: number;
}

export interface MapOptions {
  width?: number;
  height?: number;
  /** Smallest half-extent shown, degrees of arc: a single point is not zoomed to street level. */
  minRadiusDeg?: number;
}

type LonLat = [number, number];

interface World {
  land: GeoJSON.FeatureCollection | GeoJSON.Feature;
  borders: GeoJSON.MultiLineString;
}
let world: World | undefined;

/** world-atlas countries-110m.json: a TopoJSON topology with one object, `countries`. */
type WorldTopology = Topology<{ countries: GeometryCollection }>;

/** Read on first use and parsed once per process: the topology is ~100 kB and conversion costs a few ms. */
function loadWorld(): World {
  if (!world) {
    const file = require.resolve('world-atlas/countries-110m.json');
    const topo = JSON.parse(readFileSync(file, 'utf8')) as WorldTopology;
    world = {
      land: feature(topo, topo.objects.countries),
      borders: mesh(topo, topo.objects.countries, (a: unknown, b: unknown) => a !== b),
    };
  }
  return world;
}

const valid = (lat: unknown, lon: unknown): boolean =>
  typeof lat === 'number' &&
  typeof lon === 'number' &&
  Number.isFinite(lat) &&
  Number.isFinite(lon) &&
  Math.abs(lat) <= 90 &&
  Math.abs(lon) <= 180;

/** Track positions in time order; the event's own position closes the track when it is newer. */
export function trackOf(event: FlightEvent): LonLat[] {
  const pts = event.evidence
    .filter((p) => valid(p.lat, p.lon))
    .slice()
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .map((p) => [p.lon!, p.lat!] as LonLat);
  const pos = event.position;
  if (pos && valid(pos.lat, pos.lon)) {
    const last = pts[pts.length - 1];
    if (!last || last[0] !== pos.lon || last[1] !== pos.lat) pts.push([pos.lon, pos.lat]);
  }
  return pts;
}

/** The event airport and, on a trip, the airports of its legs. */
export function airportsOf(event: FlightEvent): AirportRef[] {
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
  return [...found.values()];
}

const NICE_NM = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** Renders the map, or returns null when the event has no position and no airport to show. */
export function renderEventMap(event: FlightEvent, opts: MapOptions = {}): MapImage | null {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  const track = trackOf(event);
  const airports = airportsOf(event);
  const all: LonLat[] = [...track, ...airports.map((a) => [a.lon, a.lat] as LonLat)];
  if (all.length === 0) return null;

  const multi: GeoJSON.MultiPoint = { type: 'MultiPoint', coordinates: all };
  const center = geoCentroid(multi);
  const minCircle = geoCircle()
    .center(Number.isFinite(center[0]) ? center : all[0]!)
    .radius(opts.minRadiusDeg ?? 0.6)();
  const fitTo: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: {}, geometry: multi },
      { type: 'Feature', properties: {}, geometry: minCircle },
      ...(track.length > 1
        ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: track } }]
        : []),
    ],
  };
  const pad = 28;
  // Rotating to the centre longitude keeps a track across the antimeridian in one piece.
  const projection = geoMercator()
    .rotate([-center[0], 0])
    .fitExtent(
      [
        [pad, pad + 18],
        [width - pad, height - pad - 14],
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
  const f = (n: number) => n.toFixed(1);

  const { land, borders } = loadWorld();
  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="#dce8f2"/>`);
  parts.push(`<path d="${path(geoGraticule10()) ?? ''}" fill="none" stroke="#c5d6e4" stroke-width="0.6"/>`);
  parts.push(`<path d="${path(land) ?? ''}" fill="#f3f0e8" stroke="none"/>`);
  parts.push(`<path d="${path(borders) ?? ''}" fill="none" stroke="#a9a394" stroke-width="0.7"/>`);

  if (track.length > 1) {
    const line: GeoJSON.LineString = { type: 'LineString', coordinates: track };
    parts.push(
      `<path d="${path(line) ?? ''}" fill="none" stroke="#ffffff" stroke-width="5" stroke-linejoin="round" stroke-linecap="round" opacity="0.8"/>`,
    );
    parts.push(
      `<path d="${path(line) ?? ''}" fill="none" stroke="#c8102e" stroke-width="2.4" stroke-linejoin="round" stroke-linecap="round"/>`,
    );
  }
  for (const p of track.slice(0, -1)) {
    const [x, y] = xy(p);
    if (Number.isFinite(x)) parts.push(`<circle cx="${f(x)}" cy="${f(y)}" r="2.2" fill="#c8102e"/>`);
  }

  const label = (x: number, y: number, text: string, anchor: 'start' | 'end', weight = 'normal') => {
    const t = escapeHtml(oneLine(text, 48));
    const attrs = `x="${f(x)}" y="${f(y)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12" font-weight="${weight}" text-anchor="${anchor}"`;
    return `<text ${attrs} fill="none" stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round">${t}</text><text ${attrs} fill="#1d2a33">${t}</text>`;
  };

  for (const a of airports) {
    const [x, y] = xy([a.lon, a.lat]);
    if (!Number.isFinite(x)) continue;
    // A ring, not a filled marker: the aircraft sitting on the airport must not hide it.
    parts.push(
      `<circle cx="${f(x)}" cy="${f(y)}" r="8" fill="none" stroke="#ffffff" stroke-width="4"/><circle cx="${f(x)}" cy="${f(y)}" r="8" fill="none" stroke="#1b4965" stroke-width="2.2"/>`,
    );
    const right = x < width - 160;
    parts.push(
      label(right ? x + 12 : x - 12, y + 17, a.iata ? `${a.icao}/${a.iata}` : a.icao, right ? 'start' : 'end', 'bold'),
    );
  }

  const lastPt = track[track.length - 1];
  if (lastPt) {
    const [x, y] = xy(lastPt);
    if (Number.isFinite(x)) {
      const heading = event.position?.trackDeg ?? event.evidence.at(-1)?.trackDeg;
      parts.push(
        typeof heading === 'number' && Number.isFinite(heading)
          ? `<path d="M0,-9 L6,7 L0,3 L-6,7 Z" transform="translate(${f(x)},${f(y)}) rotate(${heading.toFixed(0)})" fill="#c8102e" stroke="#ffffff" stroke-width="1.5"/>`
          : `<circle cx="${f(x)}" cy="${f(y)}" r="6" fill="#c8102e" stroke="#ffffff" stroke-width="1.5"/>`,
      );
      const ac = event.aircraft;
      const right = x < width - 160;
      parts.push(
        label(right ? x + 10 : x - 10, y - 10, ac.registration || ac.callsign || ac.hex, right ? 'start' : 'end'),
      );
    }
  }

  parts.push(scaleBar(projection, width, height));
  const ac = event.aircraft;
  const title = `${ac.registration || ac.callsign || ac.hex}${ac.type ? ` (${ac.type})` : ''} · ${event.type} · ${event.time.slice(0, 16).replace('T', ' ')} UTC`;
  parts.push(`<rect x="0" y="0" width="${width}" height="24" fill="#1d2a33" opacity="0.85"/>`);
  parts.push(
    `<text x="10" y="16" font-family="DejaVu Sans, Arial, sans-serif" font-size="12.5" fill="#ffffff">${escapeHtml(oneLine(title, 90))}</text>`,
  );
  parts.push(
    `<text x="${width - 6}" y="${height - 6}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="#5b6770" text-anchor="end">Natural Earth · positions: public ADS-B</text>`,
  );

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
  const png = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return { png: Buffer.from(png), width, height };
}

function scaleBar(projection: ReturnType<typeof geoMercator>, width: number, height: number): string {
  const y = height - 16;
  const x0 = 14;
  const a = projection.invert?.([x0, y]);
  const b = projection.invert?.([x0 + 100, y]);
  if (!a || !b) return '';
  const nmPer100px = geoDistance(a, b) * 3440.065;
  if (!(nmPer100px > 0)) return '';
  const nm = [...NICE_NM].reverse().find((n) => n <= nmPer100px * 1.6) ?? NICE_NM[0]!;
  const px = (nm / nmPer100px) * 100;
  return (
    `<path d="M${x0},${y - 4} V${y} H${(x0 + px).toFixed(1)} V${y - 4}" fill="none" stroke="#1d2a33" stroke-width="1.5"/>` +
    `<text x="${x0 + px / 2}" y="${y - 6}" font-family="DejaVu Sans, Arial, sans-serif" font-size="10" fill="#1d2a33" text-anchor="middle">${nm} nm</text>`
  );
}
