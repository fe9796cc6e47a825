import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatOfDoc, readsbNowMs, sniffFormatFromHead, startTimeFromHead } from '../../../src/replay/formats';
import { planInput } from '../../../src/replay/plan';
import { ProgressBar } from '../../../src/replay/progress';
import { parseTraceDoc, TraceCursor } from '../../../src/replay/trace-reader';
import { toTraceDoc } from '../../../src/replay/trace-writer';
import { generateTrace } from '../../../src/sim';

describe('format sniffing', () => {
  it.each([
    ['{"icao":"a1b2c3","timestamp":1700000000.5,"trace":[[0,1,2,"ground"]]}', 'readsb-trace', 1700000000500],
    ['{ "now" : 1651363199.612,\n "messages": 1, "aircraft" : [{"hex":"a1b2c3"}]}', 'readsb-aircraft', 1651363199612],
    ['{"now":1738361582123,"total":1,"ctime":1,"ac":[{"hex":"a1b2c3"}]}', 'readsb-aircraft', 1738361582123],
    ['{"time":1738361582,"states":[["ab7437","GXA6117 "]]}', 'opensky-states', 1738361582000],
  ])('%s → %s', (head, format, start) => {
    expect(sniffFormatFromHead(head)).toBe(format);
    expect(startTimeFromHead(format as never, head)).toBe(start);
  });

  it('does not trust a time key that comes after the list (it could belong to a record)', () => {
    const head = '{"ac":[{"hex":"a1b2c3","now":5}],"now":1738361582123}';
    expect(sniffFormatFromHead(head)).toBe('readsb-aircraft');
    expect(startTimeFromHead('readsb-aircraft', head)).toBeUndefined();
  });

  it('tells formats from whole documents and readsb `now` units apart', () => {
    expect(formatOfDoc({ time: 1, states: null })).toBe('opensky-states');
    expect(formatOfDoc({ ac: [], now: 1 })).toBe('readsb-aircraft');
    expect(formatOfDoc({ icao: 'a1b2c3', trace: [] })).toBe('readsb-trace');
    expect(formatOfDoc([1, 2])).toBeUndefined();
    expect(readsbNowMs(1651363199.612)).toBe(1651363199612);
    expect(readsbNowMs(1651363199612)).toBe(1651363199612);
  });

  describe('planInput', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'fw-fmt-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('falls back to the whole document when the head is not conclusive (v2 reply with `now` last, gzip)', () => {
      const f = join(dir, 'v2.json');
      const ac = Array.from({ length: 400 }, (_, i) => ({
        hex: (0xa00000 + i).toString(16),
        flight: 'GXA6117 ',
        lat: 29,
        lon: -95,
      }));
      writeFileSync(f, gzipSync(JSON.stringify({ ac, msg: 'No error', now: 1738361582123 })));
      expect(planInput(f, 'auto')).toEqual({ file: f, format: 'readsb-aircraft', startMs: 1738361582123 });
    });

    it('names the missing clock when a forced format does not fit', () => {
      const f = join(dir, 'states.json');
      writeFileSync(f, '{"aircraft":[],"now":1}');
      expect(() => planInput(f, 'opensky-states')).toThrow(
        `${f} (time): time is missing or not a number (format opensky-states)`,
      );
    });

    it('says an empty file is empty', () => {
      const f = join(dir, 'empty.json');
      writeFileSync(f, '');
      expect(() => planInput(f, 'auto')).toThrow(`${f} (line 1, column 1): file is empty`);
    });
  });
});

describe('trace writer', () => {
  it('round-trips simulated states through a readsb trace document', () => {
    const sim = generateTrace({
      hex: 'a1b2c3',
      start: Date.UTC(2025, 5, 1),
      registration: 'N123GV',
      type: 'GLF5',
      intervalS: 30,
      squawks: [{ from: Date.UTC(2025, 5, 1, 0, 30), to: Date.UTC(2025, 5, 1, 0, 35), code: '7700' }],
      legs: [
        {
          from: { icao: 'KAEX', lat: 31.3274, lon: -92.549797 },
          to: { icao: 'KHRL', lat: 26.2285, lon: -97.654404 },
          callsign: 'GXA6117',
        },
      ],
    });
    const doc = JSON.parse(JSON.stringify(toTraceDoc(sim.states)));
    const c = new TraceCursor(parseTraceDoc('x.json', doc), 'sim');
    const back = [];
    while (!c.done) back.push(c.next());
    expect(back).toHaveLength(sim.states.length);
    back.forEach((s, i) => {
      const o = sim.states[i];
      expect([s.hex, s.registration, s.type, s.callsign, s.squawk, s.onGround, s.observedAt]).toEqual([
        o.hex,
        o.registration,
        o.type,
        o.callsign,
        o.squawk,
        o.onGround,
        o.positionAt,
      ]);
      expect([s.lat, s.lon, s.altFt, s.gsKt, s.trackDeg]).toEqual([o.lat, o.lon, o.altFt, o.gsKt, o.trackDeg]);
    });
    expect(back.filter((s) => s.squawk === '7700').length).toBe(10);
  });
});

describe('progress bar', () => {
  it('renders files, positions and the replay clock within the terminal width, throttled', () => {
    const line = ProgressBar.render(
      { filesStarted: 5, filesTotal: 20, positions: 123456, now: Date.UTC(2025, 0, 31, 22, 13) },
      100,
    );
    expect(line).toBe(`[${'#'.repeat(8)}${'.'.repeat(22)}] 25% 5/20 files 123,456 positions 2025-01-31 22:13Z`);
    expect(ProgressBar.render({ filesStarted: 1, filesTotal: 1, positions: 0, now: 0 }, 30).length).toBeLessThanOrEqual(
      29,
    );
    const out: string[] = [];
    let now = 0;
    const bar = new ProgressBar({ write: (s) => out.push(s), columns: 80 }, 100, () => now);
    bar.update({ filesStarted: 0, filesTotal: 2, positions: 0, now: 0 });
    now = 50;
    bar.update({ filesStarted: 1, filesTotal: 2, positions: 10, now: 0 });
    now = 150;
    bar.update({ filesStarted: 2, filesTotal: 2, positions: 20, now: 0 });
    bar.done();
    expect(out).toHaveLength(3);
    expect(out[1]).toContain('100% 2/2 files 20 positions');
    expect(out[2]).toBe('\r\x1b[K');
  });
});
