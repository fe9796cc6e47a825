/**
 * Fuzz: configs (YAML text through parseConfigText) and plane-alert CSV rows (importPlaneAlert and the CLI
 * body). Configs start from a valid one and get leaves replaced by wrong values (wrong type, extreme number,
 * huge or control-character strings, unknown keys) or their text damaged; every outcome is either a valid
 * config or problems that each name a path (`watch[0].match.hex[0]`) or a line, and the mutated path is
 * among them. CSV files of generated rows (bad/duplicate hex, quotes, commas, line breaks inside fields,
 * huge fields) yield exactly one problem per bad row at that row's line, one watched hex per good row, and
 * the CLI prints problems as FILE:LINE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as toYamlText, parse as parseYaml } from 'yaml';
import { parseConfigText, type ConfigProblem } from '../../src/config/load';
import { importPlaneAlert, toYaml, type ImportOptions } from '../../src/watchlist-import/plane-alert';
import { runImportPlaneAlert } from '../../src/cli/commands/import-plane-alert';
import { watchEntrySchema } from '../../src/config/schema';

const CONFIG_RUNS = Number(process.env.FUZZ_CONFIG_RUNS ?? 2_000);
const CSV_FILES = Number(process.env.FUZZ_CSV_FILES ?? 1_000); // × up to 20 rows: ≥ 10,000 rows

function check(cond: unknown, what: string, ...data: unknown[]): asserts cond {
  if (!cond) throw new Error(`${what}: ${data.map((d) => JSON.stringify(d)?.slice(0, 400)).join(' | ')}`);
}

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

// ---------------------------------------------------------------------------------------------- config
const BASE = {
  sources: [
    { id: 'adsblol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol', requestsPerSecond: 1 },
    {
      id: 'opensky',
      kind: 'opensky',
      clientIdEnv: 'OPENSKY_CLIENT_ID',
      clientSecretEnv: 'OPENSKY_CLIENT_SECRET',
      bbox: { lamin: 21, lomin: -128, lamax: 50, lomax: -61 },
    },
    { id: 'home', kind: 'receiver', url: 'http://192.168.1.20/tar1090/data/aircraft.json' },
  ],
  poll: { schedule: '*/30 * * * * *', maxPositionAgeS: 60 },
  areas: [{ id: 'kaex', lat: 31.3274, lon: -92.5498, radiusNm: 60, note: 'Alexandria LA' }],
  watch: [
    { id: 'gulfstream-v', match: { types: ['GLF5'] }, tags: ['removal-charter'], note: 'GLF5', added: '2026-11-27' },
    { id: 'ice-air', match: { callsignPrefixes: ['GXA', 'SWQ'] }, exclude: { types: ['C172'] } },
    {
      id: 'known-tails',
      match: { hex: ['acb2ba'], registrations: ['N917XA'], squawks: ['7700'], flags: ['military'] },
    },
    { id: 'pattern', match: { callsignPattern: '^WAL\\d+$', operators: ['Phoenix Air'] } },
  ],
  destinations: [{ id: 'shenyang', airports: ['ZYTX'], countries: ['CN'], radiusNm: 5 }],
  alerts: {
    channels: [
      { id: 'ops', kind: 'email', to: ['alerts@example.org'] },
      { id: 'partner', kind: 'webhook', url: 'https://example.org/hooks', secretEnv: 'PARTNER_WEBHOOK_SECRET' },
    ],
    routes: [
      { match: { events: ['landing'], watch: ['gulfstream-v'] }, channels: ['ops', 'partner'], repeatInterval: '6h' },
    ],
    retry: { horizon: '24h', backoffBase: '30s', backoffMax: '2h' },
  },
};

type Path = (string | number)[];
function leaves(v: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  else out.push({ path, value: v });
  return out;
}
const LEAVES = leaves(BASE);
const fmt = (p: Path) => p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i ? `.${x}` : x)).join('');

const hugeString = fc.integer({ min: 2_000, max: 50_000 }).map((n) => 'Z'.repeat(n));
const nastyString = fc.oneof(
  fc.string({ maxLength: 30 }),
  hugeString,
  fc.constantFrom(
    '',
    ' ',
    'a\nb',
    '\r\n',
    '<script>alert(1)</script>',
    '${HOME}',
    '"quoted"',
    '*/x * * *',
    '((',
    '[a-',
    'zz12',
    '~~',
  ),
);
const extremeNumber = fc.constantFrom(-1, 0, 1e308, -1e308, 0.5, 1e21, -0, 2 ** 53 + 1, 123456789012);
/** A value of a different type than the original (so most are wrong; some, like a number for a duration, are valid). */
function wrongFor(original: unknown): fc.Arbitrary<unknown> {
  const containers = fc.oneof(
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.constantFrom('x', 'id', 'kind'), fc.integer(), { maxKeys: 2 }),
  );
  if (typeof original === 'number') return fc.oneof(nastyString, extremeNumber, fc.boolean(), containers);
  if (typeof original === 'boolean') return fc.oneof(nastyString, fc.integer(), containers);
  return fc.oneof(nastyString, extremeNumber, fc.boolean(), containers);
}

const mutation = fc
  .integer({ min: 0, max: LEAVES.length - 1 })
  .chain((i) => fc.record({ path: fc.constant(LEAVES[i].path), value: wrongFor(LEAVES[i].value) }));
const unknownKey = fc.record({
  at: fc.constantFrom<Path>(
    [],
    ['poll'],
    ['watch', 0],
    ['watch', 1, 'match'],
    ['sources', 0],
    ['alerts'],
    ['alerts', 'channels', 1],
  ),
  key: fc.constantFrom('extra', 'Sources', 'hexes', 'secret'),
});

function setIn(obj: unknown, path: Path, value: unknown) {
  let o = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
}

const related = (a: string, b: string) =>
  a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);

function checkProblems(problems: ConfigProblem[], lines: number) {
  check(problems.length > 0, 'an invalid config has problems');
  for (const p of problems) {
    check(p.path !== '' || p.line !== undefined, 'every problem names a path or a line', p);
    check(typeof p.message === 'string' && p.message.length > 0, 'every problem says what is wrong', p);
    if (p.line !== undefined) check(p.line >= 1 && p.line <= lines + 1, 'line within the file', p, lines);
  }
}

describe(`configs, ${CONFIG_RUNS} generated`, () => {
  it('the base config is valid', () => {
    const r = parseConfigText(toYamlText(BASE));
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('wrong values at any leaf, unknown keys: valid, or problems naming the mutated path', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.option(unknownKey), (muts, extra) => {
        const cfg = structuredClone(BASE);
        for (const m of muts) setIn(cfg, m.path, m.value);
        if (extra) {
          let o: Record<string | number, unknown> = cfg;
          for (const k of extra.at) o = o[k] as Record<string | number, unknown>;
          o[extra.key] = 'x';
        }
        const text = toYamlText(cfg);
        const r = parseConfigText(text);
        if (extra) check(!r.ok, 'an unknown key is refused', extra);
        if (r.ok) return;
        checkProblems(r.problems, text.split('\n').length);
        const mutated = [...muts.map((m) => fmt(m.path)), ...(extra ? [fmt(extra.at)] : [])];
        // Each reported path is one we damaged (or its parent/child: a list, a union member, a refinement).
        // Cross-field rules (unique ids, routes naming channels, watch ids, tags or destinations, backoffMax ≥ backoffBase)
        // may point elsewhere.
        const crossField =
          /already used|is not a channel|is not a (watch entry|watch entry tag|destination) in this config|backoffMax|needs airports or countries|needs at least one match key|empty/;
        for (const p of r.problems)
          check(
            p.path === '' || mutated.some((m) => related(p.path, m) || m === '') || crossField.test(p.message),
            'problem path relates to a mutation',
            p,
            mutated,
          );
        check(
          r.problems.some((p) => mutated.some((m) => related(p.path, m) || (m === '' && p.path !== ''))) ||
            r.problems.some((p) => crossField.test(p.message)),
          'the damaged path is named',
          mutated,
          r.problems,
        );
      }),
      { numRuns: CONFIG_RUNS },
    );
  });

  it('aliases without anchors and alias bombs are problems with a line, not exceptions (found by this fuzzer)', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    for (const [text, line] of [
      ['sources: *nope\n', 1],
      ['watch: []\nsources:\n  - *src\n', 3],
      [bomb, 2],
    ] as const) {
      const r = parseConfigText(text);
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.problems).toEqual([
          expect.objectContaining({ path: '', line, message: expect.stringMatching(/^YAML: .*alias/i) }),
        ]);
    }
  });

  it('damaged YAML text (deleted, inserted, swapped characters): problems with a line or path, never a throw', () => {
    const base = toYamlText(BASE);
    const edit = fc.record({
      at: fc.integer({ min: 0, max: base.length }),
      del: fc.integer({ min: 0, max: 20 }),
      ins: fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(':', '- ', '  ', '\t', '"', "'", '{', '[', '&a', '*a', '!!binary', '\n  x: 1\n', '? '),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.ins + text.slice(e.at + e.del);
        const r = parseConfigText(text);
        if (!r.ok) checkProblems(r.problems, text.split('\n').length);
      }),
      { numRuns: CONFIG_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------- CSV
const HEADER = '$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,$#Tag 2,$#Tag 3,Category,$#Link';
const hexArb = fc.integer({ min: 0, max: 0xffffff }).map((n) => n.toString(16).padStart(6, '0'));
type RowSpec = { hexKind: 'good' | 'dup' | 'bad' | 'empty'; hex: string; fields: string[] };
const fieldText = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 20 }).map((s) => s.replace(/\r(?!\n)/g, '')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'Global Crossing Airlines, LLC',
      'Dept of "Home" Affairs',
      'line\nbreak',
      'crlf\r\nbreak',
      '<b>html</b>',
      '=HYPERLINK("x")',
      '  padded  ',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'L'.repeat(n)) },
);
const badHex = fc.oneof(
  fc.constantFrom('zz12', '12345', '1234567', 'GHIJKL', '0x1234', 'acb2b', '~~~~~~'),
  fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((s) => !/^\s*~?[0-9a-fA-F]{6}\s*$/.test(s) && s.trim() !== '' && !/[\r\n]/.test(s)),
);
const rowSpec: fc.Arbitrary<RowSpec> = fc.record({
  hexKind: fc.constantFrom('good', 'good', 'good', 'dup', 'bad', 'empty'),
  hex: fc.oneof(hexArb, badHex),
  fields: fc.array(fieldText, { minLength: 10, maxLength: 10 }),
});

const quote = (f: string) => (/[",\r\n]/.test(f) || /^\s/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);

function buildCsv(specs: RowSpec[], eol: string) {
  const goodFirst = new Map<string, number>();
  const expectProblems = new Map<number, RegExp>();
  const lines: string[] = [HEADER];
  let line = 2;
  for (const s of specs) {
    let hex: string;
    if (s.hexKind === 'empty') hex = '';
    else if (s.hexKind === 'bad') hex = /^\s*~?[0-9a-fA-F]{6}\s*$/.test(s.hex) ? 'zz12' : s.hex;
    else if (s.hexKind === 'dup' && goodFirst.size) hex = [...goodFirst.keys()][line % goodFirst.size];
    else hex = /^[0-9a-f]{6}$/.test(s.hex) ? s.hex : 'abcdef';
    const text = [hex, ...s.fields].map(quote).join(',');
    const lc = line;
    if (s.hexKind === 'empty') expectProblems.set(lc, /no ICAO hex/);
    else if (!/^~?[0-9a-f]{6}$/.test(hex.trim().toLowerCase())) expectProblems.set(lc, /is not a 6-digit ICAO hex/);
    else if (goodFirst.has(hex)) expectProblems.set(lc, new RegExp(`already listed on line ${goodFirst.get(hex)}`));
    else goodFirst.set(hex, lc);
    lines.push(text);
    // Line breaks inside quoted fields move the next record's line (the parser counts \n inside quotes).
    line += 1 + s.fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
  }
  return { text: lines.join(eol) + eol, goodFirst, expectProblems, lines: line - 1 };
}

const csvOpts = (file: string): ImportOptions => ({
  file,
  idPrefix: 'pa',
  tags: [],
  groupBy: 'category',
  today: '2026-11-28',
});

describe(`plane-alert CSV, ${CSV_FILES} files of up to 20 rows`, () => {
  it('one problem per bad row at its line, one watched hex per good row, valid entries', () => {
    let rows = 0;
    fc.assert(
      fc.property(
        fc.array(rowSpec, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (specs, eol, unterminated) => {
          rows += specs.length;
          const csv = buildCsv(specs, eol);
          let text = csv.text;
          if (unterminated) text += '"deadbe,never closed\n';
          const r = importPlaneAlert(text, csvOpts('pa.csv'));
          const byLine = new Map<number, string[]>();
          for (const p of r.problems) {
            check(
              Number.isInteger(p.line) && p.line >= 1 && p.line <= csv.lines + 2,
              'problem line within the file',
              p,
            );
            byLine.set(p.line, [...(byLine.get(p.line) ?? []), p.message]);
          }
          for (const [line, re] of csv.expectProblems)
            check(
              byLine.get(line)?.some((m) => re.test(m)),
              'bad row reported at its line',
              line,
              re.source,
              r.problems.slice(0, 5),
            );
          if (unterminated)
            check(
              byLine.get(csv.lines + 1)?.some((m) => /unterminated quoted field/.test(m)),
              'unterminated quote reported at its line',
              csv.lines + 1,
              r.problems.slice(-3),
            );
          // Nothing else is reported: entry-level problems would mean a good row was dropped.
          const unexpected = r.problems.filter(
            (p) => !csv.expectProblems.has(p.line) && !(unterminated && p.line === csv.lines + 1),
          );
          check(unexpected.length === 0, 'no problem for good rows', unexpected.slice(0, 3));
          const hexes = r.entries.flatMap((e) => e.entry.match.hex ?? []);
          check(
            hexes.length === csv.goodFirst.size && new Set(hexes).size === hexes.length,
            'each good hex watched exactly once',
            hexes.length,
            csv.goodFirst.size,
          );
          for (const h of csv.goodFirst.keys()) check(hexes.includes(h), 'good hex imported', h);
          for (const e of r.entries)
            check(watchEntrySchema.safeParse(e.entry).success, 'entry is a valid watch entry', e.entry.id);
          if (r.entries.length) {
            const y = parseYaml(toYaml(r, csvOpts('pa.csv'))) as unknown;
            check(Array.isArray(y) || (y && typeof y === 'object'), 'toYaml output is YAML', typeof y);
          }
        },
      ),
      { numRuns: CSV_FILES },
    );
    expect(rows).toBeGreaterThanOrEqual(CSV_FILES * 5);
  });

  it('the CLI prints every problem as FILE:LINE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-fuzz-csv-'));
    try {
      const specs = fc.sample(rowSpec, { numRuns: 200, seed: 42 });
      const csv = buildCsv(specs, '\r\n');
      const file = join(dir, 'plane-alert-db.csv');
      writeFileSync(file, csv.text);
      const err: string[] = [];
      const code = runImportPlaneAlert(
        file,
        { idPrefix: 'pa', tag: [], groupBy: 'category', today: '2026-11-28' },
        { out: () => undefined, err: (s) => err.push(s) },
      );
      expect(code).toBe(0);
      const problemLines = err
        .join('')
        .split('\n')
        .filter((l) => l && !/imported \d+ aircraft/.test(l));
      expect(problemLines.length).toBe(csv.expectProblems.size);
      for (const l of problemLines)
        expect(l).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: \\S`));
      expect(new Set(problemLines.map((l) => Number(l.slice(file.length + 1).split(':')[0])))).toEqual(
        new Set(csv.expectProblems.keys()),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
