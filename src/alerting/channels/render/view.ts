/**
 * Alert → what a person reads. One view model feeds the e-mail (subject, text, HTML) and every chat channel,
 * so they never disagree: a plain-words headline, the trip so far as legs, why the aircraft is watched, how
 * sure we are, and public-map links that open at the event's time. Machine fields (ids, ISO times, enum
 * values) stay in the webhook JSON. Values here are still raw (API-sourced); renderers escape for their medium.
 */
import { DateTime } from 'luxon';
import tzLookup from '@photostructure/tz-lookup';
import type { Alert, FlightAlert, OperationalAlert } from '../../channel';
import { isTestAlert, type AlertEvent, type FlightEvent } from '../../../domain/event';
import type { OperationalKind } from '../../../domain/operational-event';
import { aircraftLinks } from '../links';
import { certaintyOf, type Certainty } from './certainty';
import { eventFacts, legsOf, type LegRow } from './facts';
import { airportLabel, typeName } from './names';
import { headerText, oneLine } from './sanitize';
import { fmtLatLon, utcTime, type Row } from './format';

export { fmtLatLon, localTime, utcTime, type Row } from './format';

/** A watch entry as the reader needs it: why it exists and where that comes from (config `watch[]`). */
export interface WatchInfo {
  id: string;
  note?: string;
  source?: string;
}

export interface ViewContext {
  watch?: readonly WatchInfo[];
}

export interface AlertView {
  synthetic: boolean;
  /** Operational alerts: about flightwatch itself, no aircraft (no links, no map, no ADS-B disclaimer). */
  operational: boolean;
  /** A digest: an operational alert that summarises aircraft events, so it keeps the ADS-B disclaimer. */
  digest?: boolean;
  /** One line in plain words, header-safe: what happened, where, when (local and UTC). */
  headline: string;
  /** Operational alerts: what happened and what to do, one line. */
  summary?: string;
  /** Flight alerts: observed / inferred / predicted, with the reason. */
  certainty?: Certainty;
  /** Flight alerts: why the aircraft is watched (entries' notes and sources), tags. */
  why?: { entries: WatchInfo[]; tags: string[] };
  /** Trip events: the legs so far, in order. */
  legs?: LegRow[];
  rows: Row[];
  /** The aircraft on public maps, opening at the event's time; empty for operational alerts. */
  links: { label: string; href: string }[];
  alertId: string;
  eventId: string;
}

/** "Gulfstream V N123AB" (model and registration), else the callsign or hex. */
export function aircraftName(ev: FlightEvent): string {
  const a = ev.aircraft;
  const id = oneLine(a.registration || a.callsign || a.hex.toUpperCase(), 16);
  const model = typeName(a.type);
  return model ? `${model} ${id}` : id;
}

/** Typed by kind, so a new operational kind cannot ship with its raw id as the title. */
const OPERATIONAL_TITLES: Record<OperationalKind, string> = {
  blind: 'flightwatch is blind: no ADS-B data',
  recovered: 'flightwatch sees again: data flows',
  'channel-disabled': 'alert channel disabled',
  'archive-lag': 'the flight record is falling behind',
  digest: 'digest of operator-wide watch entries',
  'report-digest': 'report',
  'detection-behind': 'detection is falling behind its schedule',
  candidate: 'new candidate aircraft to review',
  'digest-failed': 'a digest could not be sent',
};

/** "operational: alert channel disabled (partner)" — what happened to flightwatch, no aircraft. */
function operationalHeadline(alert: OperationalAlert): string {
  const op = alert.event.details.operational;
  if (op.kind === 'digest') {
    const n = typeof op.events === 'number' ? `${op.events} event${op.events === 1 ? '' : 's'} of ` : '';
    return headerText(`digest: ${n}operator-wide watch entries`, 140);
  }
  // A digest is about the record, not about flightwatch: its own title, no "operational:".
  if (op.kind === 'report-digest') return headerText(op.title ?? `report ${op.period ?? ''}`, 140);
  const title = OPERATIONAL_TITLES[op.kind];
  const channel =
    op.kind === 'channel-disabled' && typeof op.channelId === 'string' ? ` (${oneLine(op.channelId, 40)})` : '';
  return headerText(`operational: ${title}${channel}`, 140);
}

/** "11:55 local, 03:55 UTC" (local only when a zone is known and differs from UTC). */
export function shortTimes(iso: string, zone: string | undefined): string {
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  if (!t.isValid) return oneLine(iso, 40);
  const utc = `${t.toFormat('HH:mm')} UTC`;
  if (!zone) return utc;
  const l = t.setZone(zone);
  return l.isValid && l.offset !== 0 ? `${l.toFormat('HH:mm')} local, ${utc}` : utc;
}

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** The sentence of the event, without aircraft and time: "landed at Shenyang Taoxian (ZYTX), China". */
function what(ev: FlightEvent): string {
  const at = ev.airport ? airportLabel(ev.airport) : undefined;
  const near = ev.position ? `near ${fmtLatLon(ev.position.lat, ev.position.lon)}` : 'position unknown';
  switch (ev.type) {
    case 'landing':
      return `landed ${at ? `at ${at}` : near}`;
    case 'takeoff':
      return `took off ${at ? `from ${at}` : near}`;
    case 'destination':
      return `landed ${at ? `at ${at}` : near}, a watched destination`;
    case 'en_route': {
      const d = ev.details;
      const out = d ? `, ${nf.format(d.distanceNm)} nm out` : '';
      return `heading for ${at ?? 'a watched destination'}${out}`;
    }
    case 'diversion':
      return `landed ${at ? `at ${at}` : near} instead of the predicted destination`;
    case 'touch_and_go':
      return `touched down and went around ${at ? `at ${at}` : near} (touch-and-go, no stop)`;
    case 'go_around':
      return `went around ${at ? `on approach to ${at}` : near} without touching down`;
    case 'squawk': {
      const d = ev.details;
      return `squawking ${d ? `${oneLine(d.code, 8)} (${oneLine(d.meaning, 40)})` : 'a watched code'} ${at ? `near ${at}` : near}`;
    }
    case 'trip': {
      const d = ev.details;
      const n = d?.legs.length ?? 0;
      const route = d ? legsRoute(d.legs) : '';
      return `${d?.status === 'closed' ? 'completed a trip' : 'is on a trip'}: ${route} (${n} leg${n === 1 ? '' : 's'})`;
    }
    case 'seen': {
      const d = ev.details;
      const where = at ? `at ${at}` : near;
      if (d?.phase === 'ground') return `seen on the ground ${where}`;
      if (d?.phase === 'airborne') return `seen airborne ${near}`;
      return `seen ${where}`;
    }
  }
}

function legsRoute(legs: { from: { icao: string } | null; to: { icao: string } | null }[]): string {
  if (!legs.length) return 'no legs yet';
  const stops = [legs[0]!.from?.icao ?? '?', ...legs.map((l) => l.to?.icao ?? '?')];
  return stops.map((s) => oneLine(s, 8)).join(' → ');
}

/** "Gulfstream V N123AB landed at Shenyang Taoxian (ZYTX), China — 11:55 local, 03:55 UTC" (header-safe). */
export function headline(alert: Alert): string {
  if (alert.operational) return operationalHeadline(alert);
  const ev = alert.event;
  let when = shortTimes(ev.time, localZone(ev));
  if (ev.type === 'en_route' && ev.details) when = `ETA ${shortTimes(ev.details.eta, localZone(ev))}`;
  const hedge = ev.type === 'en_route' ? 'predicted: ' : certaintyOf(ev).level === 'inferred' ? 'probably ' : '';
  const sentence =
    ev.type === 'en_route' ? `${hedge}${aircraftName(ev)} ${what(ev)}` : `${aircraftName(ev)} ${hedge}${what(ev)}`;
  return headerText(`${sentence} — ${when}`, 160);
}

export function subject(alert: Alert, prefix: string): string {
  const test = isSynthetic(alert.event) ? 'TEST ' : '';
  return headerText(`${headerText(prefix, 64)} ${test}${headline(alert)}`.trim(), 220);
}

export const isSynthetic = (ev: AlertEvent) => ev.type !== 'operational' && isTestAlert(ev);

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

function detailValue(v: unknown): string {
  return oneLine(typeof v === 'string' ? v : JSON.stringify(v), 300);
}

export function alertView(alert: Alert, ctx: ViewContext = {}): AlertView {
  return alert.operational ? operationalView(alert) : flightView(alert, ctx);
}

/** Operational: kind, time, summary and the kind's facts; nothing about an aircraft. */
function operationalView(alert: OperationalAlert): AlertView {
  const ev = alert.event;
  const { kind, summary, ...facts } = ev.details.operational;
  if (ev.details.operational.kind === 'report-digest') return digestView(alert, ev.details.operational.lines ?? []);
  const rows: Row[] = [
    { label: 'Event', value: oneLine(`operational (${kind})`, 40) },
    { label: 'Time (UTC)', value: utcTime(ev.time) },
  ];
  for (const [k, v] of Object.entries(facts))
    if (v !== undefined && v !== '') rows.push({ label: oneLine(k, 40), value: detailValue(v) });
  return {
    synthetic: false,
    operational: true,
    ...(kind === 'digest' ? { digest: true } : {}),
    headline: headline(alert),
    summary: oneLine(summary, 600),
    rows,
    links: [],
    alertId: oneLine(alert.id, 200),
    eventId: oneLine(ev.id, 200),
  };
}

/** A report digest: the summary lines as rows (chats cut them from the end to fit), nothing else. */
function digestView(alert: OperationalAlert, lines: readonly { label: string; value: string }[]): AlertView {
  const op = alert.event.details.operational;
  return {
    synthetic: false,
    operational: true,
    headline: headline(alert),
    summary: oneLine(op.summary, 600),
    rows: lines.map((l) => ({ label: oneLine(l.label, 80), value: oneLine(l.value, 300) })),
    links: [],
    alertId: oneLine(alert.id, 200),
    eventId: oneLine(alert.event.id, 200),
  };
}

function flightView(alert: FlightAlert, ctx: ViewContext): AlertView {
  const ev = alert.event;
  const byId = new Map((ctx.watch ?? []).map((w) => [w.id, w]));
  const entries = ev.watch.ids.map((id) => {
    const w = byId.get(id);
    return {
      id: oneLine(id, 64),
      ...(w?.note ? { note: oneLine(w.note, 500) } : {}),
      ...(w?.source ? { source: oneLine(w.source, 300) } : {}),
    };
  });
  const legs = legsOf(ev);
  const l = aircraftLinks(ev.aircraft.hex, ev.time);
  return {
    synthetic: isSynthetic(ev),
    operational: false,
    headline: headline(alert),
    certainty: certaintyOf(ev),
    why: { entries, tags: ev.watch.tags.map((t) => oneLine(t, 40)) },
    ...(legs ? { legs } : {}),
    rows: eventFacts(ev, localZone(ev)),
    links: [
      { label: 'ADS-B Exchange', href: l.adsbexchange },
      { label: 'ADS-B.lol', href: l.adsblol },
      { label: 'airplanes.live', href: l.airplaneslive },
    ],
    alertId: oneLine(alert.id, 200),
    eventId: oneLine(ev.id, 200),
  };
}
