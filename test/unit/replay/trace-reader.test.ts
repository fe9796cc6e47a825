import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseTraceDoc, TraceCursor } from '../../../src/replay/trace-reader';
import { ReplayInputError } from '../../../src/replay/errors';
import { parseJsonInput, readInputHead, readInputText } from '../../../src/replay/input-files';
import { AIRPORTS, buildTrace, writeTrace } from './helpers/synthetic-trace';

const doc = () => ({
  icao: 'ACB2BA',
  r: 'N917XA',
  t: 'b738',
  dbFlags: 1,
  ownOp: 'EASTERN 737 ASSET HOLDINGS LLC',
  timestamp: 1738360000.5,
  trace: [
    [
      0,
      31.3274,
      -92.5498,
      'ground',
      12,
      90,
      0,
      null,
      { flight: 'BBQ8368 ', squawk: '4521' },
      'adsb_icao',
      null,
      null,
      null,
      null,
    ],
    [30.25, 31.33, -92.54, 1200, 150.5, 91.2, 0, 2400, null, 'adsb_icao', 1300, null, null, null],
    [60, 31.34, -92.52, null, null, null, 1, null, { flight: 'BBQ8369 ' }, 'mlat', null, null, null, null],
    // pre-2022 rows end after the aircraft object
    [90, 31.35, -92.5, 3000, 200, 92, 0, 1800, null],
  ],
});

const all = (c: TraceCursor) => {
  const out = [];
  while (!c.done) out.push(c.next());
  return out;
};

describe('readsb trace reader', () => {
  it('maps rows to AircraftState with absolute times, ground, and carried-forward callsign/squawk', () => {
    const states = all(new TraceCursor(parseTraceDoc('t.json', doc()), 'replay:test'));
    expect(states).toHaveLength(4);
    expect(states.map((s) => s.observedAt)).toEqual([1738360000500, 1738360030750, 1738360060500, 1738360090500]);
    expect(states[0]).toMatchObject({
      hex: 'acb2ba',
      registration: 'N917XA',
      type: 'B738',
      operator: 'EASTERN 737 ASSET HOLDINGS LLC',
      callsign: 'BBQ8368',
      squawk: '4521',
      onGround: true,
      altFt: undefined,
      gsKt: 12,
      positionAgeS: 0,
      sourceId: 'replay:test',
      sourceType: 'adsb_icao',
    });
    expect(states[0].flags.military).toBe(true);
    expect(states[1]).toMatchObject({
      onGround: false,
      altFt: 1200,
      gsKt: 150.5,
      trackDeg: 91.2,
      vrateFpm: 2400,
      callsign: 'BBQ8368',
      squawk: '4521',
    });
    // null altitude: unknown, not on the ground
    expect(states[2]).toMatchObject({
      onGround: false,
      altFt: undefined,
      gsKt: undefined,
      callsign: 'BBQ8369',
      sourceType: 'mlat',
    });
    expect(states[3]).toMatchObject({ altFt: 3000, sourceType: undefined, callsign: 'BBQ8369' });
    expect(states[3].positionAt).toBe(states[3].observedAt);
  });

  it('sorts rows written out of order', () => {
    const d = doc();
    d.trace.reverse();
    const times = all(new TraceCursor(parseTraceDoc('t.json', d), 'x')).map((s) => s.observedAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it.each([
    [{ ...doc(), icao: 'nothex' }, 'icao', /icao "nothex" is not a 6-digit ICAO hex/],
    [{ ...doc(), timestamp: '2025' }, 'timestamp', /timestamp "2025" is not a number/],
    [{ ...doc(), trace: undefined }, 'trace', /trace is missing/],
    [
      {
        ...doc(),
        trace: [
          [0, 1, 2, 'ground'],
          [5, 95, 2, 100],
        ],
      },
      'trace[1]',
      /lat 95 is not a latitude/,
    ],
    [
      {
        ...doc(),
        trace: [
          [0, 1, 2, 'ground'],
          [5, 1, 2, 'air'],
        ],
      },
      'trace[1]',
      /altitude "air"/,
    ],
    [{ ...doc(), trace: [[0, 1, 2, 3], 'x'] }, 'trace[1]', /not an array/],
  ])('rejects bad documents naming the place (%#)', (d, at, msg) => {
    let err: unknown;
    try {
      parseTraceDoc('bad.json', d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReplayInputError);
    expect((err as ReplayInputError).at).toBe(at);
    expect((err as ReplayInputError).file).toBe('bad.json');
    expect((err as Error).message).toMatch(msg);
    expect((err as Error).message).toContain('bad.json');
  });

  describe('files', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'fw-trace-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads gzip content named .json exactly like the plain file (magic-byte sniffing)', () => {
      const d = buildTrace({
        hex: 'a2bd72',
        r: 'N276GX',
        t: 'A320',
        legs: [{ from: AIRPORTS.KHRL, to: AIRPORTS.MGGT, departS: 1738300000, callsign: 'GXA6117' }],
      });
      const plain = writeTrace(join(dir, 'trace_full_a2bd72.json'), d);
      const gz = writeTrace(join(dir, 'trace_full_a2bd72-gz.json'), d, true);
      expect(readInputText(gz)).toBe(readInputText(plain));
      expect(readInputHead(gz, 200)).toBe(readInputText(plain).slice(0, readInputHead(gz, 200).length));
      expect(readInputHead(gz, 200).length).toBeGreaterThan(0);
      const a = all(new TraceCursor(parseTraceDoc(gz, parseJsonInput(gz, readInputText(gz))), 'x'));
      expect(a.length).toBe((d.trace as unknown[]).length);
      expect(a[0].callsign).toBe('GXA6117');
    });

    it('names the file and line of invalid JSON', () => {
      const f = join(dir, 'broken.json');
      writeFileSync(f, '{"icao":"a2bd72",\n"timestamp": 1,\n"trace": [[0,1,2,3],,]}');
      expect(() => parseJsonInput(f, readInputText(f))).toThrow(/broken\.json \(line 3, column \d+\): not valid JSON/);
    });

    it('names the file of corrupt gzip data', () => {
      const f = join(dir, 'corrupt.json');
      const gz = gzipSync('{"icao":"a2bd72","timestamp":1,"trace":[]}');
      writeFileSync(f, Buffer.concat([gz.subarray(0, 12), Buffer.from('garbage-garbage-garbage')]));
      expect(() => readInputText(f)).toThrow(/corrupt\.json: gzip data is corrupt/);
    });
  });
});
