/** The readable view model on real-ish events: en route, trip, destination, watch notes. */
import { alertView, subject } from '../../../../src/alerting/channels/render/view';
import { renderText } from '../../../../src/alerting/channels/render/text';
import { renderHtml } from '../../../../src/alerting/channels/render/html';
import { odds } from '../../../../src/alerting/channels/render/certainty';
import type { FlightAlert } from '../../../../src/alerting/channel';
import type { AirportRef, FlightEvent } from '../../../../src/domain/event';
import { landingAlert } from './fixture';

const ZYTX: AirportRef = {
  icao: 'ZYTX',
  iata: 'SHE',
  name: 'Shenyang Taoxian International Airport',
  country: 'CN',
  tz: 'Asia/Shanghai',
  lat: 41.6398,
  lon: 123.4833,
};
const MGGT: AirportRef = {
  icao: 'MGGT',
  name: 'La Aurora International Airport',
  country: 'GT',
  lat: 14.58,
  lon: -90.53,
};
const WATCH = [
  { id: 'ice-air', note: 'ICE Air removal charter operated by GlobalX', source: 'https://example.org/ice-air' },
];

function enRoute(): FlightAlert {
  const a = landingAlert();
  a.event = {
    ...a.event,
    type: 'en_route',
    time: '2026-01-14T03:17:00Z',
    aircraft: { hex: 'a1b2c3', registration: 'N123AB', type: 'GLF5' },
    airport: { ...ZYTX, distanceNm: 76.2 },
    position: { lat: 42.5, lon: 122.1, altFt: 18000, gsKt: 380, trackDeg: 135 },
    destination: { id: 'cn' },
    details: {
      confidence: 0.82,
      eta: '2026-01-14T03:55:00Z',
      etaMinutes: 38,
      distanceNm: 76,
      departure: 'PANC',
      // ZYYL is one of the destination's own airports: 0.82 + 0.3 would exceed 1 (src/trips/extension.ts
      // reports per-airport alternatives next to a per-destination probability).
      alternatives: [
        { icao: 'ZYYL', p: 0.3 },
        { icao: 'ZYYJ', p: 0.06 },
      ],
      basis: 'track+history',
    },
  };
  return a;
}

describe('readable view model', () => {
  it('en route: says how far out, never "at" the airport, with odds that add up to at most 1', () => {
    const a = enRoute();
    const s = subject(a, '[fw]');
    expect(s).toBe(
      '[fw] predicted: Gulfstream V N123AB heading for Shenyang Taoxian (ZYTX), China, 76 nm out — ETA 11:55 local, 03:55 UTC',
    );
    expect(s).not.toMatch(/\bat ZYTX\b/);
    const text = renderText(alertView(a), { map: false });
    expect(text).toMatch(/How sure: +predicted — 82 % likely, from the track and the airframe's past flights/);
    expect(text).toMatch(/Probability: +82 % this destination · ZYYJ 6 % · elsewhere 12 %/);
    expect(text).not.toContain('ZYYL');
    const o = odds(0.82, [
      { icao: 'ZYYL', p: 0.3 },
      { icao: 'ZYYJ', p: 0.06 },
    ]);
    expect(0.82 + o.others.reduce((t, x) => t + x.p, 0) + o.elsewhere).toBeCloseTo(1, 9);
  });

  it('trip: legs as a table with airport and country names, no raw JSON or codes-only countries', () => {
    const a = landingAlert();
    const kaex = a.event.airport!;
    a.event = {
      ...a.event,
      type: 'trip',
      details: {
        tripId: 'ab12cd:trip:20261127',
        status: 'closed',
        closeReason: 'returned',
        legs: [
          { from: kaex, to: MGGT, departedAt: '2026-11-27T14:00:00Z', arrivedAt: '2026-11-27T17:01:00Z' },
          {
            from: MGGT,
            to: kaex,
            departedAt: '2026-11-27T18:30:00Z',
            arrivedAt: '2026-11-27T21:40:00Z',
            inferred: true,
          },
        ],
        route: 'KAEX → MGGT → KAEX',
        origin: 'US',
        countries: ['GT'],
        destinations: ['central-america'],
      },
    };
    const v = alertView(a);
    expect(v.legs).toEqual([
      expect.objectContaining({ n: 1, from: 'Alexandria (KAEX), United States', to: 'La Aurora (MGGT), Guatemala' }),
      expect.objectContaining({ n: 2, note: 'inferred', arrived: '2026-11-27 21:40 UTC' }),
    ]);
    const text = renderText(v, { map: false });
    expect(text).toMatch(/Countries landed in: +Guatemala/);
    expect(text).toMatch(/Trip: +closed: back in the origin country/);
    expect(text).toMatch(/How sure: +inferred — 1 of 2 legs inferred/);
    for (const raw of ['["GT"]', '{"', 'tripId', 'ab12cd:trip:20261127', 'returned']) expect(text).not.toContain(raw);
    const html = renderHtml(v, { map: null });
    expect(html).toContain(
      '<td style="font-family:Arial,Helvetica,sans-serif;padding:4px 10px 4px 0;color:#1d2a33;vertical-align:top">La Aurora (MGGT), Guatemala</td>',
    );
  });

  it('says why the aircraft is watched from the watch entry note and source', () => {
    const text = renderText(alertView(landingAlert(), { watch: WATCH }), { map: false });
    expect(text).toContain('Why this aircraft is watched:');
    expect(text).toContain(
      'ice-air: ICE Air removal charter operated by GlobalX (source: https://example.org/ice-air)',
    );
    expect(text).toContain('tags: removal-charter');
  });

  it('destination: airport name and country in words; the config id only as the watched destination', () => {
    const a = landingAlert();
    a.event = {
      ...a.event,
      type: 'destination',
      airport: ZYTX,
      destination: { id: 'cn' },
      details: { via: 'airport', inferred: false, landingId: 'a1b2c3:landing:x' },
    };
    expect(subject(a, '')).toBe(
      'Boeing 737-800 N917XA landed at Shenyang Taoxian (ZYTX), China, a watched destination — 03:02 local, 19:02 UTC',
    );
    const text = renderText(alertView(a), { map: false });
    expect(text).toMatch(/Watched destination: +cn/);
    for (const machine of ['landingId', 'a1b2c3:landing:x', 'via']) expect(text).not.toContain(machine);
  });
});

describe('readable view model: other event types', () => {
  it('seen, squawk and takeoff read as sentences, without machine fields', () => {
    const seen = landingAlert();
    seen.event = { ...seen.event, type: 'seen', details: { firstSighting: true, phase: 'ground' } };
    expect(subject(seen, '')).toBe(
      'Boeing 737-800 N917XA seen on the ground at Alexandria (KAEX), United States — 13:02 local, 19:02 UTC',
    );
    const seenText = renderText(alertView(seen), { map: false });
    for (const machine of ['firstSighting', 'phase', 'true']) expect(seenText).not.toContain(machine);

    const squawk = landingAlert();
    squawk.event = {
      ...squawk.event,
      type: 'squawk',
      details: { code: '7500', meaning: 'unlawful interference', heldS: 60 },
    };
    expect(subject(squawk, '')).toMatch(
      /^Boeing 737-800 N917XA squawking 7500 \(unlawful interference\) near Alexandria/,
    );
    expect(renderText(alertView(squawk), { map: false })).toMatch(/Squawk: +7500 — unlawful interference, held 60 s/);

    const takeoff = landingAlert();
    takeoff.event = {
      ...takeoff.event,
      type: 'takeoff',
      details: { inferred: true, reason: 'first-seen-climbing', altFt: 4200 },
    };
    expect(subject(takeoff, '')).toMatch(/^Boeing 737-800 N917XA probably took off from Alexandria \(KAEX\)/);
    expect(renderText(alertView(takeoff), { map: false })).toMatch(
      /How sure: +inferred — first seen climbing at 4,200 ft/,
    );
  });

  it('says which followed hex a new hex continues, and on what evidence, in text and HTML', () => {
    const linked = landingAlert();
    linked.event = {
      ...linked.event,
      type: 'seen',
      aircraft: { ...linked.event.aircraft, hex: 'a9f00d' },
      details: {
        firstSighting: true,
        phase: 'airborne',
        linked: {
          previousHex: 'a1b2c3',
          reason: 'same-registration',
          matched: 'N917XA',
          gapSeconds: 250,
          distanceNm: 12.4,
          at: '2026-01-14T19:02:00Z',
        },
      },
    };
    const text = renderText(alertView(linked), { map: false });
    expect(text).toMatch(/Continues: +hex A1B2C3: same registration N917XA, unheard 4 min, 12 nm away/);
    expect(renderHtml(alertView(linked), { map: null })).toContain(
      'hex A1B2C3: same registration N917XA, unheard 4 min, 12 nm away',
    );
    const byCallsign = structuredClone(linked);
    Object.assign(byCallsign.event.details!, {
      linked: {
        ...(linked.event.details as { linked: object }).linked,
        reason: 'same-callsign',
        matched: 'GXA917',
        gapSeconds: 40,
      },
    });
    expect(renderText(alertView(byCallsign), { map: false })).toMatch(/same callsign GXA917, unheard 40 s/);

    const unlinked = landingAlert();
    unlinked.event = { ...unlinked.event, type: 'seen', details: { firstSighting: true, phase: 'ground' } };
    expect(renderText(alertView(unlinked), { map: false })).not.toContain('Continues');
  });
});

describe('touch-and-go and go-around headlines', () => {
  const alertOf = (event: FlightEvent): FlightAlert => ({ id: `${event.id}:partner`, channelId: 'partner', event });

  it('says the aircraft touched down and went around, at the airport, without calling it a landing', () => {
    const base = landingAlert().event;
    const ev: FlightEvent = {
      ...base,
      type: 'touch_and_go',
      details: { groundS: 20, groundPositions: 3, minGsKt: 95, departure: 'KAEX' },
    };
    const v = alertView(alertOf(ev));
    expect(v.headline).toMatch(/N917XA touched down and went around at .*\(KAEX\).* \(touch-and-go, no stop\) — /);
    expect(v.headline).not.toMatch(/landed/);
  });

  it('says the aircraft went around on approach without touching down', () => {
    const base = landingAlert().event;
    const ev: FlightEvent = {
      ...base,
      type: 'go_around',
      details: {
        lowestAltFt: 389,
        lowestHeightFt: 300,
        distanceNm: 1.2,
        descentFt: 1600,
        climbFt: 450,
        approachFrom: '2026-11-27T18:56:00.000Z',
        departure: null,
      },
    };
    expect(alertView(alertOf(ev)).headline).toMatch(
      /N917XA went around on approach to .*\(KAEX\).* without touching down — /,
    );
  });
});
