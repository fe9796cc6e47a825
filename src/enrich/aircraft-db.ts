/**
 * Aircraft database: ICAO hex → registration / ICAO type / operator, for sources that send none of these
 * (OpenSky, a group's own receiver). Reads the VRS standing-data aircraft CSV (CC0; header
 * `ICAO,Registration,ModelICAO,Manufacturer,Model,ManufacturerAndModel,IsPrivateOperator,Operator,…`),
 * and any CSV whose header names the same things (`hex,registration,type,operator`; the adsbdb-style
 * `ModeS,Registration,…,ICAOTypeCode,…,RegisteredOwners` of wiseman/ice-air), or a headerless
 * `hex,registration,type,operator` file.
 *
 * Enrichment only fills what the source left empty: what the aircraft itself (or the source's own DB) said
 * wins, so a re-registered airframe is never "corrected" back to stale data.
 */
import { readFileSync } from 'node:fs';
import { copyState, normalizeHex, type AircraftState } from '../domain/aircraft-state';
import { CsvSyntaxError, parseCsv } from '../util/csv';

export interface AircraftDbEntry {
  registration?: string;
  /** ICAO type designator (upper case). */
  type?: string;
  operator?: string;
}

/** A file that cannot be used at all: unreadable, bad CSV syntax, no hex column. Names the file and line. */
export class AircraftDbError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'AircraftDbError';
  }
}

/** How many skipped-row messages a load keeps (the count is always complete). */
const MAX_PROBLEMS = 20;

/** Header names per field, lower case, in order of preference. */
const COLUMNS = {
  hex: ['icao', 'hex', 'icao24', 'modes', 'mode_s', 'icaohex'],
  registration: ['registration', 'reg', 'r'],
  type: ['modelicao', 'icaotypecode', 'typecode', 'icaotype', 'type', 't'],
  operator: ['operator', 'ownop', 'registeredowners', 'owner'],
  isPrivate: ['isprivateoperator'],
} as const;

type Columns = { [K in keyof typeof COLUMNS]: number };

export class AircraftDb {
  private readonly byHex: Map<string, AircraftDbEntry>;

  constructor(
    entries: Map<string, AircraftDbEntry> | Iterable<[string, AircraftDbEntry]> = [],
    /** Where the data came from (file path), for logs. */
    readonly origin = '(memory)',
    /** Rows skipped while loading, as `file:line: reason` (first few). */
    readonly problems: readonly string[] = [],
    /** Total rows skipped (problems may be truncated). */
    readonly skipped = problems.length,
  ) {
    this.byHex = entries instanceof Map ? entries : new Map(entries);
  }

  get size(): number {
    return this.byHex.size;
  }

  /** Entry for an ICAO hex (any case). Non-ICAO "~" addresses are never in an aircraft DB. */
  lookup(hex: string): AircraftDbEntry | undefined {
    const e = this.byHex.get(hex);
    if (e !== undefined || hex.charCodeAt(0) === 126) return e;
    return this.byHex.get(hex.toLowerCase());
  }

  /**
   * The state with registration / type / operator filled from the DB where the source gave none. Returns the
   * same object when there is nothing to add, otherwise a copy (states may be shared, e.g. by a replay).
   */
  enrich(state: AircraftState): AircraftState {
    if (state.registration !== undefined && state.type !== undefined && state.operator !== undefined) return state;
    const e = this.lookup(state.hex);
    if (!e) return state;
    const registration = state.registration ?? e.registration;
    const type = state.type ?? e.type;
    const operator = state.operator ?? e.operator;
    if (registration === state.registration && type === state.type && operator === state.operator) return state;
    // Not a spread: that gave each copy a hidden class of its own (copyState says why it matters).
    const copy = copyState(state, undefined);
    copy.registration = registration;
    copy.type = type;
    copy.operator = operator;
    return copy;
  }

  enrichAll(states: readonly AircraftState[]): AircraftState[] {
    return states.map((s) => this.enrich(s));
  }
}

/** An empty DB, for configs without `data.aircraftDb`: enrich() returns states unchanged. */
export const EMPTY_AIRCRAFT_DB = new AircraftDb();

function findColumns(header: string[]): Columns | undefined {
  const names = header.map((h) => h.trim().toLowerCase());
  const find = (cands: readonly string[]) => {
    for (const c of cands) {
      const i = names.indexOf(c);
      if (i >= 0) return i;
    }
    return -1;
  };
  const cols: Columns = {
    hex: find(COLUMNS.hex),
    registration: find(COLUMNS.registration),
    type: find(COLUMNS.type),
    operator: find(COLUMNS.operator),
    isPrivate: find(COLUMNS.isPrivate),
  };
  return cols.hex >= 0 ? cols : undefined;
}

/** Parses database text; `origin` (usually the file path) prefixes every message. */
export function parseAircraftDbText(text: string, origin = '(text)'): AircraftDb {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new AircraftDbError(origin, e.line, e.reason);
    throw e;
  }
  const head = rows[0];
  if (!head) throw new AircraftDbError(origin, undefined, 'file is empty');

  let cols = findColumns(head.fields);
  let first = 1;
  if (!cols) {
    // No recognisable header: accept a headerless hex,registration,type,operator file.
    if (normalizeHex(head.fields[0]) === undefined)
      throw new AircraftDbError(
        origin,
        head.line,
        `no ICAO hex column in header ${JSON.stringify(head.fields.slice(0, 6).join(','))} (expected one of ${COLUMNS.hex.join(', ')}, or headerless hex,registration,type,operator rows)`,
      );
    cols = { hex: 0, registration: 1, type: 2, operator: 3, isPrivate: -1 };
    first = 0;
  }

  const map = new Map<string, AircraftDbEntry>();
  const problems: string[] = [];
  let skipped = 0;
  const skip = (line: number, reason: string) => {
    skipped++;
    if (problems.length < MAX_PROBLEMS) problems.push(`${origin}:${line}: ${reason}`);
  };
  const field = (f: string[], i: number) => {
    const v = f[i]?.trim();
    return v ? v : undefined;
  };

  for (const { line, fields } of rows.slice(first)) {
    const rawHex = fields[cols.hex];
    const hex = normalizeHex(rawHex);
    if (hex === undefined || hex.charCodeAt(0) === 126) {
      skip(line, `${JSON.stringify(rawHex ?? '')} is not a 6-digit ICAO hex`);
      continue;
    }
    if (map.has(hex)) {
      skip(line, `duplicate hex ${hex} (the first row wins)`);
      continue;
    }
    let operator = field(fields, cols.operator);
    // VRS writes "Private" for private owners: a placeholder, not an operator name to match on.
    if (operator && field(fields, cols.isPrivate) === '1' && operator.toLowerCase() === 'private') operator = undefined;
    const entry: AircraftDbEntry = {
      registration: field(fields, cols.registration)?.toUpperCase(),
      type: field(fields, cols.type)?.toUpperCase(),
      operator,
    };
    if (entry.registration === undefined && entry.type === undefined && entry.operator === undefined) continue;
    map.set(hex, entry);
  }
  return new AircraftDb(map, origin, problems, skipped);
}

/** Loads a database file; throws AircraftDbError naming the file (and line) when it cannot be used. */
export function loadAircraftDb(file: string): AircraftDb {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AircraftDbError(file, undefined, `cannot read aircraft database: ${(e as Error).message}`);
  }
  return parseAircraftDbText(text, file);
}
