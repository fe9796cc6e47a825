/** The worker's detector options from the config: the rules' settings plus the extensions it asks for (trips). */
import type { Config } from '../config/schema';
import type { DetectorOptions, IdentityMemory, TrackStore } from '../detect';
import type { AirportIndex } from '../places/airport-index';
import { tripsExtensions, type FleetLegs } from '../trips';
import type { Logger } from '../util/log';

export function detectorOptionsFromConfig(
  config: Config,
  airports: AirportIndex,
  store?: TrackStore,
  logger?: Logger,
  /** The archive's recent legs for fleet priors (the worker's archiving); none in a replay. */
  fleet?: () => FleetLegs | undefined,
  /** The worker's identity memory in Redis; a replay remembers in memory. */
  identityMemory?: (horizonMs: number) => IdentityMemory,
): DetectorOptions {
  return {
    airports,
    detect: config.detect,
    maxPositionAgeS: config.poll.maxPositionAgeS,
    destinations: config.destinations,
    store,
    logger,
    extensions: tripsExtensions(config, logger, fleet),
    ...(identityMemory ? { identityMemory } : {}),
  };
}
