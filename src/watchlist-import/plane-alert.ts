/**
 * plane-alert-db CSV → flightwatch watch entries, pure (text in, entries + problems out).
 *
 * plane-alert-db headers carry display markers: `$ICAO,$Registration,$Operator,$Type,$ICAO Type,#CMPG,$Tag 1,
 * $#Tag 2,$#Tag 3,Category,$#Link` (`$` = show in notifications, `#` = hide). They are stripped and columns are
 * found by name, so reordered or missing columns work. A second layout, the adsbdb-style aircraft lists
 * (`ModeS,Registration,Manufacturer,ICAOTypeCode,Type,RegisteredOwners,…`, e.g. wiseman/ice-air), maps the same way.
 * Plane-Alert matches on ICAO hex only, so every entry matches on `hex`; the rest is kept as provenance.
 */
import { Document, type Scalar, type YAMLSeq } from 'yaml';
import { watchEntrySchema, type WatchEntry } from '../config/schema';
import { CsvSyntaxError, readCsv, type CsvRecord } from '../util/csv';

export type GroupBy = 'none' | 'category' | 'operator';
export const GROUP_BY: readonly GroupBy[] = ['none', 'category', 'operator'];

export interface ImportOptions {
  /** File name as shown in provenance and problem messages. */
  file: string;
  /** Prepended to every entry id ("pa" → pa-dictator-alert); "" for none. */
  idPrefix: string;
  /** Tags added to every entry (must be ids). */
  tags: string[];
  groupBy: GroupBy;
  /** YYYY-MM-DD written to `added`. */
  today: string;
}

export interface ImportProblem {
  line: number;
  message: string;
}

/** One aircraft row, after column mapping. */
export interface AircraftRow {
  line: number;
  hex: string;
  registration?: string;
  operator?: string;
  /** Free-text type ("Gulfstream V"), plane-alert `Type`. */
  typeName?: string;
  icaoType?: string;
  manufacturer?: string;
  /** plane-alert CMPG: Civ / Mil / Pol / Gov. */
  cmpg?: string;
  tags: string[];
  category?: string;
  link?: string;
}

export interface ImportedEntry {
  entry: WatchEntry;
  /** One provenance comment per hex, in match.hex order. */
  hexComments: string[];
}

export interface ImportResult {
  layout: 'plane-alert-db' | 'aircraft-list';
  rows: AircraftRow[];
  entries: ImportedEntry[];
  /** Rows skipped (and why), and whole-file problems (line 1 = header). */
  problems: ImportProblem[];
}

type Field = Exclude<keyof AircraftRow, 'line' | 'tags'> | 'tag';

/** Normalized header → field. Normalized = display markers `$`/`#` stripped, lower case, single spaces. */
const COLUMNS: Record<string, Field> = {
  icao: 'hex',
  modes: 'hex',
  'mode s': 'hex',
  hex: 'hex',
  icao24: 'hex',
  registration: 'registration',
  reg: 'registration',
  operator: 'operator',
  registeredowners: 'operator',
  owner: 'operator',
  type: 'typeName',
  'icao type': 'icaoType',
  icaotypecode: 'icaoType',
  typecode: 'icaoType',
  manufacturer: 'manufacturer',
  cmpg: 'cmpg',
  'tag 1': 'tag',
  'tag 2': 'tag',
  'tag 3': 'tag',
  category: 'category',
  link: 'link',
};

export const normalizeHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^[$#]+/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

/**
 * The file's records (util/csv, lenient as hand-edited lists need: text after a closing quote is kept, a quote
 * after blanks still opens a field). Blank or all-blank lines are skipped. An unterminated quote is reported and
 * the rest of the file from its record on is dropped (nothing after it can be split reliably).
 */
export function parseCsv(text: string): { records: CsvRecord[]; problems: ImportProblem[] } {
  const records: CsvRecord[] = [];
  const problems: ImportProblem[] = [];
  try {
    for (const rec of readCsv(text, undefined, { afterQuote: 'keep', quoteAfterBlanks: true }))
      if (!(rec.fields.length === 1 && rec.fields[0]?.trim() === '')) records.push(rec);
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    problems.push({ line: e.line, message: `${e.reason}; this record and the rest of the file are skipped` });
  }
  return { records, problems };
}

const HEX = /^~?[0-9a-f]{6}$/;
const clean = (v: string | undefined) => {
  const t = v?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};

/** Maps the header to fields; undefined (with a problem) when there is no hex column. */
function mapHeader(
  header: string[],
): { columns: (Field | undefined)[]; layout: ImportResult['layout'] } | ImportProblem {
  const names = header.map(normalizeHeader);
  const columns: (Field | undefined)[] = [];
  const seen = new Set<Field>();
  for (const n of names) {
    const f = COLUMNS[n];
    // First column wins for single-valued fields (wiseman lists have both ModeS and icao).
    if (f && f !== 'tag' && seen.has(f)) columns.push(undefined);
    else {
      columns.push(f);
      if (f) seen.add(f);
    }
  }
  if (!seen.has('hex'))
    return {
      line: 1,
      message: `no ICAO hex column in the header (expected "$ICAO", "ICAO", "ModeS" or "hex"; got ${header.map((h) => JSON.stringify(h.trim())).join(', ')})`,
    };
  const markers = header.some((h) => /^\s*[$#]/.test(h));
  const layout = markers || seen.has('category') || seen.has('cmpg') ? 'plane-alert-db' : 'aircraft-list';
  return { columns, layout };
}

/** Reads rows, skipping (and reporting) rows without a valid, new hex. */
export function readRows(
  text: string,
  file: string,
): { layout: ImportResult['layout']; rows: AircraftRow[]; problems: ImportProblem[] } {
  const { records, problems } = parseCsv(text);
  const header = records[0];
  if (!header)
    return {
      layout: 'plane-alert-db',
      rows: [],
      problems: [...problems, { line: 1, message: `${file} has no header row` }],
    };
  const mapped = mapHeader(header.fields);
  if ('message' in mapped) return { layout: 'plane-alert-db', rows: [], problems: [mapped, ...problems] };
  const rows: AircraftRow[] = [];
  const firstLine = new Map<string, number>();
  for (const rec of records.slice(1)) {
    const row: AircraftRow = { line: rec.line, hex: '', tags: [] };
    mapped.columns.forEach((f, i) => {
      const v = clean(rec.fields[i]);
      if (!f || v === undefined) return;
      if (f === 'tag') row.tags.push(v);
      else row[f] = v;
    });
    const rawHex = clean(rec.fields[mapped.columns.indexOf('hex')]);
    if (!rawHex) {
      problems.push({ line: rec.line, message: 'no ICAO hex in this row' });
      continue;
    }
    row.hex = rawHex.toLowerCase();
    if (!HEX.test(row.hex)) {
      problems.push({ line: rec.line, message: `${JSON.stringify(rawHex)} is not a 6-digit ICAO hex` });
      continue;
    }
    const prev = firstLine.get(row.hex);
    if (prev !== undefined) {
      problems.push({ line: rec.line, message: `hex ${row.hex} is already listed on line ${prev}; duplicate skipped` });
      continue;
    }
    firstLine.set(row.hex, rec.line);
    rows.push(row);
  }
  problems.sort((a, b) => a.line - b.line);
  return { layout: mapped.layout, rows, problems };
}

/** An id fragment: ASCII lowercase, digits and "-", as the config's id rule requires. */
export function slugify(s: string, max = 64): string {
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'x';
}

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const isId = (s: string) => ID_RE.test(s);

/** "line 12: N917XA · Hillwood Airways · Boeing 737NG (B738) · Gov · tags … · https://…" */
function describe(r: AircraftRow, withCategory: boolean): string {
  const type = r.icaoType && r.typeName ? `${r.typeName} (${r.icaoType})` : (r.typeName ?? r.icaoType);
  const parts = [
    r.registration,
    r.operator,
    [r.manufacturer, type].filter(Boolean).join(' ') || undefined,
    r.cmpg,
    withCategory && r.category ? `category "${r.category}"` : undefined,
    r.tags.length ? `tags: ${r.tags.join(' / ')}` : undefined,
    r.link,
  ];
  return parts.filter((p): p is string => !!p).join(' · ');
}

/** "2-4, 7, 9" — lines compressed into ranges; long lists collapse to first–last and a count. */
function lineList(lines: number[]): string {
  const ranges: [number, number][] = [];
  for (const line of lines) {
    const open = ranges.at(-1);
    if (open && line === open[1] + 1) open[1] = line;
    else ranges.push([line, line]);
  }
  const text = ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  if (ranges.length <= 8) return `line${lines.length > 1 ? 's' : ''} ${text.join(', ')}`;
  return `lines ${lines[0]}-${lines.at(-1)} (${lines.length} rows, each named in the comments on match.hex)`;
}

/** Converts rows to entries; every entry is checked against the config's watchEntrySchema. */
export function importPlaneAlert(text: string, opts: ImportOptions): ImportResult {
  const { layout, rows, problems } = readRows(text, opts.file);
  const label = layout === 'plane-alert-db' ? 'plane-alert-db' : 'aircraft list';
  const prefix = opts.idPrefix ? `${opts.idPrefix}-` : '';
  const groups = new Map<string, AircraftRow[]>();
  const keyOf = (r: AircraftRow): string =>
    opts.groupBy === 'none'
      ? r.hex
      : opts.groupBy === 'category'
        ? (r.category ?? 'uncategorized')
        : (r.operator ?? 'unknown operator');
  for (const r of rows) {
    const k = keyOf(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }

  const usedIds = new Set<string>();
  const entries: ImportedEntry[] = [];
  for (const [key, group] of groups) {
    const first = group[0]!; // a group is created with its first row
    // Distinct keys may slugify alike ("A&B" / "A-B"): number the later ones.
    const base = `${prefix}${slugify(key, 64 - prefix.length - 4)}`;
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    usedIds.add(id);
    const categoryTags = [
      ...new Set(
        group
          .map((r) => r.category)
          .filter((c): c is string => !!c)
          .map((c) => slugify(c)),
      ),
    ];
    const tags = [...new Set([...opts.tags, ...categoryTags])];
    const lines = group.map((r) => r.line);
    const what =
      opts.groupBy === 'none'
        ? describe(first, true)
        : opts.groupBy === 'category'
          ? `${label} category "${key}": ${group.length} aircraft`
          : `${label} operator "${key}": ${group.length} aircraft`;
    const raw = {
      id,
      match: { hex: group.map((r) => r.hex) },
      tags,
      note: `${what || first.hex}${opts.groupBy === 'none' ? '' : '; per-aircraft details in the comments on match.hex'}`,
      source: `${label}: ${opts.file} ${lineList(lines)}`,
      added: opts.today,
    };
    const parsed = watchEntrySchema.safeParse(raw);
    if (!parsed.success) {
      // Not expected (every value was checked above); reported rather than emitted as a config that will not load.
      for (const iss of parsed.error.issues)
        problems.push({ line: first.line, message: `entry ${id}: ${iss.path.join('.')}: ${iss.message}` });
      continue;
    }
    entries.push({
      entry: parsed.data,
      hexComments: group.map((r) => `line ${r.line}: ${describe(r, opts.groupBy !== 'category')}`.replace(/:\s*$/, '')),
    });
  }
  return { layout, rows, entries, problems };
}

/** YAML to paste under `watch:`; each hex carries its row's provenance as a comment. */
export function toYaml(result: ImportResult, opts: ImportOptions): string {
  const doc = new Document({
    watch: result.entries.map(({ entry }) => {
      // Omit the schema defaults that add nothing to a pasted config.
      const { enabled: _enabled, ...rest } = entry;
      return rest;
    }),
  });
  result.entries.forEach(({ hexComments }, i) => {
    const seq = doc.getIn(['watch', i, 'match', 'hex'], true) as YAMLSeq<Scalar>;
    seq.items.forEach((item, j) => (item.comment = ` ${hexComments[j]}`));
  });
  const skipped = result.problems.length;
  doc.commentBefore =
    ` Imported by \`flightwatch import plane-alert\` from ${opts.file} on ${opts.today}: ` +
    `${result.rows.length} aircraft in ${result.entries.length} watch entr${result.entries.length === 1 ? 'y' : 'ies'}` +
    (skipped ? ` (${skipped} problem${skipped === 1 ? '' : 's'} reported, rows skipped)` : '') +
    `.\n Paste the entries under \`watch:\` in your config, then run \`flightwatch check-config\`.`;
  return doc.toString({ lineWidth: 0 });
}
