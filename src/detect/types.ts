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
