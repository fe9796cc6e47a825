import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AircraftDb,
  AircraftDbError,
  EMPTY_AIRCRAFT_DB,
  loadAircraftDb,
  parseAircraftDbText,
} from '../../../src/enrich/aircraft-db';
import { parseCsv, CsvSyntaxError } from '../../../src/util/csv';
import { aircraftDbPath, loadConfiguredAircraftDb, loadEnrichment } from '../../../src/enrich/load';
import { parseOpenSkyText } from '../../../src/sources/opensky/parse';
import { parseReadsbReply, parseReadsbText } from '../../../src/sources/readsb/parse';
import { Watchlist } from '../../../src/domain/watchlist';
import { watchEntrySchema } from '../../../src/config/schema';
import { silentLogger } from '../../../src/util/log';
import { sameHiddenClass } from '../../helpers/v8-shape';
import {
  DUMP1090,
  OPENSKY_CONUS,
  VRS_AIRCRAFT,
  WISEMAN_AIRCRAFT,
  describeShared,
  readText,
} from '../../helpers/shared';

const ctx = { sourceId: 'opensky', fetchedAt: 1_738_361_590_000 };

describe('CSV reader', () => {
  it('handles quotes, escaped quotes, embedded commas/newlines, CRLF and a BOM, with start lines', () => {
    const rows = parseCsv('\uFEFFa,b,c\r\n1,"x, ""y""",3\n\n2,"multi\nline",\n"last",,');
    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, "y"', '3'] },
      { line: 4, fields: ['2', 'multi\nline', ''] },
      { line: 6, fields: ['last', '', ''] },
    ]);
  });

  it('names the line of an unterminated quote and of junk after a closing quote', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,"open\n2,3');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(2);
      expect((e as Error).message).toBe('unterminated quoted field');
    }
    expect(() => parseCsv('a\n"x"y')).toThrow(/unexpected "y" after a closing quote/);
  });
});

describeShared('VRS standing-data aircraft database (real file)', () => {
  const db = loadAircraftDb(VRS_AIRCRAFT);

  it('loads all 16,873 rows without problems', () => {
    expect(db.size).toBe(16873);
    expect(db.skipped).toBe(0);
    expect(db.origin).toBe(VRS_AIRCRAFT);
  });

  it('looks up GlobalX airframes in any case, reads the quoted field row, drops the "Private" placeholder', () => {
    expect(db.lookup('a2c4e0')).toEqual({ registration: 'N278GX', type: 'A320', operator: 'Global X' });
    expect(db.lookup('A2C4E0')).toEqual(db.lookup('a2c4e0'));
    expect(db.lookup('a0b145')).toEqual({ registration: 'N1438', type: 'A321', operator: 'Global X' });
    expect(db.lookup('88818d')).toEqual({ registration: 'VN-A878', type: 'B78X', operator: 'Vietnam Airlines' });
    expect(db.lookup('008098')).toEqual({ registration: 'ZU-NST', type: 'JAB4', operator: undefined });
    expect(db.lookup('ffffff')).toBeUndefined();
    expect(db.lookup('~a2c4e0')).toBeUndefined();
  });

  it('enriches a GXA airframe heard by a plain receiver: registration/type/operator filled, then matched by type', () => {
    // A dump1090-style record: hex and callsign only.
    const [s] = parseReadsbReply(
      { now: 1_700_000_000, aircraft: [{ hex: 'a2c4e0', flight: 'GXA6108 ', alt_baro: 3000 }] },
      ctx,
    ).states;
    expect(s.registration).toBeUndefined();
    const e = db.enrich(s);
    expect(e).toMatchObject({
      hex: 'a2c4e0',
      callsign: 'GXA6108',
      registration: 'N278GX',
      type: 'A320',
      operator: 'Global X',
      altFt: 3000,
    });
    expect(s.registration).toBeUndefined(); // the input is not mutated
    const wl = new Watchlist([
      watchEntrySchema.parse({ id: 'a320s', match: { types: ['A320'], registrations: ['N278GX'] } }),
    ]);
    expect(wl.match(s)).toBeUndefined();
    expect(wl.match(e)?.ids).toEqual(['a320s']);
  });

  it('never overrides what the source said, fills only the gaps', () => {
    const [s] = parseReadsbReply({ ac: [{ hex: 'a2c4e0', r: 'N999ZZ', ownOp: 'SOMEONE ELSE' }] }, ctx).states;
    const e = db.enrich(s);
    expect(e.registration).toBe('N999ZZ');
    expect(e.operator).toBe('SOMEONE ELSE');
    expect(e.type).toBe('A320');
    const full = { ...s, type: 'B738' };
    expect(db.enrich(full).type).toBe('B738');
  });

  it('enriched copies share one hidden class with each other and with the parsed states', () => {
    const states = parseReadsbReply(
      {
        ac: [{ hex: 'a2c4e0', flight: 'GXA6108 ' }, { hex: 'a2c4e0', r: 'N999ZZ', alt_baro: 3000 }, { hex: 'ffffff' }],
      },
      ctx,
    ).states;
    const [a, b, plain] = states.map((s) => db.enrich(s));
    expect(a).not.toBe(states[0]);
    expect(b).not.toBe(states[1]);
    expect(sameHiddenClass(a, b)).toBe(true);
    expect(sameHiddenClass(a, plain)).toBe(true);
  });

  it('returns the same object when there is nothing to add (unknown hex, ~ address, everything present)', () => {
    const [unknown, tisb, full] = parseReadsbReply(
      { ac: [{ hex: 'ffffff' }, { hex: '~a2c4e0' }, { hex: 'a2c4e0', r: 'N278GX', t: 'A320', ownOp: 'X' }] },
      ctx,
    ).states;
    expect(db.enrich(unknown)).toBe(unknown);
    expect(db.enrich(tisb)).toBe(tisb);
    expect(db.enrich(full)).toBe(full);
  });

  it('fills registration/type for real OpenSky vectors (VXP611 → N707VL B737, WAL290 → LZ-FSF A320)', () => {
    const states = db.enrichAll(parseOpenSkyText(readText(OPENSKY_CONUS), ctx).states);
    const vxp = states.find((s) => s.callsign === 'VXP611')!;
    expect(vxp).toMatchObject({ hex: 'a97075', registration: 'N707VL', type: 'B737' });
    expect(states.find((s) => s.callsign === 'WAL290')).toMatchObject({ registration: 'LZ-FSF', type: 'A320' });
    // 752 of the 6,109 CONUS vectors are in this (incomplete, crowd-sourced) database.
    expect(states.filter((s) => s.registration !== undefined)).toHaveLength(752);
  });

  it('passes the real dump1090-fa states through untouched: the compact DB knows none of those 36 hexes', () => {
    const states = parseReadsbText(readText(DUMP1090), ctx).states;
    expect(states.filter((s) => db.lookup(s.hex))).toHaveLength(0);
    const enriched = db.enrichAll(states);
    expect(enriched).toHaveLength(36);
    expect(enriched.every((s, i) => s === states[i])).toBe(true);
  });

  it('reads the adsbdb-style wiseman/ice-air list by its header names', () => {
    const w = loadAircraftDb(WISEMAN_AIRCRAFT);
    expect(w.size).toBe(14);
    expect(w.lookup('a2c4e0')).toEqual({ registration: 'N278GX', type: 'A320', operator: 'Global Crossing Airlines' });
  });
});

describe('other database shapes and bad files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fw-acdb-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the plain hex,registration,type,operator form, with or without a header', () => {
    const withHeader = parseAircraftDbText('hex,registration,type,operator\nACB2BA,N917XA,b738,Eastern Air Express\n');
    expect(withHeader.lookup('acb2ba')).toEqual({
      registration: 'N917XA',
      type: 'B738',
      operator: 'Eastern Air Express',
    });
    const headerless = parseAircraftDbText('acb2ba,N917XA,B738,"Eastern Air Express, Inc."\na2c4e0,N278GX,A320\n');
    expect(headerless.size).toBe(2);
    expect(headerless.lookup('acb2ba')?.operator).toBe('Eastern Air Express, Inc.');
    expect(headerless.lookup('a2c4e0')).toEqual({ registration: 'N278GX', type: 'A320', operator: undefined });
  });

  it('skips bad rows with file:line reasons and keeps the rest', () => {
    const db = parseAircraftDbText(
      'ICAO,Registration,ModelICAO\nZZZZZZ,N1,A320\nabc123,N2,B738\n~abc124,N3,B738\nABC123,N4,A321\n',
      'db.csv',
    );
    expect(db.size).toBe(1);
    expect(db.lookup('abc123')?.registration).toBe('N2');
    expect(db.skipped).toBe(3);
    expect(db.problems).toEqual([
      'db.csv:2: "ZZZZZZ" is not a 6-digit ICAO hex',
      'db.csv:4: "~abc124" is not a 6-digit ICAO hex',
      'db.csv:5: duplicate hex abc123 (the first row wins)',
    ]);
  });

  it('throws AircraftDbError naming the file and line for unusable files', () => {
    const noHex = join(dir, 'nohex.csv');
    writeFileSync(noHex, 'Name,Country\nfoo,bar\n');
    expect(() => loadAircraftDb(noHex)).toThrow(AircraftDbError);
    expect(() => loadAircraftDb(noHex)).toThrow(`${noHex}:1: no ICAO hex column in header "Name,Country"`);
    const badQuote = join(dir, 'quote.csv');
    writeFileSync(badQuote, 'ICAO,Registration\nabc123,N1\nabc124,"N2\n');
    expect(() => loadAircraftDb(badQuote)).toThrow(`${badQuote}:3: unterminated quoted field`);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect(() => loadAircraftDb(empty)).toThrow(`${empty}: file is empty`);
    expect(() => loadAircraftDb(join(dir, 'missing.csv'))).toThrow(
      /missing\.csv: cannot read aircraft database: ENOENT/,
    );
  });

  it('EMPTY_AIRCRAFT_DB and an in-memory DB behave like a loaded one', () => {
    const [s] = parseReadsbReply({ ac: [{ hex: 'abc123' }] }, ctx).states;
    expect(EMPTY_AIRCRAFT_DB.size).toBe(0);
    expect(EMPTY_AIRCRAFT_DB.enrich(s)).toBe(s);
    const mem = new AircraftDb([['abc123', { type: 'GLF5' }]]);
    expect(mem.enrich(s).type).toBe('GLF5');
  });

  it('loadEnrichment: configured file, data-dir fallback, and a broken file that does not crash', () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'hex,registration,type\nabc123,N5GV,GLF5\n');
    const [s] = parseReadsbReply({ ac: [{ hex: 'abc123' }] }, ctx).states;
    const enrich = loadEnrichment({ data: { dir, aircraftDb: good } }, silentLogger)!;
    expect(enrich(s).type).toBe('GLF5');

    expect(aircraftDbPath({ data: { dir } })).toBeUndefined();
    writeFileSync(join(dir, 'vrs-aircraft.csv'), 'ICAO,Registration,ModelICAO\nABC123,N6GV,GLF5\n');
    expect(aircraftDbPath({ data: { dir } })).toBe(join(dir, 'vrs-aircraft.csv'));
    expect(loadConfiguredAircraftDb({ data: { dir } }, silentLogger)?.lookup('abc123')?.registration).toBe('N6GV');

    const logged: string[] = [];
    const log = {
      ...silentLogger,
      info: () => {},
      warn: () => {},
      error: (o: { reason: string }) => logged.push(o.reason),
    } as never;
    expect(loadEnrichment({ data: { dir, aircraftDb: join(dir, 'nope.csv') } }, log)).toBeUndefined();
    expect(logged[0]).toMatch(/nope\.csv: cannot read aircraft database/);
  });
});
