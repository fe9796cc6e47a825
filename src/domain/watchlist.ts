/**
 * Watchlist matching, pure. Entries are compiled once into hash indexes so a poll of thousands of
 * aircraft costs a few Map lookups each; full AND/OR evaluation runs only on the candidates.
 *
 * Semantics: keys inside one `match` AND together, values within a key OR. An aircraft that lacks the field
 * a key tests (no type, no callsign…) does not match that key. `exclude` uses the same semantics and wins.
 */
import { copyState, type AircraftState, type FlagName } from './aircraft-state';

/** What one `match` (or `exclude`) tests; config/schema.ts parses the YAML into this shape. */
export interface Match {
  hex?: string[];
  registrations?: string[];
  types?: string[];
  callsignPrefixes?: string[];
  /** A regular expression source, tested against the trimmed callsign. */
  callsignPattern?: string;
  /** Case-insensitive substrings of the operator name. */
  operators?: string[];
  squawks?: string[];
  flags?: FlagName[];
}

/** A watch entry as the matcher needs it; the config adds nothing the matcher reads. */
export interface WatchEntry {
  id: string;
  match: Match;
  exclude?: Match;
  tags: string[];
  enabled: boolean;
}

/** The tag of entries that match a whole operator (every flight of an airline), not its removal flights. */
export const OPERATOR_WIDE_TAG = 'operator-wide';

/** How an entry's events reach people: one alert each, or gathered into one summary per digest period. */
export type Delivery = 'instant' | 'digest';

/** An entry's delivery: what it says, else `digest` for operator-wide entries (too many to alert on one by one). */
export function deliveryOf(e: { tags: readonly string[]; delivery?: Delivery }): Delivery {
  return e.delivery ?? (e.tags.includes(OPERATOR_WIDE_TAG) ? 'digest' : 'instant');
}

/** Ids of the enabled entries delivered by digest. */
export function digestEntryIds(entries: readonly (WatchEntry & { delivery?: Delivery })[]): Set<string> {
  return new Set(entries.filter((e) => e.enabled && deliveryOf(e) === 'digest').map((e) => e.id));
}

export interface WatchHit {
  ids: string[];
  tags: string[];
}

export interface MatchedAircraft extends AircraftState {
  watch: WatchHit;
}

interface CompiledMatch {
  hex?: Set<string>;
  registrations?: Set<string>;
  types?: Set<string>;
  callsignPrefixes?: string[];
  /** Per prefix: whether it is an ICAO airline designator (decided once here, not per aircraft). */
  airlinePrefix?: boolean[];
  callsignPattern?: RegExp;
  /** What every callsign the pattern matches starts with: a startsWith settles most callsigns before the regex. */
  callsignStart?: string;
  operators?: string[];
  squawks?: RegExp;
  flags?: readonly (keyof AircraftState['flags'])[];
}

interface CompiledEntry {
  id: string;
  tags: string[];
  match: CompiledMatch;
  exclude?: CompiledMatch;
}

/** Registrations compare without case or hyphens: "N917XA" = "n917xa", "B-1234" = "B1234". */
export const normReg = (r: string) => {
  const u = r.toUpperCase();
  return u.includes('-') ? u.replace(/-/g, '') : u;
};

function compileMatch(m: Match): CompiledMatch {
  return {
    hex: m.hex && new Set(m.hex),
    registrations: m.registrations && new Set(m.registrations.map(normReg)),
    types: m.types && new Set(m.types),
    callsignPrefixes: m.callsignPrefixes,
    airlinePrefix: m.callsignPrefixes?.map(isAirlineDesignator),
    callsignPattern: m.callsignPattern !== undefined ? new RegExp(m.callsignPattern) : undefined,
    callsignStart: m.callsignPattern !== undefined ? patternLiteralStart(m.callsignPattern) : undefined,
    operators: m.operators?.map((o) => o.toLowerCase()),
    squawks: m.squawks && new RegExp(`^(?:${m.squawks.map((s) => s.replace(/x/g, '[0-7]')).join('|')})$`),
    flags: m.flags,
  };
}

/**
 * A 3-letter prefix is an ICAO airline designator: "WAL" matches WAL290 but not WALRUS1, so the next
 * character must be a digit. Any other prefix is a plain "starts with".
 */
export function callsignHasPrefix(callsign: string, prefix: string): boolean {
  return prefixMatches(callsign, prefix, isAirlineDesignator(prefix));
}

const isAirlineDesignator = (prefix: string) => /^[A-Z]{3}$/.test(prefix);

function prefixMatches(callsign: string, prefix: string, airline: boolean): boolean {
  if (!callsign.startsWith(prefix)) return false;
  if (airline && callsign.length > 3) {
    const c = callsign.charCodeAt(3);
    return c >= 48 && c <= 57;
  }
  return true;
}

function hasAnyPrefix(callsign: string, prefixes: readonly string[], airline: readonly boolean[] | undefined): boolean {
  for (let i = 0; i < prefixes.length; i++)
    if (prefixMatches(callsign, prefixes[i]!, airline?.[i] ?? isAirlineDesignator(prefixes[i]!))) return true;
  return false;
}

function test(m: CompiledMatch, a: AircraftState): boolean {
  if (m.hex && !m.hex.has(a.hex)) return false;
  if (m.registrations && !(a.registration && m.registrations.has(normReg(a.registration)))) return false;
  if (m.types && !(a.type && m.types.has(a.type))) return false;
  if (m.callsignPrefixes) {
    const cs = a.callsign;
    if (!cs || !hasAnyPrefix(cs, m.callsignPrefixes, m.airlinePrefix)) return false;
  }
  if (m.callsignPattern) {
    const cs = a.callsign;
    if (!cs || (m.callsignStart !== undefined && !cs.startsWith(m.callsignStart))) return false;
    if (!m.callsignPattern.test(cs)) return false;
  }
  if (m.operators) {
    const op = a.operator?.toLowerCase();
    if (!op || !m.operators.some((o) => op.includes(o))) return false;
  }
  if (m.squawks && !(a.squawk && m.squawks.test(a.squawk))) return false;
  if (m.flags && !m.flags.some((f) => a.flags[f])) return false;
  return true;
}

/**
 * The literal start every match of an anchored callsign pattern has ("^GXA6\\d{3}$" → "GXA6"), so pattern
 * entries are indexed like prefixes instead of being tested against every aircraft; undefined when there is
 * no such start of two characters or more (no anchor, alternation, an optional first character).
 */
export function patternLiteralPrefix(pattern: string): string | undefined {
  // Any alternation keeps the entry scanned, as before: hits from the index come before scanned ones, so
  // indexing more entries would reorder some aircraft's watch ids. The scan still skips the regex (callsignStart).
  if (pattern.includes('|')) return undefined;
  const lit = patternLiteralStart(pattern);
  return lit !== undefined && lit.length >= 2 ? lit : undefined;
}

/**
 * The literal every match of an anchored pattern starts with, alternations inside a group after it allowed
 * ("^TYSON(4[1-9]|60)$" → "TYSON"); undefined when there is none (no anchor, a `|` outside any group…).
 */
export function patternLiteralStart(pattern: string): string | undefined {
  if (hasTopLevelAlternation(pattern)) return undefined;
  const m = /^\^([A-Z0-9]+)(.?)/.exec(pattern);
  if (!m) return undefined;
  let lit = m[1] ?? '';
  // A quantifier after the run applies to its last character, which then may be absent.
  if (m[2] && '?*{'.includes(m[2])) lit = lit.slice(0, -1);
  return lit.length ? lit : undefined;
}

/** Whether `pattern` has a `|` outside every group and character class (escapes skipped). */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth <= 0) return true;
  }
  return false;
}

/** Index key of a callsign prefix: its first two UTF-16 units (≥ 65536), or the only one for 1-char prefixes. */
function prefixKey(p: string): number {
  return p.length > 1 ? p.charCodeAt(0) * 65536 + p.charCodeAt(1) : p.charCodeAt(0);
}

/**
 * A lossy set of the index keys: one byte per hash bucket of a key's last three UTF-16 units and length.
 * Most aircraft of a poll are not watched, and a table read settles that for nearly all of them without
 * hashing the whole key for a Map lookup; a set byte (a key or a collision) still goes to the Map.
 */
class KeyGate {
  private readonly table = new Uint8Array(4096);
  add(key: string): void {
    this.table[gateHash(key)] = 1;
  }
  mayHave(key: string): boolean {
    return this.table[gateHash(key)] === 1;
  }
}

function gateHash(key: string): number {
  const n = key.length;
  let h = n;
  if (n > 0) h = h * 31 + key.charCodeAt(n - 1);
  if (n > 1) h = h * 31 + key.charCodeAt(n - 2);
  if (n > 2) h = h * 31 + key.charCodeAt(n - 3);
  return h & 4095;
}

/**
 * gateHash of a registration as normReg would give it (upper case, no hyphens) without building that string;
 * -1 when a non-ASCII character is among the last three (its upper case can differ in length: ask the Map).
 */
function regGateHash(reg: string): number {
  let h = 0;
  let taken = 0;
  for (let i = reg.length - 1; i >= 0 && taken < 3; i--) {
    let c = reg.charCodeAt(i);
    if (c === 45 /* - */) continue;
    if (c >= 128) return -1;
    if (c >= 97 && c <= 122) c -= 32;
    h = h * 31 + c;
    taken++;
  }
  return h & 4095;
}

/** Adds the entries of `list` that match `a` (and are not excluded) to `hits`; returns the (new) array. */
function consider(
  list: CompiledEntry[] | undefined,
  a: AircraftState,
  hits: CompiledEntry[] | undefined,
): CompiledEntry[] | undefined {
  if (!list) return hits;
  for (const e of list) {
    if (hits?.includes(e)) continue;
    if (test(e.match, a) && !(e.exclude && test(e.exclude, a))) (hits ??= []).push(e);
  }
  return hits;
}

export class Watchlist {
  private readonly byHex = new Map<string, CompiledEntry[]>();
  private readonly byReg = new Map<string, CompiledEntry[]>();
  private readonly byType = new Map<string, CompiledEntry[]>();
  private readonly hexGate = new KeyGate();
  private readonly typeGate = new KeyGate();
  /** Registration keys by regGateHash (the index holds normalized registrations). */
  private readonly regGate = new Uint8Array(4096);
  /** Which first characters (codes below 256) and first two-character pairs start some indexed prefix. */
  private readonly prefix1Gate = new Uint8Array(256);
  private readonly prefix2Gate = new Uint8Array(65536);
  /**
   * Callsign-prefix entries keyed by the prefix's first two character codes (one for 1-char prefixes), so a
   * lookup needs no substring per aircraft; test() then checks the whole prefix.
   */
  private readonly byPrefix = new Map<number, CompiledEntry[]>();
  /** Entries with no indexable key (pattern, operator, squawk, flags only): tested against every aircraft. */
  private readonly scan: CompiledEntry[] = [];
  readonly entries: readonly WatchEntry[];

  constructor(entries: readonly WatchEntry[]) {
    this.entries = entries.filter((e) => e.enabled);
    const add = <K>(map: Map<K, CompiledEntry[]>, key: K, e: CompiledEntry) => {
      const l = map.get(key);
      if (!l) map.set(key, [e]);
      else if (!l.includes(e)) l.push(e);
    };
    const lit = (p: string | undefined) => (p === undefined ? undefined : patternLiteralPrefix(p));
    for (const e of this.entries) {
      const c: CompiledEntry = {
        id: e.id,
        tags: e.tags,
        match: compileMatch(e.match),
        exclude: e.exclude && compileMatch(e.exclude),
      };
      // Index on the most selective key present; the full test still checks every key.
      if (c.match.hex) for (const h of c.match.hex) add(this.byHex, h, c);
      else if (c.match.registrations) for (const r of c.match.registrations) add(this.byReg, r, c);
      else if (c.match.types) for (const t of c.match.types) add(this.byType, t, c);
      else if (c.match.callsignPrefixes) for (const p of c.match.callsignPrefixes) add(this.byPrefix, prefixKey(p), c);
      else if (lit(e.match.callsignPattern)) add(this.byPrefix, prefixKey(lit(e.match.callsignPattern) ?? ''), c);
      else this.scan.push(c);
    }
    for (const h of this.byHex.keys()) this.hexGate.add(h);
    for (const t of this.byType.keys()) this.typeGate.add(t);
    for (const r of this.byReg.keys()) this.regGate[regGateHash(r) & 4095] = 1;
    for (const k of this.byPrefix.keys()) {
      if (k < 65536) this.prefix1Gate[k & 255] = 1;
      else this.prefix2Gate[((k >>> 16) & 255) * 256 + (k & 255)] = 1;
    }
  }

  /** Which entries (ids, and the union of their tags) this aircraft matches; undefined when none. */
  match(a: AircraftState): WatchHit | undefined {
    // Runs for every aircraft of every poll (bench:ingest): no closures or substrings on this path.
    // Each index is asked only when its gate lets the key through (see KeyGate): a table read per aircraft.
    let hits: CompiledEntry[] | undefined;
    if (this.hexGate.mayHave(a.hex)) hits = consider(this.byHex.get(a.hex), a, hits);
    const reg = a.registration;
    if (reg && this.byReg.size) {
      const h = regGateHash(reg);
      if (h < 0 || this.regGate[h] === 1) hits = consider(this.byReg.get(normReg(reg)), a, hits);
    }
    const type = a.type;
    if (type && this.typeGate.mayHave(type)) hits = consider(this.byType.get(type), a, hits);
    const cs = a.callsign;
    if (cs && this.byPrefix.size) {
      const c0 = cs.charCodeAt(0);
      // Codes of 256 and above share a gate slot with their low byte; the Map lookup then decides.
      if (this.prefix1Gate[c0 & 255] === 1) hits = consider(this.byPrefix.get(c0), a, hits);
      if (cs.length > 1 && this.prefix2Gate[(c0 & 255) * 256 + (cs.charCodeAt(1) & 255)] === 1)
        hits = consider(this.byPrefix.get(prefixKey(cs)), a, hits);
    }
    if (this.scan.length) hits = consider(this.scan, a, hits);
    if (!hits) return undefined;
    const tags = new Set<string>();
    for (const h of hits) for (const t of h.tags) tags.add(t);
    return { ids: hits.map((h) => h.id), tags: [...tags] };
  }

  /** Matches a batch, keeping only watched aircraft. */
  filter(states: Iterable<AircraftState>): MatchedAircraft[] {
    const out: MatchedAircraft[] = [];
    for (const s of states) {
      const watch = this.match(s);
      if (watch) out.push(copyState(s, watch));
    }
    return out;
  }
}
