/**
 * Fuzz: 10,000 generated replies per source format (readsb v2 `ac`, readsb aircraft.json `aircraft`, OpenSky
 * `states`), structured but wrong: the right keys with wrong types, extreme numbers (±1e308, NaN, Infinity,
 * -0), huge strings, missing fields, wrong envelopes. Each record carries a known set of mutations, which
 * gives an oracle: the parser never throws anything but SourceError('malformed'), keeps every record it
 * can, and every rejection reason names the record and field (`ac[3].lat: …`, `states[2][6] (latitude): …`)
 * of a field that was actually mutated. Each reply is also fed through the text path (JSON body) and a
 * truncated copy of it.
 */
import fc from 'fast-check';
import {
  parseReadsbReply,
  parseReadsbText,
  MAX_REJECT_REASONS,
  type ParseContext,
} from '../../src/sources/readsb/parse';
import { parseOpenSkyReply, parseOpenSkyText } from '../../src/sources/opensky/parse';
import { SourceError, type FetchResult } from '../../src/sources/source';
import type { AircraftState } from '../../src/domain/aircraft-state';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ctx: ParseContext = { sourceId: 'fuzz', fetchedAt: 1_738_324_800_000 };

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/** Values that are wrong for any field expecting a number / string / boolean. */
const hugeString = fc.integer({ min: 5_000, max: 100_000 }).map((n) => 'X'.repeat(n));
const extremeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e11,
  -1e11,
);
// Huge strings are rarer (weight 1 of 11): each costs a JSON round trip of up to 100 kB.
const notANumber = fc.oneof(
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.array(fc.integer(), { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }) },
  { weight: 2, arbitrary: extremeNumber },
);
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);
const badHex = fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => !/^\s*~?[0-9a-fA-F]{6}\s*$/.test(s)),
  hugeString,
  notAString,
);

/** Plain assertion: jest's expect() costs microseconds, and the properties below check millions of facts. */
function check(cond: unknown, what: string, ...data: unknown[]): asserts cond {
  if (!cond) throw new Error(`${what}: ${data.map((d) => JSON.stringify(d)?.slice(0, 300)).join(' | ')}`);
}

/** Reasons may carry this tail when more than MAX_REJECT_REASONS problems were found. */
const isTail = (r: string) => /^… and \d+ more problem\(s\)$/.test(r);

function attempt(fn: () => FetchResult): FetchResult | SourceError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SourceError && e.kind === 'malformed' && /^source fuzz: malformed: \S/.test(e.message)) return e;
    throw e;
  }
}

/** The text path must agree in kind: a result or a SourceError; a cut-off body is always a SourceError naming the position. */
function checkTextPaths(parseText: (t: string, c: ParseContext) => FetchResult, body: unknown, cutAt: number) {
  const text = JSON.stringify(body);
  attempt(() => parseText(text, ctx));
  const cut = text.slice(0, Math.max(1, Math.floor(text.length * cutAt)));
  if (cut.length < text.length) {
    const r = attempt(() => parseText(cut, ctx));
    check(
      r instanceof SourceError && /not JSON: .*(position \d+|truncated)/.test(r.message),
      'a cut-off body is a SourceError naming the position',
      r instanceof SourceError ? r.message : 'parsed',
    );
  }
}

function checkState(s: AircraftState) {
  check(/^~?[0-9a-f]{6}$/.test(s.hex), 'hex normalized', s.hex);
  for (const v of [s.lat, s.lon, s.altFt, s.gsKt, s.trackDeg, s.vrateFpm, s.positionAgeS, s.positionAt, s.observedAt])
    check(v === undefined || Number.isFinite(v), 'numbers finite', s);
  check((s.lat === undefined) === (s.lon === undefined), 'lat and lon together', s);
  if (s.lat !== undefined) check(Math.abs(s.lat) <= 90 && Math.abs(s.lon!) <= 180, 'position in range', s);
}

// ---------------------------------------------------------------------------------------------- readsb
const READSB_NUM = ['alt_baro', 'gs', 'track', 'baro_rate', 'lat', 'lon', 'seen', 'seen_pos', 'dbFlags'] as const;
const READSB_STR = ['flight', 'r', 't', 'ownOp', 'squawk', 'type'] as const;
/** Fields read unconditionally: a wrong value there must always be reported (true_heading, geom_rate, seen_pos and lastPosition are fallbacks). */
const READSB_ALWAYS = new Set([
  'hex',
  'alt_baro',
  'gs',
  'track',
  'baro_rate',
  'lat',
  'lon',
  'seen',
  'dbFlags',
  ...READSB_STR,
]);

const validReadsb = (i: number) => ({
  hex: (0xabc000 + i).toString(16),
  flight: `WAL${i}  `,
  r: `N${i}XA`,
  t: 'GLF5',
  ownOp: 'Phoenix Air',
  alt_baro: 35_000,
  gs: 450.2,
  track: 271.5,
  baro_rate: -64,
  lat: 41.6,
  lon: 123.4,
  seen: 0.4,
  seen_pos: 0.9,
  squawk: '7700',
  dbFlags: 1,
  type: 'adsb_icao',
});

type Mutation = { field: string; value: unknown } | { field: string; drop: true };
const readsbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ field: fc.constant('hex'), value: badHex }),
  fc
    .record({ field: fc.constantFrom(...READSB_NUM), value: notANumber })
    .filter((m) => !(m.field === 'alt_baro' && m.value === 'ground')),
  fc.record({
    field: fc.constantFrom('lat'),
    value: fc.oneof(
      fc.double({ min: 90.000001, max: 1e9, noNaN: true }),
      fc.double({ min: -1e9, max: -90.000001, noNaN: true }),
    ),
  }),
  fc.record({
    field: fc.constantFrom('lon'),
    value: fc.oneof(
      fc.double({ min: 180.000001, max: 1e9, noNaN: true }),
      fc.double({ min: -1e9, max: -180.000001, noNaN: true }),
    ),
  }),
  fc.record({ field: fc.constantFrom(...READSB_STR), value: notAString }),
  fc.record({
    field: fc.constantFrom('lastPosition'),
    value: fc.oneof(
      notAString.filter((v) => typeof v !== 'object' || Array.isArray(v)),
      fc.record({ lat: notANumber, lon: notANumber, seen_pos: notANumber }),
    ),
  }),
  fc.record({ field: fc.constantFrom('true_heading', 'geom_rate'), value: notANumber }),
  fc.record({ field: fc.constantFrom(...READSB_NUM, ...READSB_STR), drop: fc.constant(true as const) }),
  fc.record({ field: fc.constantFrom('flight', 'r', 'ownOp'), value: hugeString }), // long but valid: kept
);

/** A record: valid base + mutations, or something that is not an object at all. */
const readsbRecord = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.array(readsbMutation, { maxLength: 3 }).map((muts) => ({ kind: 'record' as const, muts })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.array(fc.string(), { maxLength: 3 }),
        fc.constant(null),
        fc.string(),
      )
      .map((v) => ({ kind: 'junk' as const, v })),
  },
);

function buildReadsb(specs: { kind: 'record'; muts: Mutation[] } | { kind: 'junk'; v: unknown }, i: number) {
  if (specs.kind === 'junk') return specs.v;
  const rec: Record<string, unknown> = validReadsb(i);
  for (const m of specs.muts) {
    if ('drop' in m) delete rec[m.field];
    else rec[m.field] = m.value;
  }
  return rec;
}

function checkReadsb(
  key: 'ac' | 'aircraft',
  specs: ({ kind: 'record'; muts: Mutation[] } | { kind: 'junk'; v: unknown })[],
  now: unknown,
  cutAt: number,
  parse: typeof parseReadsbReply,
  parseText: typeof parseReadsbText,
) {
  const list = specs.map(buildReadsb);
  const body = { [key]: list, now, msg: 'No error' };
  const r = attempt(() => parse(body, ctx));
  // A valid envelope never fails as a whole; the bad records are rejected one by one.
  check(!(r instanceof SourceError), 'a valid envelope never fails as a whole', r instanceof SourceError && r.message);
  const res = r;
  const mutated = new Map<number, Set<string>>();
  specs.forEach((s, i) => mutated.set(i, new Set(s.kind === 'junk' ? ['*'] : s.muts.map((m) => m.field))));
  const reasons = res.rejectReasons ?? [];
  for (const reason of reasons) {
    if (isTail(reason) || reason.startsWith('now: ')) continue;
    const m = new RegExp(`^${key}\\[(\\d+)\\](?:\\.([A-Za-z_]+(?:\\.[a-z_]+)?))?: \\S`).exec(reason);
    check(m, 'reason names the record index and field', reason);
    const fields = mutated.get(Number(m[1]));
    check(fields, 'reason names an existing record', reason);
    const field = m[2];
    // Only a field that was made wrong is ever blamed (or the whole record when it was not an object).
    check(
      field === undefined ? fields.has('*') : fields.has(field.split('.')[0]),
      'only a mutated field is blamed',
      reason,
      [...fields],
    );
  }
  // Completeness while every reason is kept: each unconditional wrong field is named.
  if (!reasons.some(isTail) && reasons.length <= MAX_REJECT_REASONS) {
    specs.forEach((s, i) => {
      if (s.kind === 'junk')
        return check(
          reasons.some((x) => x.startsWith(`${key}[${i}]: expected an object`)),
          'a non-object record is named',
          i,
          reasons,
        );
      const last = new Map<string, Mutation>();
      for (const mu of s.muts) last.set(mu.field, mu);
      for (const [f, mu] of last) {
        if ('drop' in mu || !READSB_ALWAYS.has(f) || (f !== 'hex' && last.get('hex') && !('drop' in last.get('hex')!)))
          continue;
        if (typeof mu.value === 'string' && ['flight', 'r', 't', 'ownOp', 'squawk', 'type'].includes(f)) continue; // any string is fine there
        if (f === 'dbFlags' && typeof mu.value === 'number') continue; // a bit mask: any number is masked to its low 4 bits
        check(
          reasons.some((x) => x.startsWith(`${key}[${i}].${f}: `)),
          'every wrong field is named',
          `${key}[${i}].${f}`,
          reasons,
        );
      }
    });
  }
  // Counts: nothing silently dropped; every kept state is sane.
  const dropped = list.length - res.states.length;
  check(
    res.rejected >= dropped && res.rejected <= list.length,
    'rejected counts every dropped record',
    res.rejected,
    dropped,
  );
  check(res.rejected === 0 || reasons.length > 0, 'a rejection comes with a reason');
  for (const s of res.states) checkState(s);
  checkTextPaths(parseText, body, cutAt);
}

const nowArb = fc.oneof(
  fc.constant(1_738_324_800_000),
  fc.constant(1_738_324_800.5),
  notANumber,
  fc.constant(null),
  fc.constant(-5),
);

describe(`readsb replies, ${RUNS} each`, () => {
  it.each(['ac', 'aircraft'] as const)(
    '`%s` envelope: structured-but-wrong records are rejected one by one, each reason naming record and field',
    (key) => {
      fc.assert(
        fc.property(
          fc.array(readsbRecord, { maxLength: 8 }),
          nowArb,
          fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          (specs, now, cutAt) => checkReadsb(key, specs, now, cutAt, parseReadsbReply, parseReadsbText),
        ),
        { numRuns: RUNS },
      );
    },
  );

  it('wrong envelopes fail as a whole with a reason, never with a TypeError', () => {
    const envelope = fc.oneof(
      fc.record({
        ac: fc.oneof(
          notAString.filter((v) => !Array.isArray(v)),
          fc.string(),
        ),
      }),
      fc.record({ aircraft: fc.oneof(fc.integer(), fc.string(), fc.object({ maxDepth: 1 })) }),
      fc.record({ message: fc.string({ minLength: 1 }) }),
      fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer()), fc.constant(null), fc.boolean()),
    );
    fc.assert(
      fc.property(envelope, (body) => {
        const r = attempt(() => parseReadsbReply(body, ctx));
        if (r instanceof SourceError)
          check(
            /top level is|`ac` is|`aircraft` is|reply says/.test(r.message),
            'envelope failure says why',
            r.message,
          );
        else check(r.states.length === 0, 'no list, no states');
        attempt(() => parseReadsbText(JSON.stringify(body) ?? '', ctx));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------- OpenSky
/** index → [field name, expectation]. Unread columns (origin_country, sensors, geo_altitude, spi, category) are never blamed. */
const OS_FIELDS: Record<number, [string, 'num' | 'str' | 'bool']> = {
  1: ['callsign', 'str'],
  3: ['time_position', 'num'],
  4: ['last_contact', 'num'],
  5: ['longitude', 'num'],
  6: ['latitude', 'num'],
  7: ['baro_altitude', 'num'],
  8: ['on_ground', 'bool'],
  9: ['velocity', 'num'],
  10: ['true_track', 'num'],
  11: ['vertical_rate', 'num'],
  14: ['squawk', 'str'],
  16: ['position_source', 'num'],
};
const validVector = (i: number): unknown[] => [
  (0xabc000 + i).toString(16),
  'WAL917  ',
  'United States',
  1738324790,
  1738324799,
  -92.55,
  31.33,
  10363.2,
  false,
  231.5,
  271.2,
  -3.25,
  null,
  10500,
  '7700',
  false,
  0,
  1,
];

type OsMutation = { idx: number; value: unknown };
const osMutation: fc.Arbitrary<OsMutation> = fc.oneof(
  fc.record({ idx: fc.constant(0), value: badHex }),
  fc.record({ idx: fc.constantFrom(3, 4, 5, 6, 7, 9, 10, 11, 16), value: notANumber }),
  fc.record({ idx: fc.constantFrom(1, 14), value: notAString }),
  fc.record({
    idx: fc.constant(8),
    value: fc.oneof(fc.integer(), fc.string(), fc.array(fc.boolean(), { maxLength: 2 })),
  }),
  fc.record({
    idx: fc.constant(6),
    value: fc.oneof(
      fc.double({ min: 90.001, max: 1e9, noNaN: true }),
      fc.double({ min: -1e9, max: -90.001, noNaN: true }),
    ),
  }),
  fc.record({
    idx: fc.constant(5),
    value: fc.oneof(
      fc.double({ min: 180.001, max: 1e9, noNaN: true }),
      fc.double({ min: -1e9, max: -180.001, noNaN: true }),
    ),
  }),
  fc.record({ idx: fc.constantFrom(2, 12, 13, 15, 17), value: fc.oneof(notANumber, notAString) }), // unread columns
  fc.record({ idx: fc.constantFrom(1), value: hugeString }),
);
const osRecord = fc.oneof(
  { weight: 8, arbitrary: fc.array(osMutation, { maxLength: 3 }).map((muts) => ({ kind: 'vector' as const, muts })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 16 }).map((len) => ({ kind: 'short' as const, len })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.object({ maxDepth: 1 }), fc.string(), fc.integer(), fc.constant(null))
      .map((v) => ({ kind: 'junk' as const, v })),
  },
);
type OsSpec = { kind: 'vector'; muts: OsMutation[] } | { kind: 'short'; len: number } | { kind: 'junk'; v: unknown };

describe(`OpenSky /states/all replies, ${RUNS}`, () => {
  it('structured-but-wrong state vectors: each reason names the vector, index and field', () => {
    fc.assert(
      fc.property(
        fc.array(osRecord, { maxLength: 8 }),
        fc.oneof(fc.constant(1738324800), notANumber),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (specs: OsSpec[], time, cutAt) => {
          const states = specs.map((s, i) => {
            if (s.kind === 'junk') return s.v;
            if (s.kind === 'short') return validVector(i).slice(0, s.len);
            const v = validVector(i);
            for (const m of s.muts) v[m.idx] = m.value;
            return v;
          });
          const body = { time, states };
          const r = attempt(() => parseOpenSkyReply(body, ctx));
          check(
            !(r instanceof SourceError),
            'a valid envelope never fails as a whole',
            r instanceof SourceError && r.message,
          );
          const res = r;
          const reasons = res.rejectReasons ?? [];
          for (const reason of reasons) {
            if (isTail(reason) || reason.startsWith('time: ')) continue;
            const m = /^states\[(\d+)\](?:\[(\d+)\] \(([a-z_0-9]+)\))?: \S/.exec(reason);
            check(m, 'reason names the vector, index and field', reason);
            const spec = specs[Number(m[1])];
            check(spec, 'reason names an existing vector', reason);
            if (m[2] === undefined) {
              // Whole-vector problems: not an array, or too short.
              check(
                spec.kind === 'junk' || spec.kind === 'short',
                'whole-vector reason only for junk or short vectors',
                reason,
              );
            } else {
              const idx = Number(m[2]);
              check(
                spec.kind === 'vector' && spec.muts.some((x) => x.idx === idx),
                'only a mutated index is blamed',
                reason,
                spec,
              );
              check(idx === 0 || OS_FIELDS[idx][0] === m[3], 'index and field name agree', reason);
            }
          }
          if (!reasons.some(isTail) && reasons.length <= MAX_REJECT_REASONS)
            specs.forEach((s, i) => {
              if (s.kind !== 'vector')
                return check(
                  reasons.some((x) => x.startsWith(`states[${i}]: `)),
                  'a junk or short vector is named',
                  i,
                  reasons,
                );
              const last = new Map(s.muts.map((m) => [m.idx, m.value]));
              if (last.has(0))
                return check(
                  reasons.some((x) => x.startsWith(`states[${i}][0] (icao24)`)),
                  'a bad icao24 is named',
                  i,
                  reasons,
                );
              for (const [idx, v] of last) {
                if (!OS_FIELDS[idx] || (OS_FIELDS[idx][1] === 'str' && typeof v === 'string')) continue;
                // position_source only labels the state (sourceType "opensky:<n>"); any number is taken as is.
                if (idx === 16 && typeof v === 'number') continue;
                check(
                  reasons.some((x) => x.startsWith(`states[${i}][${idx}] (${OS_FIELDS[idx][0]}): `)),
                  'every wrong field is named',
                  `states[${i}][${idx}]`,
                  reasons,
                );
              }
            });
          check(
            res.rejected >= states.length - res.states.length,
            'rejected counts every dropped vector',
            res.rejected,
          );
          check(res.rejected === 0 || reasons.length > 0, 'a rejection comes with a reason');
          for (const s of res.states) checkState(s);
          checkTextPaths(parseOpenSkyText, body, cutAt);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
