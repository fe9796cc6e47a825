/** Routes: multi-leg trips, en-route destination prediction, diversions (docs/trips.md). */
import path from 'node:path';
import { tripsSchema, type TripsConfig, type TripsConfigInput } from '../config/trips-schema';
import type { DetectorExtensionFactory } from '../detect/types';
import type { Logger } from '../util/log';
import { loadCallsignRoutes, type CallsignRouteTable } from './callsign-routes';
import { tripsExtension } from './extension';
import type { FleetLegs } from './fleet-priors';

export { tripsExtension, TripsExtension } from './extension';
export {
  predict,
  Predictor,
  Scores,
  type Corridor,
  type Evaluation,
  type Gate,
  type Observation,
  type Prediction,
  type Scored,
} from './predict';
export { buildCandidates, type Candidate, type CandidateSet } from './candidates';
export {
  parseCallsignRoutes,
  loadCallsignRoutes,
  routePrior,
  DEFAULT_ROUTES_FILE,
  type CallsignRouteTable,
} from './callsign-routes';
export { tripDestinations } from './trips';
export { fleetPriors, mergePriors, operatorKey, type FleetLeg, type FleetLegs } from './fleet-priors';
export type { TripsTrackState, TripState, TripLegState, LegPrediction } from './state';

/**
 * The detector extensions the config asks for: [] when routes are disabled. Loads the callsign route table
 * (routes.callsignRoutes.file, else <data.dir>/vrs-routes.csv when present); a table that cannot be read is
 * logged and prediction runs without the prior — it is only a weak hint.
 */
export function tripsExtensions(
  config: { trips?: TripsConfig | TripsConfigInput; data?: { dir: string } },
  logger?: Logger,
  fleet?: () => FleetLegs | undefined,
): DetectorExtensionFactory[] {
  const cfg = tripsSchema.parse(config.trips ?? {});
  if (!cfg.enabled) return [];
  let table: CallsignRouteTable | undefined;
  try {
    table = loadCallsignRoutes(cfg.callsignRoutes.file, config.data?.dir ?? 'data');
    if (table?.skipped.count)
      logger?.warn(
        { skipped: table.skipped.count, examples: table.skipped.examples },
        'callsign routes: unreadable rows skipped',
      );
  } catch (e) {
    logger?.warn(
      {
        err: (e as Error).message,
        file: cfg.callsignRoutes.file ?? path.join(config.data?.dir ?? 'data', 'vrs-routes.csv'),
      },
      'callsign routes not loaded; predicting without the callsign prior',
    );
  }
  return [tripsExtension({ cfg, callsignRoutes: table, fleet })];
}
