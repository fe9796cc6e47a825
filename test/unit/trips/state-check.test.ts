/**
 * The trips entry's hand checks (src/trips/state-check.ts) against the zod schemas they stand in front of: a
 * trip or leg prediction passes the hand check exactly when the schema would return it unchanged, so a good
 * entry read from the Redis store never runs zod and a bad one gets the schema's answer.
 * Every field of both is broken in turn (wrong types, missing, an extra key) and the entry the extension ends
 * up with is the schema's.
 */
import { isDeepStrictEqual } from 'node:util';
import { isLegPrediction, isTrip } from '../../../src/trips/state-check';
import { legSchema, tripSchema, tripsTrackState, type TripState, type LegPrediction } from '../../../src/trips/state';
import type { TrackState } from '../../../src/detect/track-state';

const KAEX = {
  icao: 'KAEX',
  iata: 'AEX',
  name: 'Alexandria International',
  country: 'US',
  tz: 'America/Chicago',
  lat: 31.33,
  lon: -92.55,
  distanceNm: 1.2,
};
const MGGT = { icao: 'MGGT', name: 'La Aurora', country: 'GT', lat: 14.58, lon: -90.53 };

const fullTrip: TripState = {
  id: '05477dcca564fdbc2722e6c79136d454',
  status: 'closed',
  origin: 'US',
  legs: [
    {
      from: KAEX,
      to: MGGT,
      departedAt: 1796284435359,
      arrivedAt: 1796295435359,
      inferred: true,
      src: 'rx',
      pts: [
        [1796284435359, 31.3, -92.5, 35000, 1796284436068],
        [1796284495359, 31.0, -92.4, null, 1796284496068],
      ],
      gap: 60000,
    },
    { from: MGGT, to: null, departedAt: null, src: 'adsbx', pts: [], gap: 120000 },
  ],
  countries: ['GT'],
  announced: true,
  closedAt: 1796299435359,
  closeReason: 'returned',
};
const bareTrip: TripState = {
  id: 't',
  status: 'open',
  origin: null,
  legs: [{ from: null, departedAt: null, src: 'rx', pts: [], gap: 1 }],
  countries: [],
  announced: false,
};
const fullLeg: LegPrediction = {
  key: 1796284435359,
  dep: 'KAEX',
  evalAt: 1796284495359,
  streak: { shenyang: 2, guatemala: 0 },
  emitted: [{ destination: 'guatemala', icao: 'MGGT', p: 0.8, eta: 1796295435359, at: 1796284495359 }],
  from: ['alexandria'],
  prior: [['MGGT', 3, 0.5]],
  threshold: 0.6,
};
const bareLeg: LegPrediction = { key: 1, dep: null, evalAt: 2, streak: {}, emitted: [] };

const WRONG: unknown[] = [null, 0, -1.5, '', 'x', true, [], {}, [1, 2, 3], undefined, 'ground-stop-limit', 'open'];

/** `v` with the value at `path` replaced (undefined: the key removed). */
function withAt(v: unknown, path: (string | number)[], to: unknown): unknown {
  if (!path.length) return to;
  const [k, ...rest] = path;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  const next = withAt(copy[k], rest, to);
  if (next === undefined && !Array.isArray(copy)) delete copy[k];
  else copy[k] = next;
  return copy;
}

/** Every path into `v` (objects and arrays), the root included. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (v && typeof v === 'object')
    for (const [k, c] of Object.entries(v)) out.push(...paths(c, [...at, Array.isArray(v) ? Number(k) : k]));
  return out;
}

/** Each path broken every WRONG way, plus an unknown key in every object (arrays from JSON have none). */
function variants(good: object): unknown[] {
  const out: unknown[] = [];
  for (const p of paths(good)) {
    for (const w of WRONG) out.push(withAt(good, p, w));
    const at = p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], good);
    if (at && typeof at === 'object' && !Array.isArray(at)) out.push(withAt(good, [...p, 'extra'], 1));
  }
  return out;
}

const stateWith = (entry: object): TrackState =>
  ({ ext: { trips: JSON.parse(JSON.stringify(entry)) } }) as unknown as TrackState;

describe('trips entry hand checks against the zod schemas', () => {
  it.each([
    ['trip', fullTrip, isTrip, tripSchema],
    ['trip, no optional field', bareTrip, isTrip, tripSchema],
    ['leg prediction', fullLeg, isLegPrediction, legSchema],
    ['leg prediction, no optional field', bareLeg, isLegPrediction, legSchema],
  ] as const)('a good %s is accepted by hand, as it is', (_name, good, check, schema) => {
    expect(check(good)).toBe(true);
    expect(schema.safeParse(good)).toEqual({ success: true, data: good });
  });

  it.each([
    ['trip', fullTrip, isTrip, tripSchema, 'trip'],
    ['leg prediction', fullLeg, isLegPrediction, legSchema, 'leg'],
  ] as const)(
    'every broken %s: accepted by hand only when the schema returns it unchanged; the entry is the schema’s',
    (_name, good, check, schema, part) => {
      // As the store reads them: through JSON (an undefined array entry becomes null, an undefined key goes).
      const all = variants(good).map((v) => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as unknown)));
      expect(all.length).toBeGreaterThan(250);
      let broken = 0;
      for (const v of all) {
        const z = schema.safeParse(v);
        const unchanged = z.success && isDeepStrictEqual(z.data, v);
        // Exactly the entries the schema would return as they are: never more, and no good one left to zod.
        expect([check(v), v]).toEqual([unchanged, v]);
        if (!z.success) broken++;
        const entry = tripsTrackState(stateWith({ [part]: v }));
        expect(entry[part]).toEqual(z.success ? z.data : undefined);
      }
      expect(broken).toBeGreaterThan(all.length / 2); // most breaks are real ones (some WRONG values fit a field)
    },
  );
});
