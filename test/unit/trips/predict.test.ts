/**
 * The predictor's shortcuts must not change its answers: the per-aircraft corridor list (reused while the
 * course holds) and the destination caps of gate() are checked against a scan over every candidate, over
 * flights with turns, on a random airport table with destinations of airports, radii and countries.
 */
import { tripsSchema } from '../../../src/config/trips-schema';
import { destinationSchema } from '../../../src/config/schema';
import type { Airport } from '../../../src/places/airport-index';
import { createAirportIndex } from '../../../src/places/kd-airport-index';
import { buildCandidates, Predictor, type Corridor, type Observation } from '../../../src/trips';
import { unitVector } from '../../../src/geo/vector';
import { destinationPoint } from '../../../src/sim';
import { mulberry32 } from '../../../src/sim/random';

const rnd = mulberry32(42);
// Clustered airports (as real ones are) plus a uniform scatter; a "country" is a 20° × 20° cell (two letters).
const countryAt = (lat: number, lon: number) =>
  String.fromCharCode(65 + Math.floor((lat + 90) / 20)) + String.fromCharCode(65 + Math.floor((lon + 180) / 20));
const airports: Airport[] = [];
for (let i = 0; i < 2500; i++) {
  const clustered = i < 1500;
  const lat = clustered ? 10 + 30 * rnd() : Math.asin(2 * rnd() - 1) / (Math.PI / 180);
  const lon = clustered ? -100 + 40 * rnd() : -180 + 360 * rnd();
  airports.push({
    icao: `X${i.toString(36).toUpperCase().padStart(3, '0')}`,
    name: `Airport ${i}`,
    country: countryAt(lat, lon),
    lat,
    lon,
    elevationFt: Math.floor(rnd() * 6000),
    kind: rnd() < 0.3 ? 'large_airport' : rnd() < 0.6 ? 'medium_airport' : 'small_airport',
  });
}
const index = createAirportIndex(airports);
const destinations = [
  destinationSchema.parse({ id: 'one', airports: [airports[5].icao] }),
  destinationSchema.parse({ id: 'radius', airports: [airports[77].icao], radiusNm: 80 }),
  destinationSchema.parse({ id: 'country', airports: [airports[300].icao], countries: ['FE', 'GF'] }),
  destinationSchema.parse({ id: 'overlap', countries: ['GF', 'FG'] }),
];
const cfg = tripsSchema.parse({}).enRoute;
const set = buildCandidates(index, destinations, cfg);

/** Every candidate, for a scan that takes no shortcut (the frame is never compared: no reuse). */
function everything(of = set): Corridor {
  const members = new Int32Array(of.list.length);
  for (let i = 0; i < members.length; i++) members[i] = i;
  return { position: unitVector(0, 0), normal: unitVector(90, 0), members };
}

describe('Predictor shortcuts give the answers of a full scan', () => {
  // Defaults, and a short range with a narrow corridor (destinations out of range, caps off the band).
  it.each([[{}], [{ maxRangeNm: 500, corridorMaxNm: 40 }]])(
    'corridor reuse, caps and the gate bound over 80 flights with turns (%j)',
    (over) => {
      const cfg = tripsSchema.parse({ enRoute: over }).enRoute;
      const fast = new Predictor(set, cfg);
      const slow = new Predictor(set, cfg);
      const all = everything();
      let reused = 0;
      let gated = 0;
      let checks = 0;
      let destinationSeen = 0;
      let countDiffers = 0;
      let stopped = 0;
      let stopBroken = 0;
      let boundBroken = 0;
      let gateBroken = 0;
      let maxErr = 0;
      let maxTotalErr = 0;
      for (let f = 0; f < 80; f++) {
        let pos = { lat: 5 + 40 * rnd(), lon: -110 + 60 * rnd() };
        let trk = 360 * rnd();
        const dep = { lat: pos.lat, lon: pos.lon };
        let corridor: Corridor | undefined;
        for (let step = 0; step < 60; step++) {
          // Mostly straight, sometimes a turn (airway, vectoring), descending in the last third.
          if (rnd() < 0.15) trk = (trk + (rnd() - 0.5) * 60 + 360) % 360;
          pos = destinationPoint(pos, trk, 8);
          const obs: Observation = {
            t: step * 60_000,
            lat: pos.lat,
            lon: pos.lon,
            altFt: step > 40 ? 36_000 - (step - 40) * 1500 : 36_000,
            gsKt: 460,
            trackDeg: trk,
            vrateFpm: step > 40 ? -1500 : 0,
          };
          // Sometimes a callsign route, sometimes an airframe history (a destination airport and two others).
          const history =
            rnd() < 0.3
              ? ([
                  [airports[5].icao, 20 * rnd()],
                  [airports[77].icao, 5 * rnd()],
                  [airports[Math.floor(rnd() * airports.length)].icao, 10 * rnd()],
                ] as const)
              : undefined;
          const opts = { dep, priorIcao: rnd() < 0.2 ? airports[5].icao : undefined, priorWeight: 1.5, history };
          const ev = fast.observe(obs, opts);
          const gate = fast.gate(ev, cfg.threshold);
          const before = corridor;
          corridor = fast.corridor(ev, corridor);
          if (before === corridor) reused++;
          const full = slow.score(slow.observe(obs, opts), all);
          // The early stop may only say "none likely" when that is the full answer.
          if (gate.open && !fast.scoreIfAnyReaches(ev, corridor, gate, cfg.threshold)) {
            stopped++;
            for (let e = 0; e < destinations.length; e++) if (full.destinationP[e] >= cfg.threshold) stopBroken++;
          }
          const scores = fast.score(ev, corridor);
          checks++;
          if (scores.count !== full.count) countDiffers++;
          maxTotalErr = Math.max(maxTotalErr, Math.abs(scores.total - full.total));
          for (let e = 0; e < destinations.length; e++) {
            maxErr = Math.max(maxErr, Math.abs(scores.destinationP[e] - full.destinationP[e]));
            // The gate bounds every destination's probability from above …
            if (gate.bound[e] + 1e-12 < full.destinationP[e]) boundBroken++;
            if (full.destinationP[e] > 0) destinationSeen++;
            // … so a closed gate means no destination at the threshold.
            if (!gate.open && full.destinationP[e] >= cfg.threshold) gateBroken++;
          }
          if (!gate.open) gated++;
        }
      }
      expect({ countDiffers, boundBroken, gateBroken, stopBroken }).toEqual({
        countDiffers: 0,
        boundBroken: 0,
        gateBroken: 0,
        stopBroken: 0,
      });
      expect(maxErr).toBeLessThan(1e-12);
      expect(maxTotalErr).toBeLessThan(1e-9);
      // The shortcuts were exercised, not bypassed.
      expect(reused).toBeGreaterThan(checks / 3);
      expect(gated).toBeGreaterThan(checks / 10);
      expect(destinationSeen).toBeGreaterThan(checks / 10);
      expect(stopped).toBeGreaterThan(0);
    },
  );

  it('a candidate counts for every destination it satisfies (sum per destination entry)', () => {
    const p = new Predictor(set, cfg);
    const a = airports.find((x) => x.country === 'GF' && x.kind === 'large_airport')!;
    // Straight at a GF airport 150 nm out, descending: 'country' and 'overlap' both get its weight.
    const start = destinationPoint(a, 90, 150);
    const ev = p.observe({
      t: 0,
      lat: start.lat,
      lon: start.lon,
      altFt: 20_000,
      gsKt: 300,
      trackDeg: 270,
      vrateFpm: -2000,
    });
    const scores = p.score(ev, everything());
    for (const [e, d] of set.destinations.entries()) {
      let sum = 0;
      for (let k = 0; k < scores.count; k++) {
        const sc = scores.scored(k);
        if (sc.candidate.destinations.includes(d.id)) sum += sc.p;
      }
      expect(scores.destinationP[e]).toBeCloseTo(sum, 12);
    }
    // The airport it flies at counts for both destinations that cover GF.
    expect(set.byIcao.get(a.icao)!.destinations).toEqual(expect.arrayContaining(['country', 'overlap']));
    expect(scores.destinationP[set.destinations.findIndex((d) => d.id === 'country')]).toBeGreaterThan(0.3);
    expect(scores.destinationP[set.destinations.findIndex((d) => d.id === 'overlap')]).toBeGreaterThan(0.3);
  });

  it('a descent aimed at an airport names it even with many airports far beyond where the descent ends', () => {
    // A at 80 nm dead ahead; 30 large airports 300–700 nm further along the track.
    const start = { lat: 10, lon: 0 };
    const row = (icao: string, p: { lat: number; lon: number }): Airport => ({
      icao,
      name: icao,
      country: 'ZZ',
      lat: p.lat,
      lon: p.lon,
      elevationFt: 0,
      kind: 'large_airport',
    });
    const table = [row('AAAA', destinationPoint(start, 90, 80))];
    for (let k = 0; k < 30; k++)
      table.push(
        row(
          `B${k.toString().padStart(3, '0')}`,
          destinationPoint(destinationPoint(start, 90, 380 + k * 13), k % 2 ? 0 : 180, (k % 5) * 8),
        ),
      );
    const dests = [destinationSchema.parse({ id: 'a', airports: ['AAAA'] })];
    const small = buildCandidates(createAirportIndex(table), dests, cfg);
    const p = new Predictor(small, cfg);
    // FL300 at 2,000 fpm and 320 kt: the descent reaches the ground 80 nm out.
    const descending = p.observe({ t: 0, ...start, altFt: 30_000, gsKt: 320, trackDeg: 90, vrateFpm: -2000 });
    expect(p.score(descending, everything(small)).destinationP[0]).toBeGreaterThan(0.85);
    // Level at cruise instead: no such certainty (it may fly on to any of them).
    const level = p.observe({ t: 0, ...start, altFt: 30_000, gsKt: 450, trackDeg: 90, vrateFpm: 0 });
    expect(p.score(level, everything(small)).destinationP[0]).toBeLessThan(0.5);
  });
});
