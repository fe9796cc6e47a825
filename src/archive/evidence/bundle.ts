/**
 * An evidence bundle's files (docs/record.md, "Evidence"), a pure function of the archived records: raw
 * replies (NDJSON), the track (GeoJSON), the events, the airport inference with its runner-up, the watch
 * entries and their provenance, caveats, permalinks, and the record with its classification and review.
 * `signBundle` (manifest.ts) then hashes and signs them.
 */
import type { FlightEvent } from '../../domain/event';
import type { LandingDetails } from '../../domain/event-details';
import { caveatsOf } from './caveats';
import type { EvidenceInput, EvidenceLeg } from './input';
import { tracePermalinks } from './links';

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);
const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);
const FT_TO_M = 0.3048;

/** The leg's time span, epoch ms: its takeoff/landing times and its positions, whichever reach further. */
function legTimes(leg: EvidenceLeg): [number, number] {
  const times = [ms(leg.departedAt), ms(leg.arrivedAt), ...leg.positions.map((p) => p.time)].filter(Number.isFinite);
  return times.length ? [Math.min(...times), Math.max(...times)] : [NaN, NaN];
}

function trackGeoJson(input: EvidenceInput) {
  const features: unknown[] = [];
  for (const leg of input.legs) {
    features.push({
      type: 'Feature',
      geometry: {
        type: 'LineString',
        // GeoJSON: [lon, lat, altitude in metres]; ground or unknown altitude → 0.
        coordinates: leg.positions.map((p) => [p.lon, p.lat, Math.round((p.altFt ?? 0) * FT_TO_M)]),
      },
      properties: {
        legId: leg.id,
        from: leg.from?.icao ?? null,
        to: leg.to?.icao ?? null,
        departedAt: leg.departedAt,
        arrivedAt: leg.arrivedAt,
        times: leg.positions.map((p) => new Date(p.time).toISOString()),
        altFt: leg.positions.map((p) => p.altFt),
        sources: [...new Set(leg.positions.map((p) => p.source ?? null))],
      },
    });
  }
  for (const ev of input.events)
    if (ev.position)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [ev.position.lon, ev.position.lat] },
        properties: { eventId: ev.id, type: ev.type, time: ev.time, airport: ev.airport?.icao ?? null },
      });
  return { type: 'FeatureCollection', features };
}

const HOW_DEPARTED: Record<string, string> = {
  'ground-to-air': 'last ground position at the airport, then airborne',
  'ground-to-air-after-gap': 'on the ground at the airport, then airborne after a gap',
  'first-seen-climbing': 'first seen climbing near the airport (the climb fits it)',
  'reacquired-climbing': 'found again climbing out of the airport after a gap',
};
const HOW_ARRIVED: Record<string, string> = {
  'air-to-ground': 'first ground position at the airport',
  'air-to-ground-after-gap': 'on the ground at the airport after a gap',
  'signal-lost-low-slow': 'signal lost low and slow on approach; the airport the glide path fits best',
};

/**
 * The detector's airport inference on an inferred takeoff or landing (`details.airportInference`): how sure it
 * was of the airport it named, and the next most likely one. Null when the event named its airport from
 * ground positions (no inference ran) or predates the detector recording it.
 */
function inferenceOf(e: FlightEvent | undefined) {
  if (e?.type !== 'takeoff' && e?.type !== 'landing') return null;
  const inf: LandingDetails['airportInference'] = e.details?.airportInference;
  if (!inf) return null;
  return {
    confidence: inf.confidence,
    runnerUp: inf.runnerUp ?? null,
    candidates: inf.candidates,
    aircraftClass: inf.aircraftClass,
    basis: inf.basis,
  };
}

function runnerUpNote(takeoff: FlightEvent | undefined, landing: FlightEvent | undefined, predicted: boolean) {
  const inferred = [takeoff, landing].some((e) => inferenceOf(e) !== null);
  const parts: string[] = [];
  parts.push(
    inferred
      ? 'departure/arrival.inference: the airport the detector inferred, its confidence and runner-up (the next most likely airport, with its confidence and distance)'
      : 'both airports were named from positions at the airport (or the events predate inference records): no runner-up airport applies',
  );
  parts.push(
    predicted
      ? 'predictions[].runnersUp: the other airports route prediction weighed, with their probabilities'
      : 'no route prediction ran for this leg',
  );
  return parts.join('; ');
}

/**
 * Per leg: how each airport was inferred (from the takeoff/landing event details) and, where route prediction
 * ran, what it predicted with the runner-up airports and their probabilities (`en_route` alternatives).
 */
function airportInference(input: EvidenceInput) {
  const byId = new Map(input.events.map((e) => [e.id, e]));
  const ofLeg = (leg: EvidenceLeg, type: FlightEvent['type']) =>
    input.events.filter(
      (e) =>
        e.type === type &&
        ((leg.departedAt && type === 'takeoff' && e.time === leg.departedAt) ||
          (leg.arrivedAt && type === 'landing' && e.time === leg.arrivedAt)),
    );
  return input.legs.map((leg) => {
    const takeoff = ofLeg(leg, 'takeoff')[0];
    const landing = ofLeg(leg, 'landing')[0];
    const reason = (e: FlightEvent | undefined) =>
      e?.details && 'reason' in e.details && typeof e.details.reason === 'string' ? e.details.reason : undefined;
    const [from, to] = legTimes(leg);
    const predictions = input.events
      .filter((e): e is Extract<FlightEvent, { type: 'en_route' }> => e.type === 'en_route')
      .filter((e) => Date.parse(e.time) >= from && Date.parse(e.time) <= to)
      .map((e) => ({
        eventId: e.id,
        at: e.time,
        destination: e.destination?.id ?? null,
        airport: e.airport?.icao ?? null,
        confidence: e.details?.confidence ?? null,
        runnersUp: e.details?.alternatives ?? [],
        basis: e.details?.basis ?? null,
      }));
    const diversions = input.events
      .filter((e): e is Extract<FlightEvent, { type: 'diversion' }> => e.type === 'diversion')
      .filter(
        (e) => e.details && byId.has(e.details.landingId) && byId.get(e.details.landingId)?.time === leg.arrivedAt,
      )
      .map((e) => ({ eventId: e.id, landedAt: e.details?.landedAt ?? null, predicted: e.details?.predicted ?? [] }));
    const r1 = reason(takeoff);
    const r2 = reason(landing);
    return {
      legId: leg.id,
      departure: {
        airport: leg.from,
        eventId: takeoff?.id ?? null,
        reason: r1 ?? null,
        how: r1 ? (HOW_DEPARTED[r1] ?? r1) : 'no takeoff event archived',
        distanceNm: takeoff?.airport?.distanceNm ?? null,
        inference: inferenceOf(takeoff),
      },
      arrival: {
        airport: leg.to,
        eventId: landing?.id ?? null,
        reason: r2 ?? null,
        how: r2 ? (HOW_ARRIVED[r2] ?? r2) : 'no landing event archived',
        distanceNm: landing?.airport?.distanceNm ?? null,
        inference: inferenceOf(landing),
      },
      predictions,
      diversions,
      runnerUpNote: runnerUpNote(takeoff, landing, predictions.length > 0),
    };
  });
}

function links(input: EvidenceInput) {
  return input.legs.map((leg) => {
    const [from, to] = legTimes(leg);
    return {
      legId: leg.id,
      permalinks: Number.isFinite(from) && Number.isFinite(to) ? tracePermalinks(input.aircraft.hex, from, to) : [],
    };
  });
}

function record(input: EvidenceInput) {
  return {
    subject: input.subject,
    aircraft: input.aircraft,
    legs: input.legs.map(({ positions, ...leg }) => ({ ...leg, positions: positions.length })),
  };
}

const README = (input: EvidenceInput) => `flightwatch evidence bundle: ${input.subject.kind} ${input.subject.id}
aircraft ${input.aircraft.hex}${input.aircraft.registration ? ` (${input.aircraft.registration})` : ''}

Files
  record.json          the leg(s): airports, times, observed or inferred, classification, review with its history
  events.json          the detection events (schema flightwatch.event/v1)
  track.geojson        positions per leg (LineString, [lon, lat, metres]) and event points
  raw-replies.ndjson   the source replies behind the positions: source, URL (no secrets), time, status, SHA-256, body when kept
  airports.json        how each airport was inferred (confidence, runner-up), route predictions with theirs
  watch.json           the watch entries the aircraft matched, with note, source and date added
  caveats.json         coverage gaps, inferred or estimated times, what was not kept
  links.json           the aircraft on public viewers at the right dates (showTrace)
  public-key.pem       the Ed25519 key that signed manifest.json (also inside manifest.json)
  manifest.json        SHA-256 and size of every file above
  manifest.sig         Ed25519 signature over the exact bytes of manifest.json

Verify
  flightwatch evidence verify <this folder or zip>
By hand
  sha256sum <file>     and compare with manifest.json
  openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in manifest.json -sigfile manifest.sig
  Compare the key id (flightwatch evidence key) with the one the publisher gives.
`;

/** The bundle's files before signing (paths relative to the bundle root). */
export function bundleFiles(input: EvidenceInput, publicKeyPem: string): Map<string, Buffer> {
  const watchIds = [...new Set(input.events.flatMap((e) => e.watch?.ids ?? []))];
  return new Map<string, Buffer>([
    ['README.txt', Buffer.from(README(input))],
    ['record.json', json(record(input))],
    ['events.json', json(input.events)],
    ['track.geojson', json(trackGeoJson(input))],
    ['raw-replies.ndjson', Buffer.from(input.rawReplies.map((r) => `${JSON.stringify(r)}\n`).join(''))],
    ['airports.json', json(airportInference(input))],
    ['watch.json', json({ matched: watchIds, entries: input.watchEntries })],
    ['caveats.json', json(caveatsOf(input))],
    ['links.json', json(links(input))],
    ['public-key.pem', Buffer.from(publicKeyPem)],
  ]);
}
