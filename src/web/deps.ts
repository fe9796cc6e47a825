/**
 * What the console's own pages need beyond the page context: the watchlist of the config in effect, the
 * worker's live health (absent when `flightwatch web` serves an archive alone, which reads the workers' shared
 * state in Redis instead), the evidence signing key and the airport names of the config's data dir.
 */
import type { Config } from '../config/schema';
import type { SigningKey } from '../archive/evidence/keys';
import type { AirportNamer } from '../reports';
import type { SharedHealth, WorkerHealth } from './health-model';

export type WatchEntryConfig = Config['watch'][number];

export interface ConsoleDeps {
  /** The watch entries in effect (read on every request: a reload may change them). */
  watch: () => readonly WatchEntryConfig[];
  /** The worker's live state; undefined when no worker runs beside this console. */
  health?: () => Promise<WorkerHealth>;
  /** Without a worker in this process: what the workers record in their Redis (`flightwatch web`). */
  shared?: () => Promise<SharedHealth>;
  /** The key that signs evidence bundles (throws with the reason when it cannot be loaded). */
  evidenceKey: () => SigningKey;
  /** Airport names for the Report page, from the config's data dir (codes only when no table loads). */
  airports: () => Promise<AirportNamer>;
}
