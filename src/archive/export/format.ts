/** Writers for exported legs: CSV (RFC 4180), JSON (one array), GeoJSON (a LineString per leg between its airports). */
import { EXPORT_COLUMNS, type ExportedLeg } from './columns';

export const EXPORT_FORMATS = ['csv', 'json', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(text).join('; ');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  return JSON.stringify(v);
}

/** One RFC 4180 field, with spreadsheet formulas defused. */
export function csvField(v: unknown): string {
  const s = text(v);
  // A leading =, +, - or @ makes spreadsheets evaluate the cell: quote it behind an apostrophe.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface LegWriter {
  head(): string;
  row(leg: ExportedLeg, first: boolean): string;
  tail(): string;
}

const csv: LegWriter = {
  head: () => `${EXPORT_COLUMNS.join(',')}\r\n`,
  row: (leg) => `${EXPORT_COLUMNS.map((c) => csvField(leg[c])).join(',')}\r\n`,
  tail: () => '',
};

const json: LegWriter = {
  head: () => '[\n',
  row: (leg, first) => `${first ? '' : ',\n'}${JSON.stringify(leg)}`,
  tail: () => '\n]\n',
};

function geometry(leg: ExportedLeg) {
  const a = leg.departure_lon !== null && leg.departure_lat !== null ? [leg.departure_lon, leg.departure_lat] : null;
  const b = leg.arrival_lon !== null && leg.arrival_lat !== null ? [leg.arrival_lon, leg.arrival_lat] : null;
  if (a && b) return { type: 'LineString', coordinates: [a, b] };
  if (a ?? b) return { type: 'Point', coordinates: a ?? b };
  return null;
}

const geojson: LegWriter = {
  head: () => '{"type":"FeatureCollection","features":[\n',
  row: (leg, first) =>
    `${first ? '' : ',\n'}${JSON.stringify({ type: 'Feature', id: leg.leg_id, geometry: geometry(leg), properties: leg })}`,
  tail: () => '\n]}\n',
};

export const WRITERS: Record<ExportFormat, LegWriter> = { csv, json, geojson };

/** The whole export as one string (tests, small exports). */
export function formatLegs(legs: ExportedLeg[], format: ExportFormat): string {
  const w = WRITERS[format];
  return w.head() + legs.map((l, i) => w.row(l, i === 0)).join('') + w.tail();
}
