import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  importPlaneAlert,
  parseCsv,
  readRows,
  slugify,
  toYaml,
  type ImportOptions,
} from '../../../src/watchlist-import/plane-alert';
import { register, runImportPlaneAlert } from '../../../src/cli/commands/import-plane-alert';
import { watchEntrySchema, configSchema } from '../../../src/config/schema';
import { parseConfigText } from '../../../src/config/load';
import { WISEMAN_AIRCRAFT as WISEMAN, describeShared } from '../../helpers/shared';

// Mirrors the real plane-alert-db header (display markers, column order) with the tricky rows we must survive.
const HEADER = '$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,$#Tag 3,Category,$#Link';
const CSV = [
  HEADER,
  'ACB2BA,N917XA,Hillwood Airways,Boeing 737NG 86J/W,B738,Civ,Removal,ICE Air,,Deportation,https://example.org/n917xa',
  '"A2C4E0",N278GX,"Global Crossing Airlines, LLC",Airbus A320 214,A320,Civ,"Removal, charter",,,Deportation,',
  'zz12,N1BAD,Bad Hex Ltd,Cessna 172,C172,Civ,,,,Deportation,',
  '',
  '7CF9E1 ,VH-XYZ,"Department of ""Home"" Affairs",Gulfstream V,GLF5,Gov,Border,,,Government Jets,https://example.org/x',
  ',N2NOHEX,No Hex Inc,,,Civ,,,,Deportation,',
  'acb2ba,N917XA,Hillwood Airways,Boeing 737NG 86J/W,B738,Civ,,,,Deportation,',
  'a1b2c3,N55QL,"Quoted\nNewline Aviation",Learjet 45,LJ45,Civ,,,,,',
].join('\r\n');

const opts = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  file: 'pa.csv',
  idPrefix: 'pa',
  tags: [],
  groupBy: 'category',
  today: '2026-11-28',
  ...over,
});

describe('parseCsv', () => {
  it('handles quoted commas, doubled quotes, CRLF, embedded newlines and blank lines, keeping start lines', () => {
    const { records, problems } = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",z\nlast,1');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
      { line: 6, fields: ['last', '1'] },
    ]);
  });

  it('reports an unterminated quote with its line', () => {
    const { records, problems } = parseCsv('a,b\n1,2\n"open,3\n4,5');
    expect(records).toHaveLength(2);
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/unterminated quoted field/) }]);
  });
});

describe('readRows', () => {
  it('strips $/# markers, maps columns by name and reports bad rows with their line and reason', () => {
    const r = readRows(CSV, 'pa.csv');
    expect(r.layout).toBe('plane-alert-db');
    expect(r.rows.map((x) => [x.line, x.hex])).toEqual([
      [2, 'acb2ba'],
      [3, 'a2c4e0'],
      [6, '7cf9e1'],
      [9, 'a1b2c3'],
    ]);
    expect(r.rows[1]).toMatchObject({
      operator: 'Global Crossing Airlines, LLC',
      tags: ['Removal, charter'],
      icaoType: 'A320',
      cmpg: 'Civ',
    });
    expect(r.rows[2]).toMatchObject({
      operator: 'Department of "Home" Affairs',
      category: 'Government Jets',
      link: 'https://example.org/x',
    });
    expect(r.rows[3]).toMatchObject({ operator: 'Quoted Newline Aviation' });
    expect(r.rows[3].category).toBeUndefined();
    expect(r.problems).toEqual([
      { line: 4, message: '"zz12" is not a 6-digit ICAO hex' },
      { line: 7, message: 'no ICAO hex in this row' },
      { line: 8, message: 'hex acb2ba is already listed on line 2; duplicate skipped' },
    ]);
  });

  it('works with reordered and missing columns', () => {
    const r = readRows('Category,$Registration,$ICAO\nDictator Alert,P4-ABC,4B1234\n', 'x.csv');
    expect(r.rows).toEqual([{ line: 2, hex: '4b1234', registration: 'P4-ABC', category: 'Dictator Alert', tags: [] }]);
  });

  it('refuses a file without a hex column, naming what it found', () => {
    const r = readRows('$Registration,$Operator\nN1,X\n', 'x.csv');
    expect(r.rows).toEqual([]);
    expect(r.problems[0].line).toBe(1);
    expect(r.problems[0].message).toMatch(/no ICAO hex column .* got "\$Registration", "\$Operator"/);
  });
});

describe('importPlaneAlert', () => {
  it('groups by category by default: one entry per category with hex lists, provenance and valid schema', () => {
    const res = importPlaneAlert(CSV, opts({ tags: ['plane-alert'] }));
    expect(res.entries.map((e) => e.entry.id)).toEqual(['pa-deportation', 'pa-government-jets', 'pa-uncategorized']);
    const dep = res.entries[0];
    expect(dep.entry.match.hex).toEqual(['acb2ba', 'a2c4e0']);
    expect(dep.entry.tags).toEqual(['plane-alert', 'deportation']);
    expect(dep.entry.source).toBe('plane-alert-db: pa.csv lines 2-3');
    expect(dep.entry.added).toBe('2026-11-28');
    expect(dep.entry.note).toMatch(/plane-alert-db category "Deportation": 2 aircraft/);
    expect(dep.hexComments[0]).toBe(
      'line 2: N917XA · Hillwood Airways · Boeing 737NG 86J/W (B738) · Civ · tags: Removal / ICE Air · https://example.org/n917xa',
    );
    expect(res.entries[2].entry.tags).toEqual(['plane-alert']);
    for (const e of res.entries) expect(watchEntrySchema.safeParse(e.entry).success).toBe(true);
  });

  it('groups by operator, or one entry per aircraft with its row as note and source', () => {
    const byOp = importPlaneAlert(CSV, opts({ groupBy: 'operator', idPrefix: '' }));
    expect(byOp.entries.map((e) => e.entry.id)).toEqual([
      'hillwood-airways',
      'global-crossing-airlines-llc',
      'department-of-home-affairs',
      'quoted-newline-aviation',
    ]);
    const none = importPlaneAlert(CSV, opts({ groupBy: 'none' }));
    expect(none.entries.map((e) => e.entry.id)).toEqual(['pa-acb2ba', 'pa-a2c4e0', 'pa-7cf9e1', 'pa-a1b2c3']);
    const gov = none.entries[2].entry;
    expect(gov.source).toBe('plane-alert-db: pa.csv line 6');
    expect(gov.note).toBe(
      'VH-XYZ · Department of "Home" Affairs · Gulfstream V (GLF5) · Gov · category "Government Jets" · tags: Border · https://example.org/x',
    );
    expect(gov.tags).toEqual(['government-jets']);
  });

  it('gives distinct ids to keys that slugify alike', () => {
    const res = importPlaneAlert('$ICAO,Category\na00001,A&B\na00002,A-B\na00003,a b\n', opts());
    expect(res.entries.map((e) => e.entry.id)).toEqual(['pa-a-b', 'pa-a-b-2', 'pa-a-b-3']);
  });

  it('reads an adsbdb-style aircraft list (wiseman/ice-air layout) as a second layout', () => {
    const text =
      'ModeS,Registration,Manufacturer,ICAOTypeCode,Type,RegisteredOwners,OperatorFlagCode,icao\nACB2BA,N917XA,Boeing,B738,737NG 86J/W,Hillwood Airways,BBQ,acb2ba\n';
    const res = importPlaneAlert(text, opts({ groupBy: 'none' }));
    expect(res.layout).toBe('aircraft-list');
    expect(res.entries[0].entry).toMatchObject({
      id: 'pa-acb2ba',
      match: { hex: ['acb2ba'] },
      source: 'aircraft list: pa.csv line 2',
      note: 'N917XA · Hillwood Airways · Boeing 737NG 86J/W (B738)',
    });
  });
});

describe('toYaml', () => {
  it('emits YAML whose entries validate, with each row as a comment, and that loads as a config watchlist', () => {
    const o = opts();
    const yaml = toYaml(importPlaneAlert(CSV, o), o);
    expect(yaml).toMatch(
      /^# Imported by `flightwatch import plane-alert` from pa.csv on 2026-11-28: 4 aircraft in 3 watch entries \(3 problems reported, rows skipped\)/,
    );
    expect(yaml).toContain('- acb2ba # line 2: N917XA · Hillwood Airways');
    expect(yaml).toContain('- 7cf9e1 # line 6: VH-XYZ');
    const doc = parseYaml(yaml) as { watch: unknown[] };
    expect(doc.watch).toHaveLength(3);
    for (const e of doc.watch) expect(watchEntrySchema.parse(e)).toBeTruthy();
    // Through the real config loader, as a user pasting it would.
    const cfg = parseConfigText(
      `sources:\n  - { id: adsblol, kind: readsb-v2, baseUrl: "https://api.adsb.lol" }\n${yaml}`,
    );
    expect(cfg.ok).toBe(true);
    if (cfg.ok)
      expect(configSchema.parse(cfg.config).watch.map((w) => w.added)).toEqual([
        '2026-11-28',
        '2026-11-28',
        '2026-11-28',
      ]);
  });
});

describe('slugify', () => {
  it('makes ids from free text', () => {
    expect(slugify('Dictator Alert')).toBe('dictator-alert');
    expect(slugify('Força Aérea Brasileira')).toBe('forca-aerea-brasileira');
    expect(slugify('!!!')).toBe('x');
    expect(slugify('a'.repeat(80), 10)).toBe('aaaaaaaaaa');
  });
});

describe('flightwatch import plane-alert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fw-import-'));
  const csv = join(dir, 'plane-alert-db.csv');
  writeFileSync(csv, CSV);
  const run = (file: string, o: Partial<Parameters<typeof runImportPlaneAlert>[1]> = {}) => {
    let out = '';
    let err = '';
    const code = runImportPlaneAlert(
      file,
      { idPrefix: 'pa', tag: [], groupBy: 'category', today: '2026-11-28', ...o },
      {
        out: (s) => (out += s),
        err: (s) => (err += s),
      },
    );
    return { code, out, err };
  };

  it('prints YAML on stdout and each skipped row as FILE:LINE: reason on stderr; exit 0', () => {
    const r = run(csv);
    expect(r.code).toBe(0);
    expect(parseYaml(r.out).watch).toHaveLength(3);
    expect(r.err).toContain(`${csv}:4: "zz12" is not a 6-digit ICAO hex\n`);
    expect(r.err).toContain(`${csv}:7: no ICAO hex in this row\n`);
    expect(r.err).toContain(`${csv}:8: hex acb2ba is already listed on line 2`);
    expect(r.err).toMatch(/imported 4 aircraft \(plane-alert-db\) into 3 watch entries/);
  });

  it('writes --out and exits 1 when nothing could be imported', () => {
    const out = join(dir, 'out.yaml');
    expect(run(csv, { out, groupBy: 'none' }).code).toBe(0);
    expect(parseYaml(readFileSync(out, 'utf8')).watch).toHaveLength(4);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${HEADER}\nzz,N1,,,,,,,,,\n`);
    const r = run(bad);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${bad}:2: "zz" is not a 6-digit ICAO hex`);
    expect(r.err).toContain('no aircraft imported');
    expect(run(join(dir, 'missing.csv')).code).toBe(1);
  });

  it('rejects bad options with exit 2', () => {
    const r = run(csv, { tag: ['Bad Tag'], groupBy: 'type' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--tag "Bad Tag" is not a tag/);
    expect(r.err).toMatch(/--group-by "type" is not one of none, category, operator/);
  });

  it('registers as `import plane-alert` with repeatable --tag', async () => {
    const program = new Command().exitOverride();
    register(program);
    const out = join(dir, 'cli.yaml');
    const saved = process.exitCode;
    const write = process.stderr.write;
    process.stderr.write = () => true;
    try {
      await program.parseAsync(
        ['import', 'plane-alert', csv, '--tag', 'plane-alert', '--tag', 'watch', '--out', out, '--today', '2026-01-02'],
        { from: 'user' },
      );
      expect(process.exitCode).toBe(0);
    } finally {
      process.stderr.write = write;
      process.exitCode = saved;
    }
    const doc = parseYaml(readFileSync(out, 'utf8'));
    expect(doc.watch[0].tags).toEqual(['plane-alert', 'watch', 'deportation']);
    expect(doc.watch[0].added).toBe('2026-01-02');
  });
});

// The real wiseman/ice-air fleet list (read-only shared data; not copied into the repo).
describeShared('real aircraft list: wiseman/ice-air aircraft.csv', () => {
  it('imports every aircraft by hex, grouped by operator, and the result validates', () => {
    const text = readFileSync(WISEMAN, 'utf8');
    const res = importPlaneAlert(
      text,
      opts({ file: 'wiseman-ice-air-aircraft.csv', groupBy: 'operator', idPrefix: 'ice' }),
    );
    expect(res.layout).toBe('aircraft-list');
    expect(res.problems).toEqual([]);
    const dataRows = text.trim().split('\n').length - 1;
    expect(res.rows).toHaveLength(dataRows);
    const gxa = res.entries.find((e) => e.entry.id === 'ice-global-crossing-airlines')!;
    expect(gxa.entry.match.hex).toContain('a2c4e0');
    expect(res.entries.find((e) => e.entry.id === 'ice-hillwood-airways')!.entry.match.hex).toEqual(['acb2ba']);
    const all = res.entries.flatMap((e) => e.entry.match.hex!);
    expect(new Set(all).size).toBe(dataRows);
    for (const h of all) expect(h).toMatch(/^[0-9a-f]{6}$/);
    for (const e of res.entries) expect(watchEntrySchema.safeParse(e.entry).success).toBe(true);
  });
});
