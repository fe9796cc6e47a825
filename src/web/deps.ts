/**
 * What the console's own pages need beyond the page context: the watchlist of the config in effect, the
 * worker's live health (absent when `flightwatch web` serves an archive alone) and the evidence signing key.
 */
import type { Config } from '../config/schema';
import type { SigningKey } from '../archive/evidence/keys';
import type { WorkerHealth } from './health-model';

export type WatchEntryConfig = Config['watch'][number];

export interface ConsoleDeps {
  /** The watch entries in effect (read on every request: a reload may change them). */
  watch: () => readonly WatchEntryConfig[];
  /** The worker's live state; undefined when no worker runs beside this console. */
  health?: () => Promise<WorkerHealth>;
  /** The key that signs evidence bundles (throws with the reason when it cannot be loaded). */
  evidenceKey: () => SigningKey;
}
