/**
 * The candidate finder: one poll cycle's states in, sightings stored, the aircraft they touch re-scored, and
 * the candidates proposed by this cycle out (for the "new candidate" alert). Only aircraft with a new sighting
 * are re-scored, so its cost follows the sampled sightings, not the size of the feed.
 */
import type { Kysely } from 'kysely';
import type { AircraftState } from '../domain/aircraft-state';
import type { SightingSampler } from './sighting';
import { assess, type CandidateRules } from './score';
import { decide } from './decide';
import { candidateByHex, saveSightings, sightingsOf, writeCandidate } from './store';
import type { CandidateRow, DiscoveryDatabase } from './tables';

const DAY = 86_400_000;

export interface FinderOptions {
  db: Kysely<DiscoveryDatabase>;
  rules: CandidateRules;
  sampler: SightingSampler;
}

export interface FeedResult {
  sightings: number;
  /** Candidates proposed (or proposed again) by this cycle. */
  proposed: CandidateRow[];
}

export class CandidateFinder {
  constructor(private readonly o: FinderOptions) {}

  async feed(states: Iterable<AircraftState>, now: number): Promise<FeedResult> {
    const sightings = this.o.sampler.sample(states, now);
    if (!sightings.length) return { sightings: 0, proposed: [] };
    try {
      await saveSightings(this.o.db, sightings);
    } catch (e) {
      this.o.sampler.forget(sightings);
      throw e;
    }
    const proposed: CandidateRow[] = [];
    for (const hex of new Set(sightings.map((s) => s.hex))) {
      const newest = Math.max(...sightings.filter((s) => s.hex === hex).map((s) => s.at));
      const history = await sightingsOf(this.o.db, hex, newest - this.o.rules.windowDays * DAY);
      const prev = await candidateByHex(this.o.db, hex);
      const d = decide(prev, assess(hex, history, this.o.rules), now);
      if (d.row) await writeCandidate(this.o.db, d.row, !prev);
      if (d.announce && d.row) proposed.push(d.row);
    }
    return { sightings: sightings.length, proposed };
  }
}
