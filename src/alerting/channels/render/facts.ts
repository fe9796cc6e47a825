/**
 * The facts table of a flight alert, per event type, in words: what a volunteer needs to check and publish.
 * No enum values, ISO strings or ids here (those are for machines: the webhook JSON has them).
 */
import { DateTime } from 'luxon';
import type { AirportRef, FlightEvent, TripLeg } from '../../../domain/event';
import { isEstimated } from '../../../domain/event';
import { odds, percent } from './certainty';
import { airportLabel, countryName, shortAirportName, typeName } from './names';
import { oneLine } from './sanitize';
import { fmtLatLon, localTime, utcTime, type Row } from './format';

export interface LegRow {
  n: number;
  from: string;
  to: string;
  departed: string;
  arrived: string;
  /** "inferred" when the leg's landing or takeoff was concluded, not seen. */
  note: string;
  /** One short line for chat: "Alexandria (KAEX) → La Aurora (MGGT), 27 Nov 14:02–17:01 UTC". */
  brief: string;
}

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "2026-01-14 13:15 UTC" or "unknown". */
function shortUtc(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  return t.isValid ? t.toFormat("yyyy-LL-dd HH:mm 'UTC'") : oneLine(iso, 40);
}

const duration = (min: number) =>
  min >= 60 ? `${Math.floor(min / 60)} h ${Math.round(min % 60)} min` : `${nf.format(min)} min`;

function fullAirport(ap: AirportRef): string {
  const code = ap.iata ? `${oneLine(ap.icao, 8)} / ${oneLine(ap.iata, 8)}` : oneLine(ap.icao, 8);
  const dist = typeof ap.distanceNm === 'number' ? ` — ${ap.distanceNm.toFixed(1)} nm from the aircraft` : '';
  return oneLine(`${ap.name} (${code}), ${countryName(ap.country)}${dist}`, 220);
}

export function legsOf(ev: FlightEvent): LegRow[] | undefined {
  if (ev.type !== 'trip' || !ev.details) return undefined;
  return ev.details.legs.map((l: TripLeg, i) => ({
    n: i + 1,
    from: l.from ? airportLabel(l.from) : 'unknown',
    to: l.to ? airportLabel(l.to) : l.arrivedAt ? 'unknown' : 'in the air',
    departed: shortUtc(l.departedAt),
    arrived: l.arrivedAt ? shortUtc(l.arrivedAt) : '—',
    note: l.inferred ? 'inferred' : '',
    brief: briefLeg(l),
  }));
}

function briefLeg(l: TripLeg): string {
  const ap = (a: AirportRef | null) => (a ? `${shortAirportName(a.name)} (${oneLine(a.icao, 8)})` : '?');
  const dep = l.departedAt ? DateTime.fromISO(l.departedAt, { zone: 'utc' }) : undefined;
  const arr = l.arrivedAt ? DateTime.fromISO(l.arrivedAt, { zone: 'utc' }) : undefined;
  const day = (t: DateTime) => t.toFormat('d LLL HH:mm', { locale: 'en-US' });
  let when = '';
  if (dep?.isValid && arr?.isValid)
    when = `${day(dep)}–${arr.hasSame(dep, 'day') ? arr.toFormat('HH:mm') : day(arr)} UTC`;
  else if (dep?.isValid) when = `departed ${day(dep)} UTC`;
  const to = l.to ? ap(l.to) : l.arrivedAt ? '?' : 'in the air';
  return `${ap(l.from)} → ${to}${when ? `, ${when}` : ''}${l.inferred ? ' (inferred)' : ''}`;
}

export function eventFacts(ev: FlightEvent, zone: string | undefined): Row[] {
  const rows: Row[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) rows.push({ label, value });
  };
  const a = ev.aircraft;

  add('Time (UTC)', utcTime(ev.time) + (isEstimated(ev) ? ' (estimated)' : ''));
  if (zone) add(ev.airport ? 'Local time at airport' : 'Local time at position', localTime(ev.time, zone));
  const model = typeName(a.type);
  add(
    'Aircraft',
    [
      model && model !== a.type ? `${model} (${oneLine(a.type, 8)})` : model,
      a.registration,
      `hex ${a.hex.toUpperCase()}`,
    ]
      .filter(Boolean)
      .map((s) => oneLine(s, 60))
      .join(' · '),
  );
  add('Continues', continues(ev));
  add('Callsign', a.callsign ? oneLine(a.callsign, 16) : undefined);
  add('Operator', a.operator ? oneLine(a.operator, 120) : undefined);
  if (ev.airport) add(ev.type === 'en_route' ? 'Predicted airport' : 'Airport', fullAirport(ev.airport));
  if (ev.destination) add('Watched destination', oneLine(ev.destination.id, 64));

  typeFacts(ev, add);

  if (ev.position) {
    const p = ev.position;
    const onGround = ev.evidence.at(-1)?.onGround;
    add(
      'Position',
      [
        fmtLatLon(p.lat, p.lon),
        onGround ? 'on the ground' : typeof p.altFt === 'number' ? `${nf.format(p.altFt)} ft` : undefined,
        typeof p.gsKt === 'number' ? `${nf.format(p.gsKt)} kt` : undefined,
        typeof p.trackDeg === 'number' ? `heading ${nf.format(p.trackDeg)}°` : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
    );
  }
  const last = ev.evidence.at(-1);
  add(
    'Evidence',
    oneLine(
      `${ev.evidence.length} position${ev.evidence.length === 1 ? '' : 's'} from ${ev.source}` +
        (last
          ? `, the last at ${utcTime(last.time)}${typeof last.positionAgeS === 'number' ? ` (${nf.format(last.positionAgeS)} s old when fetched)` : ''}`
          : ''),
      200,
    ),
  );
  return rows;
}

/**
 * The identity link on an event of a hex that continues another's track (docs/detection.md): the reader sees
 * that this "new" aircraft is one already followed, and on what evidence, without opening the archive.
 * "hex A1B2C3: same registration N123XX, unheard 4 min, 12 nm away".
 */
function continues(ev: FlightEvent): string | undefined {
  const l = ev.details?.linked;
  if (!l) return undefined;
  const gap = l.gapSeconds < 60 ? `${nf.format(l.gapSeconds)} s` : duration(l.gapSeconds / 60);
  const same = l.reason === 'same-registration' ? 'same registration' : 'same callsign';
  const away = l.distanceNm < 10 ? l.distanceNm.toFixed(1) : nf.format(l.distanceNm);
  return oneLine(`hex ${l.previousHex.toUpperCase()}: ${same} ${l.matched}, unheard ${gap}, ${away} nm away`, 200);
}

type Add = (label: string, value: string | undefined) => void;

function departedFacts(d: { departure?: string | null; departedAt?: string; flightMinutes?: number }, add: Add) {
  if (!d.departure && !d.departedAt) return;
  const from = d.departure ? oneLine(d.departure, 8) : 'unknown airport';
  const at = d.departedAt ? ` at ${shortUtc(d.departedAt)}` : '';
  const took = typeof d.flightMinutes === 'number' ? ` (${duration(d.flightMinutes)} in the air)` : '';
  add('Departed', `${from}${at}${took}`);
}

function typeFacts(ev: FlightEvent, add: Add): void {
  switch (ev.type) {
    case 'landing': {
      const d = ev.details;
      if (d && 'note' in d && typeof d.note === 'string') add('Note', oneLine(d.note, 300));
      if (d) departedFacts(d, add);
      return;
    }
    case 'takeoff': {
      const d = ev.details;
      if (d?.lastGroundAt) add('Last on the ground', shortUtc(d.lastGroundAt));
      return;
    }
    case 'destination': {
      const d = ev.details;
      if (d?.arrival) add('Landed at', `${oneLine(d.arrival, 8)} (within the destination's radius)`);
      return;
    }
    case 'en_route': {
      const d = ev.details;
      if (!d) return;
      const local = ev.airport?.tz ? DateTime.fromISO(d.eta, { zone: 'utc' }).setZone(ev.airport.tz) : undefined;
      add(
        'Expected arrival',
        `${local?.isValid ? `${local.toFormat('HH:mm')} local, ` : ''}${shortUtc(d.eta)}, in about ${duration(d.etaMinutes)}`,
      );
      add('Distance', `${nf.format(d.distanceNm)} nm to go`);
      const o = odds(d.confidence, d.alternatives);
      add(
        'Probability',
        [
          `${percent(d.confidence)} this destination`,
          ...o.others.map((x) => `${oneLine(x.icao, 8)} ${percent(x.p)}`),
          `elsewhere ${percent(o.elsewhere)}`,
        ].join(' · '),
      );
      if (d.callsignRoute) add('Published route', oneLine(d.callsignRoute.route, 80));
      if (d.history?.length)
        add(
          'Past flights',
          oneLine(d.history.map((h) => `${h.icao} (${h.legs} leg${h.legs === 1 ? '' : 's'})`).join(', '), 200),
        );
      departedFacts(d, add);
      return;
    }
    case 'diversion': {
      const d = ev.details;
      if (!d) return;
      add(
        'Had been predicted',
        oneLine(
          d.predicted.map((p) => `${p.icao} (${percent(p.confidence)}, said at ${shortUtc(p.announcedAt)})`).join('; '),
          300,
        ),
      );
      departedFacts(d, add);
      return;
    }
    case 'squawk': {
      const d = ev.details;
      if (d) add('Squawk', `${oneLine(d.code, 8)} — ${oneLine(d.meaning, 60)}, held ${nf.format(d.heldS)} s`);
      return;
    }
    case 'trip': {
      const d = ev.details;
      if (!d) return;
      const closed: Record<string, string> = {
        returned: 'closed: back in the origin country',
        'ground-stop-limit': 'closed: on the ground too long',
        'new-trip': 'closed: a new trip started',
      };
      add('Trip', d.status === 'open' ? 'still open' : (closed[d.closeReason ?? ''] ?? 'closed'));
      add('From', d.origin ? countryName(d.origin) : undefined);
      add('Countries landed in', d.countries.length ? d.countries.map(countryName).join(', ') : 'none yet');
      add('Watched destinations', d.destinations.length ? oneLine(d.destinations.join(', '), 200) : undefined);
      return;
    }
    case 'seen': {
      const d = ev.details;
      if (d?.quietMinutes) add('Unheard before', duration(d.quietMinutes));
      if (d?.stale) add('Caution', 'the position was stale (satellite or old report)');
      return;
    }
  }
}
