/**
 * Natural Earth country outlines from world-atlas, parsed once per process per scale. 110m is enough for a
 * continent; zoomed in, 50m keeps coastlines and borders from cutting corners through cities. Every shape
 * keeps its lon/lat bounding box so a zoomed-in map projects only what it can show (50m is ~10x the points).
 */
import { readFileSync } from 'node:fs';
import { geoBounds } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

export type WorldScale = '110m' | '50m';

/** [west, south, east, north] in degrees; west > east when the shape crosses the antimeridian. */
export type LonLatBox = [number, number, number, number];

export interface Boxed<T> {
  shape: T;
  box: LonLatBox;
}

export interface World {
  countries: Boxed<GeoJSON.Feature<GeoJSON.Geometry, { name?: string }>>[];
  /** Shared edges between countries, one line each. */
  borders: Boxed<GeoJSON.LineString>[];
  /** Edges with no neighbour: the coastline. */
  coast: Boxed<GeoJSON.LineString>[];
}

type WorldTopology = Topology<{ countries: GeometryCollection<{ name?: string }> }>;

const cache = new Map<WorldScale, World>();

const boxOf = (g: GeoJSON.Feature | GeoJSON.Geometry): LonLatBox => {
  const [[w, s], [e, n]] = geoBounds(g as GeoJSON.Feature);
  return [w, s, e, n];
};

const lines = (m: GeoJSON.MultiLineString): Boxed<GeoJSON.LineString>[] =>
  m.coordinates.map((coordinates) => {
    const shape: GeoJSON.LineString = { type: 'LineString', coordinates };
    return { shape, box: boxOf(shape) };
  });

export interface UsStates {
  states: Boxed<GeoJSON.Feature<GeoJSON.Geometry, { name?: string }>>[];
  /** Borders between states (not the national border, which the countries already draw). */
  borders: Boxed<GeoJSON.LineString>[];
}

let usStates: UsStates | undefined;

/** US state outlines from us-atlas (Census cartographic boundaries, 1:10m), parsed on first use. */
export function loadUsStates(): UsStates {
  if (!usStates) {
    const file = require.resolve('us-atlas/states-10m.json');
    const topo = JSON.parse(readFileSync(file, 'utf8')) as WorldTopology & {
      objects: { states: GeometryCollection<{ name?: string }> };
    };
    const fc = feature(topo, topo.objects.states) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { name?: string }>;
    usStates = {
      states: fc.features.map((shape) => ({ shape, box: boxOf(shape) })),
      borders: lines(mesh(topo, topo.objects.states, (a: unknown, b: unknown) => a !== b)),
    };
  }
  return usStates;
}

export function loadWorld(scale: WorldScale): World {
  let w = cache.get(scale);
  if (!w) {
    const file = require.resolve(`world-atlas/countries-${scale}.json`);
    const topo = JSON.parse(readFileSync(file, 'utf8')) as WorldTopology;
    const fc = feature(topo, topo.objects.countries) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { name?: string }>;
    w = {
      countries: fc.features.map((shape) => ({ shape, box: boxOf(shape) })),
      borders: lines(mesh(topo, topo.objects.countries, (a: unknown, b: unknown) => a !== b)),
      coast: lines(mesh(topo, topo.objects.countries, (a: unknown, b: unknown) => a === b)),
    };
    cache.set(scale, w);
  }
  return w;
}

/** Longitude intervals of a box, split at the antimeridian. */
const lonSpans = ([w, , e]: LonLatBox): [number, number][] =>
  w <= e
    ? [[w, e]]
    : [
        [w, 180],
        [-180, e],
      ];

/** Whether two boxes may overlap (conservative: a false positive only costs projection time). */
export function boxesMeet(a: LonLatBox, b: LonLatBox): boolean {
  if (a[1] > b[3] || b[1] > a[3]) return false;
  return lonSpans(a).some(([a0, a1]) => lonSpans(b).some(([b0, b1]) => a0 <= b1 && b0 <= a1));
}
