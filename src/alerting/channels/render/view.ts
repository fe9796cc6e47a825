/**
 * Alert → what a person reads. One view model feeds the subject, the text part and the HTML part, so they
 * never disagree. Values here are still raw (API-sourced); the templates escape for their medium.
 */
import { DateTime } from 'luxon';
import tzLookup from '@photostructure/tz-lookup';
import type { Alert, FlightAlert, OperationalAlert } from '../../channel';
import { isEstimated, isInferred, isTestAlert, type AlertEvent, type FlightEvent } from '../../../domain/event';
import { aircraftLinks } from '../links';
import { headerText, oneLine } from './sanitize';

export interface Row {
  label: string;
  value: string;
}

export interface AlertView {
  synthetic: boolean;
  /** Operational alerts: about flightwatch itself, no aircraft (no links, no map, no ADS-B disclaimer). */
  operational: boolean;
  /** Subject without prefix, already header-safe. */
  headline: string;
  /** Operational alerts: what happened and what to do, one line. */
  summary?: string;
  rows: Row[];
  /** The aircraft on public maps; empty for operational alerts. */
  links: { label: string; href: string }[];
  alertId: string;
  eventId: string;
}

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function aircraftName(ev: FlightEvent): string {
  const a = ev.aircraft;
  return oneLine(a.registration || a.callsign || a.hex.toUpperCase(), 16);
}

const OPERATIONAL_TITLES: Record<string, string> = {
  blind: 'flightwatch is blind: no ADS-B data',
  recovered: 'flightwatch sees again: data flows',
  'channel-disabled': 'alert channel disabled',
};

/** "operational: alert channel disabled (partner)" — what happened to flightwatch, no aircraft. */
function operationalHeadline(alert: OperationalAlert): string {
  const op = alert.event.details.operational;
  const title = OPERATIONAL_TITLES[op.kind] ?? oneLine(op.kind, 40);
  const channel =
    op.kind === 'channel-disabled' && typeof op.channelId === 'string' ? ` (${oneLine(op.channelId, 40)})` : '';
  return headerText(`operational: ${title}${channel}`, 140);
}

/** "landing: N917XA (B738) at KAEX Alexandria International Airport" (header-safe, capped). */
export function headline(alert: Alert): string {
  if (alert.operational) return operationalHeadline(alert);
  const ev = alert.event;
  const type = oneLine(ev.aircraft.type, 8);
  let where = '';
  if (ev.airport) where = ` at ${oneLine(ev.airport.icao, 8)} ${oneLine(ev.airport.name, 60)}`;
  else if (ev.destination) where = ` (destination ${oneLine(ev.destination.id, 40)})`;
  else if (ev.position) where = ` near ${fmtLatLon(ev.position.lat, ev.position.lon)}`;
  const kind = ev.type.replace(/_/g, ' ') + (isInferred(ev) ? ' (inferred)' : '');
  return headerText(`${kind}: ${aircraftName(ev)}${type ? ` (${type})` : ''}${where}`, 140);
}

export function subject(alert: Alert, prefix: string): string {
  const test = isSynthetic(alert.event) ? 'TEST ' : '';
  return headerText(`${headerText(prefix, 64)} ${test}${headline(alert)}`.trim(), 200);
}

export const isSynthetic = (ev: AlertEvent) => ev.type !== 'operational' && isTestAlert(ev);

function fmtLatLon(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(2)}°${lat >= 0 ? 'N' : 'S'} ${Math.abs(lon).toFixed(2)}°${lon >= 0 ? 'E' : 'W'}`;
}

/** The zone the reader cares about: the airport's, else the one under the aircraft. */
export function localZone(ev: FlightEvent): string | undefined {
  const candidates: (() => string | undefined)[] = [
    () => ev.airport?.tz,
    () => (ev.airport ? tzLookup(ev.airport.lat, ev.airport.lon) : undefined),
    () => (ev.position ? tzLookup(ev.position.lat, ev.position.lon) : undefined),
  ];
  for (const c of candidates) {
    try {
      const z = c();
      if (z && DateTime.now().setZone(z).isValid) return z;
    } catch {
      /* bad coordinates: try the next source */
    }
  }
  return undefined;
}

export function utcTime(iso: string): string {
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  return t.isValid ? t.toFormat("yyyy-LL-dd HH:mm:ss 'UTC'") : oneLine(iso, 40);
}

export function localTime(iso: string, zone: string): string | undefined {
  const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return t.isValid
    ? `${t.toFormat('yyyy-LL-dd HH:mm:ss ZZZZ', { locale: 'en-US' })} (${zone}, UTC${t.toFormat('ZZ')})`
    : undefined;
}

function altitude(altFt: number | null | undefined, onGround?: boolean): string | undefined {
  if (onGround) return 'on ground';
  if (typeof altFt === 'number') return `${nf.format(altFt)} ft`;
  return undefined;
}

function detailValue(v: unknown): string {
  return oneLine(typeof v === 'string' ? v : JSON.stringify(v), 300);
}

export function alertView(alert: Alert): AlertView {
  return alert.operational ? operationalView(alert) : flightView(alert);
}

/** Operational: kind, time, summary and the kind's facts; nothing about an aircraft. */
function operationalView(alert: OperationalAlert): AlertView {
  const ev = alert.event;
  const { kind, summary, ...facts } = ev.details.operational;
  const rows: Row[] = [
    { label: 'Event', value: oneLine(`operational (${kind})`, 40) },
    { label: 'Time (UTC)', value: utcTime(ev.time) },
  ];
  for (const [k, v] of Object.entries(facts))
    if (v !== undefined && v !== '') rows.push({ label: oneLine(k, 40), value: detailValue(v) });
  return {
    synthetic: false,
    operational: true,
    headline: headline(alert),
    summary: oneLine(summary, 600),
    rows,
    links: [],
    alertId: oneLine(alert.id, 200),
    eventId: oneLine(ev.id, 200),
  };
}

/** Details already rendered in the Event and Time rows. */
const SHOWN_DETAILS = new Set(['synthetic', 'inferred', 'estimated']);

function flightView(alert: FlightAlert): AlertView {
  const ev = alert.event;
  const a = ev.aircraft;
  const rows: Row[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push({ label, value });
  };

  // Say plainly when the event was inferred or its time estimated: monitors publish these facts.
  const qualifiers = [
    isInferred(ev) ? 'inferred: signal lost low and slow near the airport' : undefined,
    isEstimated(ev) ? 'time estimated' : undefined,
  ].filter(Boolean);
  add('Event', oneLine(ev.type.replace(/_/g, ' ') + (qualifiers.length ? ` (${qualifiers.join('; ')})` : ''), 100));
  add('Time (UTC)', utcTime(ev.time) + (isEstimated(ev) ? ' (estimated)' : ''));
  const zone = localZone(ev);
  if (zone) add(ev.airport ? 'Local time at airport' : 'Local time at position', localTime(ev.time, zone));
  add(
    'Aircraft',
    [a.registration, a.type, `hex ${a.hex.toUpperCase()}`]
      .filter(Boolean)
      .map((s) => oneLine(s, 40))
      .join(' · '),
  );
  add('Callsign', a.callsign ? oneLine(a.callsign, 16) : undefined);
  add('Operator', a.operator ? oneLine(a.operator, 120) : undefined);
  if (ev.airport) {
    const ap = ev.airport;
    const code = ap.iata ? `${ap.icao} / ${ap.iata}` : ap.icao;
    const dist = typeof ap.distanceNm === 'number' ? ` (${ap.distanceNm.toFixed(1)} nm from the aircraft)` : '';
    add('Airport', oneLine(`${code} ${ap.name}, ${ap.country}${dist}`, 200));
  }
  add('Destination', ev.destination ? oneLine(ev.destination.id, 64) : undefined);
  if (ev.position) {
    const p = ev.position;
    const lastGround = ev.evidence.at(-1)?.onGround;
    add(
      'Position',
      [
        fmtLatLon(p.lat, p.lon),
        altitude(p.altFt, lastGround),
        typeof p.gsKt === 'number' ? `${nf.format(p.gsKt)} kt` : undefined,
        typeof p.trackDeg === 'number' ? `track ${nf.format(p.trackDeg)}°` : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
    );
  }
  add('Watch', oneLine([...ev.watch.ids, ...ev.watch.tags.map((t) => `#${t}`)].join(', '), 200));
  const last = ev.evidence.at(-1);
  add(
    'Source',
    oneLine(
      `${ev.source}; ${ev.evidence.length} position${ev.evidence.length === 1 ? '' : 's'} as evidence` +
        (last
          ? `, last at ${utcTime(last.time)}${typeof last.positionAgeS === 'number' ? ` (age ${nf.format(last.positionAgeS)} s)` : ''}`
          : ''),
      200,
    ),
  );
  for (const [k, v] of Object.entries(ev.details ?? {}))
    if (!SHOWN_DETAILS.has(k) && v !== undefined) add(oneLine(k, 40), detailValue(v));
  // The id to cite and to pass to `flightwatch evidence export` (docs/record.md); a test alert has no record.
  if (!isSynthetic(ev)) add('Evidence id', oneLine(ev.id, 200));

  const l = aircraftLinks(a.hex);
  return {
    synthetic: isSynthetic(ev),
    operational: false,
    headline: headline(alert),
    rows,
    links: [
      { label: 'ADS-B.lol', href: l.adsblol },
      { label: 'ADS-B Exchange', href: l.adsbexchange },
      { label: 'airplanes.live', href: l.airplaneslive },
    ],
    alertId: oneLine(alert.id, 200),
    eventId: oneLine(ev.id, 200),
  };
}
