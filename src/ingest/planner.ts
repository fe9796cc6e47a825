/**
 * The query planner, pure: turns the watchlist into one source-independent WatchPlan (which hexes, registrations
 * and types to ask for, which areas to poll) so each Source can derive the fewest HTTP requests per cycle.
 *
 * Keys inside one `match` AND together, so an entry needs only ONE of its server-side keys (hex, registrations,
 * types) queried to be seen: `{types: [B738], callsignPrefixes: [BBQ]}` is served by the type query and the
 * prefix is checked locally. Entries with no such key (callsign prefixes/pattern, operators, squawks, flags) can
 * only be matched over what the other queries and the configured area circles return.
 */
import type { Config } from '../config/schema';
import type { Match, WatchEntry } from '../domain/watchlist';
import type { WatchPlan } from '../sources/source';

/** Match keys a public readsb/OpenSky endpoint can filter on. */
export type AnchorKey = 'hex' | 'registrations' | 'types';
const ANCHOR_KEYS: readonly AnchorKey[] = ['hex', 'registrations', 'types'];
/** Match keys no public endpoint filters on: matched locally over whatever the queries return. */
export const LOCAL_KEYS = ['callsignPrefixes', 'callsignPattern', 'operators', 'squawks', 'flags'] as const;

export interface EntryCoverage {
  id: string;
  /** Index in config.watch, for messages that point into the file. */
  index: number;
  /** The key whose query serves this entry, or 'local' when it is only matched over other replies. */
  servedBy: AnchorKey | 'local';
  /** The local-only keys this entry uses (checked on every aircraft the queries return). */
  localKeys: string[];
}

export interface PlanWarning {
  /** The watch entry concerned, when there is one. */
  entryId?: string;
  message: string;
}

export interface PlanResult {
  plan: WatchPlan;
  coverage: EntryCoverage[];
  warnings: PlanWarning[];
}

const anchorsOf = (m: Match): AnchorKey[] => ANCHOR_KEYS.filter((k) => m[k] !== undefined && m[k].length > 0);
const localKeysOf = (m: Match): string[] => LOCAL_KEYS.filter((k) => m[k] !== undefined);
const valuesOf = (m: Match, k: AnchorKey): string[] => m[k] ?? [];

/** Tie-break order: a hex list is the most precise and smallest reply. */
const PREFERENCE: Record<AnchorKey, number> = { hex: 0, registrations: 1, types: 2 };

/**
 * Chooses one anchor per entry so that the union of queried values (and so the number of requests) is smallest.
 * Types are only a last resort: adsb.fi and ADS-B Exchange have no type endpoint, so an entry that also has a hex
 * or registration would go unseen on those fallbacks if it relied on its type. Entries with a single anchor fix
 * their values first; an entry with several then prefers a key whose values are all already queried (costs
 * nothing), then a key already queried at all (extends a list that is requested anyway), then the key with the
 * fewest values, then hex > registrations.
 */
function chooseAnchors(entries: { entry: WatchEntry; index: number }[]): Map<number, AnchorKey> {
  const chosen = new Map<number, AnchorKey>();
  const queried: Record<AnchorKey, Set<string>> = { hex: new Set(), registrations: new Set(), types: new Set() };
  const multi: { entry: WatchEntry; index: number; anchors: AnchorKey[] }[] = [];
  for (const { entry, index } of entries) {
    let anchors = anchorsOf(entry.match);
    if (anchors.length > 1) anchors = anchors.filter((k) => k !== 'types');
    const [only] = anchors;
    if (anchors.length === 1 && only) {
      chosen.set(index, only);
      for (const v of valuesOf(entry.match, only)) queried[only].add(v);
    } else if (anchors.length > 1) multi.push({ entry, index, anchors });
  }
  // Smaller entries first so that large lists can later piggyback on what they already made necessary.
  const smallest = (e: (typeof multi)[number]) => Math.min(...e.anchors.map((k) => valuesOf(e.entry.match, k).length));
  multi.sort((a, b) => smallest(a) - smallest(b) || a.index - b.index);
  for (const { entry, index, anchors } of multi) {
    const score = (k: AnchorKey): number[] => {
      const missing = valuesOf(entry.match, k).filter((v) => !queried[k].has(v)).length;
      return [missing === 0 ? 0 : 1, queried[k].size > 0 ? 0 : 1, missing, PREFERENCE[k]];
    };
    const [best] = anchors
      .map((k) => ({ k, s: score(k) }))
      .sort((a, b) => a.s.reduce((acc, v, i) => acc || v - (b.s[i] ?? 0), 0));
    if (!best) continue; // not reached: multi holds entries with two anchors or more
    chosen.set(index, best.k);
    for (const v of valuesOf(entry.match, best.k)) queried[best.k].add(v);
  }
  return chosen;
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** The plan plus per-entry coverage and warnings for entries that no query would ever return. */
export function planWatchlist(config: Pick<Config, 'watch' | 'areas' | 'sources'>): PlanResult {
  const enabled = config.watch.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.enabled);
  const anchors = chooseAnchors(enabled);
  const values: Record<AnchorKey, string[]> = { hex: [], registrations: [], types: [] };
  const coverage: EntryCoverage[] = enabled.map(({ entry, index }) => {
    const servedBy = anchors.get(index) ?? 'local';
    if (servedBy !== 'local') values[servedBy].push(...valuesOf(entry.match, servedBy));
    return { id: entry.id, index, servedBy, localKeys: localKeysOf(entry.match) };
  });
  const plan: WatchPlan = {
    hex: sortedUnique(values.hex),
    registrations: sortedUnique(values.registrations),
    types: sortedUnique(values.types),
    areas: config.areas.map(({ id, lat, lon, radiusNm }) => ({ id, lat, lon, radiusNm })),
    needsLocalScan: coverage.some((c) => c.servedBy === 'local'),
  };
  return { plan, coverage, warnings: localOnlyWarnings(config, coverage) };
}

/** The WatchPlan the poll cycle hands to every source's `requestsFor`. */
export function planFromConfig(config: Pick<Config, 'watch' | 'areas' | 'sources'>): WatchPlan {
  return planWatchlist(config).plan;
}

/**
 * A local-only entry is seen when areas are polled, or when the source serving the cycle returns everything
 * (own receiver, OpenSky /states/all). Sources are tried in order, so a broad source that is only a fallback
 * sees such entries only on cycles where the ones before it failed.
 */
function localOnlyWarnings(config: Pick<Config, 'areas' | 'sources'>, coverage: EntryCoverage[]): PlanWarning[] {
  if (config.areas.length > 0) return [];
  const sources = config.sources.filter((s) => s.enabled);
  const isBroad = (s: (typeof sources)[number]) => s.kind === 'receiver' || s.kind === 'opensky';
  const [first] = sources;
  if (first && isBroad(first)) return [];
  const fallback = sources.find(isBroad);
  return coverage
    .filter((c) => c.servedBy === 'local')
    .map((c) => ({
      entryId: c.id,
      message:
        `watch[${c.index}] "${c.id}" matches only on ${c.localKeys.join(', ')}, which no public endpoint filters, ` +
        `and there are no areas: ` +
        (fallback
          ? `only fallback source "${fallback.id}" (${fallback.kind}) would return it. `
          : `no query returns it, so it can never match. `) +
        `Add \`areas:\` circles (≤250 nm) around the airports it uses, or add hex/registrations/types to its match.`,
    }));
}
