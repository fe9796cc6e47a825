/**
 * The worker's discovery: each poll cycle's states (watched or not) go to the candidate finder once the
 * archive is open; a new candidate raises the "new candidate" operational alert. Beside the pipeline like the
 * archive: a failure is logged and the cycle goes on, never an alert lost. A cycle arriving while the
 * previous one is still being scored is skipped (its aircraft are sampled again on the next cycle), so a slow
 * database never queues up poll cycles.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config/schema';
import type { AircraftState } from '../domain/aircraft-state';
import type { AirportIndex } from '../places/airport-index';
import type { DeliveryContext } from '../pipeline/context';
import type { RecordDatabase } from '../archive/record-schema';
import { CandidateFinder, SightingSampler, candidateRules, discoveryDb, type Place } from '../discovery';
import { announceCandidate, claimAnnouncement } from '../discovery/announce';
import type { Logger } from '../util/log';

export interface DiscoveryOptions {
  config: () => Config;
  airports: AirportIndex;
  db: () => Kysely<RecordDatabase> | undefined;
  ctx: () => DeliveryContext | undefined;
  log: Logger;
}

export interface Discovery {
  /** Feeds one cycle's states; never throws. */
  afterCycle(states: readonly AircraftState[] | undefined, now: number): Promise<void>;
}

/** Aircraft named by hex or registration in an enabled watch entry are listed already: nothing to discover. */
export function listedBy(watch: Config['watch']): (s: AircraftState) => boolean {
  const hexes = new Set<string>();
  const regs = new Set<string>();
  for (const w of watch.filter((e) => e.enabled)) {
    for (const h of w.match.hex ?? []) hexes.add(h);
    for (const r of w.match.registrations ?? []) regs.add(r);
  }
  return (s) => hexes.has(s.hex) || (!!s.registration && regs.has(s.registration.toUpperCase()));
}

const DESTINATION_KINDS = ['large_airport', 'medium_airport'];

/** The sampler the config describes: the classify hubs, and airports in the countries of return. */
export function buildSampler(config: Config, airports: AirportIndex): SightingSampler {
  const d = config.discovery;
  const hubs: Place[] = config.classify.hubs.flatMap((icao) => {
    const a = airports.byIcao(icao);
    return a ? [{ icao: a.icao, lat: a.lat, lon: a.lon, country: a.country }] : [];
  });
  const home = config.classify.homeCountry;
  const returns = new Set(config.classify.destinationCountries);
  const isReturn = (c: string) => c !== home && (returns.size === 0 || returns.has(c));
  return new SightingSampler({
    hubs,
    destinationNear: (lat, lon) => {
      const a = airports.nearest(lat, lon, { maxNm: d.hubRadiusNm, kinds: DESTINATION_KINDS });
      return a && isReturn(a.country) ? { icao: a.icao, lat: a.lat, lon: a.lon, country: a.country } : undefined;
    },
    isListed: listedBy(config.watch),
    radiusNm: d.hubRadiusNm,
    lowAltitudeFt: d.lowAltitudeFt,
    sampleMinutes: d.sampleMinutes,
    maxPerCycle: d.maxSightingsPerCycle,
  });
}

export function buildFinder(config: Config, airports: AirportIndex, db: Kysely<RecordDatabase>): CandidateFinder {
  const sampler = buildSampler(config, airports);
  return new CandidateFinder({ db: discoveryDb(db), rules: candidateRules(config.discovery), sampler });
}

export function startDiscovery(o: DiscoveryOptions): Discovery {
  let finder: CandidateFinder | undefined;
  let builtFor: Config | undefined;
  let busy = false;
  let failing = false;
  return {
    async afterCycle(states, now) {
      const config = o.config();
      const db = o.db();
      if (!config.discovery.enabled || !states || !db || busy) return;
      busy = true;
      try {
        // A reload (new hubs, watch entries, rules) builds a new finder; its sampler memory starts afresh.
        if (!finder || builtFor !== config) {
          finder = buildFinder(config, o.airports, db);
          builtFor = config;
        }
        const r = await finder.feed(states, now);
        failing = false;
        const ctx = o.ctx();
        for (const c of r.proposed) {
          // Another replica may have proposed it from its own cycles: the one that claims it announces it.
          const announce = config.discovery.alert && ctx ? await claimAnnouncement(ctx, c) : false;
          o.log.info({ candidate: c.id, hex: c.hex, score: c.score, announced: announce }, 'new candidate aircraft');
          if (announce && ctx) await announceCandidate(ctx, c);
        }
      } catch (e) {
        if (!failing) o.log.warn({ err: (e as Error).message }, 'discovery failed this cycle (alerts unaffected)');
        failing = true;
      } finally {
        busy = false;
      }
    },
  };
}
