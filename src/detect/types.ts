/** Contract between detection and its callers (poll worker, replay). Implementation: src/detect. */
import type { MatchedAircraft } from '../domain/watchlist';
import type { FlightEvent } from '../domain/event';

export interface Detector {
  /**
   * Feeds one poll cycle (or one replay time step) of matched aircraft observed at `now` (epoch ms).
   * Aircraft absent from the batch are "not heard", never "landed"; timeouts (inferred landings, quiet
   * periods) are evaluated against `now`. Returns the events this step produced, in time order.
   */
  process(batch: readonly MatchedAircraft[], now: number): Promise<FlightEvent[]>;
}

/**
 * A detector extension (src/trips: trips, en-route prediction, diversions) runs inside the same atomic track
 * step as the rules, right after them, so its state (TrackState.ext / extDeadline) commits with the track and
 * is as replica-safe as the rules' own. Like a TrackStep it must be pure apart from mutating `st` and
 * appending to `out`: a store may re-run the step on a fresh state.
 */
export interface DetectorExtension {
  /**
   * After the rules applied an aircraft's records (or its timer fired: `timeout`). `out[from…]` are the
   * events the rules produced for this aircraft in this step; the extension may annotate them and append more.
   */
  afterStep(
    st: import('./track-state').TrackState,
    out: FlightEvent[],
    from: number,
    now: number,
    timeout: boolean,
  ): void;
}

/** What an extension factory gets from the detector. */
export interface DetectorExtensionContext {
  airports: import('../places/airport-index').AirportIndex;
  detect: import('../config/detect-schema').DetectConfig;
  destinations: readonly import('../config/schema').Destination[];
}

export type DetectorExtensionFactory = (ctx: DetectorExtensionContext) => DetectorExtension;
