/**
 * The poll cycle's record selector: a reply's parser builds a full state only for aircraft the watchlist
 * matches (after enrichment, as the cycle matches them); the rest are counted by hex. Most aircraft of an
 * area or whole-feed reply are watched by nobody, and building their record was most of the ingest's cost
 * beyond JSON.parse (docs/normalization.md). Cycles that need every state (discovery, identity follow) pass
 * no selector.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { Watchlist } from '../domain/watchlist';
import type { StateSelector } from '../sources/source';

export function watchedOnly(watchlist: Watchlist, enrich?: (s: AircraftState) => AircraftState): StateSelector {
  if (!enrich) return (s) => watchlist.match(s) !== undefined;
  return (s) => {
    try {
      return watchlist.match(enrich(s)) !== undefined;
    } catch {
      // The cycle enriches (and logs the failure) again: keep the record rather than risk a missed match.
      return true;
    }
  };
}
