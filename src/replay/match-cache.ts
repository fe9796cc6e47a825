/**
 * Watchlist matching with a per-aircraft memo. A recorded flight repeats the same identity (registration,
 * type, callsign, operator, squawk, flags) in thousands of consecutive positions; matching is pure, so the
 * previous hit is reused until one of those fields changes. The state is tagged in place (`watch` added)
 * instead of copied: replay owns the objects its readers create, and copying ~20 fields per position was
 * the largest cost of a replay after JSON parsing.
 */
import type { AircraftState } from '../domain/aircraft-state';
import type { MatchedAircraft, WatchHit, Watchlist } from '../domain/watchlist';

interface Memo {
  registration?: string;
  type?: string;
  callsign?: string;
  operator?: string;
  squawk?: string;
  flags: number;
  hit: WatchHit | undefined;
}

const flagBits = (s: AircraftState) =>
  (s.flags.military ? 1 : 0) | (s.flags.interesting ? 2 : 0) | (s.flags.pia ? 4 : 0) | (s.flags.ladd ? 8 : 0);

export class MatchCache {
  private readonly memo = new Map<string, Memo>();

  constructor(private readonly watchlist: Watchlist) {}

  match(s: AircraftState): WatchHit | undefined {
    const flags = flagBits(s);
    const m = this.memo.get(s.hex);
    if (
      m &&
      m.registration === s.registration &&
      m.type === s.type &&
      m.callsign === s.callsign &&
      m.operator === s.operator &&
      m.squawk === s.squawk &&
      m.flags === flags
    )
      return m.hit;
    const hit = this.watchlist.match(s);
    this.memo.set(s.hex, {
      registration: s.registration,
      type: s.type,
      callsign: s.callsign,
      operator: s.operator,
      squawk: s.squawk,
      flags,
      hit,
    });
    return hit;
  }

  /** Watched states of a step, tagged with their hit (same objects, `watch` added). */
  filter(states: readonly AircraftState[]): MatchedAircraft[] {
    const out: MatchedAircraft[] = [];
    for (const s of states) {
      const hit = this.match(s);
      if (hit) {
        (s as MatchedAircraft).watch = hit;
        out.push(s as MatchedAircraft);
      }
    }
    return out;
  }
}
