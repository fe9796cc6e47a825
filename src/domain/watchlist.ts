/**
 * Watchlist matching, pure. Entries are compiled once into hash indexes so a poll of thousands of
 * aircraft costs a few Map lookups each; full AND/OR evaluation runs only on the candidates.
 *
 * Semantics: keys inside one `match` AND together, values within a key OR. An aircraft that lacks the field
 * a key tests (no type, no callsign…) does not match that key. `exclude` uses the same semantics and wins.
 */
import type { AircraftState } from './aircraft-state';
import type { Match, WatchEntry } from '../config/schema';

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
  callsignPattern?: RegExp;
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
export const normReg = (r: string) => r.toUpperCase().replace(/-/g, '');

function compileMatch(m: Match): CompiledMatch {
  return {
    hex: m.hex && new Set(m.hex),
    registrations: m.registrations && new Set(m.registrations.map(normReg)),
    types: m.types && new Set(m.types),
    callsignPrefixes: m.callsignPrefixes,
    callsignPattern: m.callsignPattern !== undefined ? new RegExp(m.callsignPattern) : undefined,
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
  if (!callsign.startsWith(prefix)) return false;
  if (prefix.length === 3 && /^[A-Z]{3}$/.test(prefix) && callsign.length > 3) {
    const c = callsign.charCodeAt(3);
    return c >= 48 && c <= 57;
  }
  return true;
}

function test(m: CompiledMatch, a: AircraftState): boolean {
  if (m.hex && !m.hex.has(a.hex)) return false;
  if (m.registrations && !(a.registration && m.registrations.has(normReg(a.registration)))) return false;
  if (m.types && !(a.type && m.types.has(a.type))) return false;
  if (m.callsignPrefixes) {
    const cs = a.callsign;
    if (!cs || !m.callsignPrefixes.some((p) => callsignHasPrefix(cs, p))) return false;
  }
  if (m.callsignPattern && !(a.callsign && m.callsignPattern.test(a.callsign))) return false;
  if (m.operators) {
    const op = a.operator?.toLowerCase();
    if (!op || !m.operators.some((o) => op.includes(o))) return false;
  }
  if (m.squawks && !(a.squawk && m.squawks.test(a.squawk))) return false;
  if (m.flags && !m.flags.some((f) => a.flags[f])) return false;
  return true;
}

export class Watchlist {
  private readonly byHex = new Map<string, CompiledEntry[]>();
  private readonly byReg = new Map<string, CompiledEntry[]>();
  private readonly byType = new Map<string, CompiledEntry[]>();
  /** Callsign prefixes keyed by their text; lookups try each distinct prefix length. */
  private readonly byPrefix = new Map<string, CompiledEntry[]>();
  private readonly prefixLengths: number[] = [];
  /** Entries with no indexable key (pattern, operator, squawk, flags only): tested against every aircraft. */
  private readonly scan: CompiledEntry[] = [];
  readonly entries: readonly WatchEntry[];

  constructor(entries: readonly WatchEntry[]) {
    this.entries = entries.filter((e) => e.enabled);
    const add = (map: Map<string, CompiledEntry[]>, key: string, e: CompiledEntry) => {
      const l = map.get(key);
      if (l) l.push(e);
      else map.set(key, [e]);
    };
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
      else if (c.match.callsignPrefixes) for (const p of c.match.callsignPrefixes) add(this.byPrefix, p, c);
      else this.scan.push(c);
    }
    this.prefixLengths = [...new Set([...this.byPrefix.keys()].map((p) => p.length))];
  }

  /** Which entries (ids, and the union of their tags) this aircraft matches; undefined when none. */
  match(a: AircraftState): WatchHit | undefined {
    let hits: CompiledEntry[] | undefined;
    const consider = (list: CompiledEntry[] | undefined) => {
      if (!list) return;
      for (const e of list) {
        if (hits?.includes(e)) continue;
        if (test(e.match, a) && !(e.exclude && test(e.exclude, a))) (hits ??= []).push(e);
      }
    };
    consider(this.byHex.get(a.hex));
    if (a.registration && this.byReg.size) consider(this.byReg.get(normReg(a.registration)));
    if (a.type) consider(this.byType.get(a.type));
    if (a.callsign && this.byPrefix.size)
      for (const n of this.prefixLengths) if (a.callsign.length >= n) consider(this.byPrefix.get(a.callsign.slice(0, n)));
    if (this.scan.length) consider(this.scan);
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
      if (watch) out.push({ ...s, watch });
    }
    return out;
  }
}
