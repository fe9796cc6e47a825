/**
 * Hex-only watch entries follow their airframe to a new address: an unwatched aircraft of the poll cycle that
 * the identity memory links to a hex such an entry names (a PIA address rotated, a re-registration) is handed
 * to detection under that entry. Never a silent merge: the link is remembered, so every event of the new hex
 * carries `details.linked` with the evidence, and the archive keeps it. Registration and callsign entries need
 * none of this (they match the new hex by themselves).
 */
import type { Config } from '../config/schema';
import type { AircraftState } from '../domain/aircraft-state';
import type { MatchedAircraft, WatchHit } from '../domain/watchlist';
import { createLinker, type IdentityMemory } from '../detect';
import type { Logger } from '../util/log';

/** Enabled entries that name aircraft only by hex (nothing else to match the new address by), by hex. */
export function hexOnlyEntries(watch: Config['watch']): Map<string, WatchHit> {
  const out = new Map<string, WatchHit>();
  for (const w of watch) {
    if (!w.enabled || !w.match.hex || Object.values(w.match).filter((v) => v !== undefined).length !== 1) continue;
    for (const hex of w.match.hex) {
      const hit = out.get(hex) ?? { ids: [], tags: [] };
      out.set(hex, { ids: [...new Set([...hit.ids, w.id])], tags: [...new Set([...hit.tags, ...w.tags])] });
    }
  }
  return out;
}

export interface IdentityFollow {
  /** The cycle's unwatched aircraft that continue a hex-only entry's hex, matched to it; never throws. */
  follow(
    all: readonly AircraftState[] | undefined,
    matched: readonly MatchedAircraft[],
    now: number,
  ): Promise<MatchedAircraft[]>;
}

export function identityFollow(o: {
  config: () => Config;
  memory: (horizonMs: number) => IdentityMemory;
  log: Logger;
}): IdentityFollow {
  let builtFor: Config | undefined;
  let linker: ReturnType<typeof createLinker>;
  let entries = new Map<string, WatchHit>();
  let failing = false;
  return {
    async follow(all, matched, now) {
      const config = o.config();
      if (builtFor !== config) {
        builtFor = config;
        linker = createLinker(config.detect, o.memory);
        entries = hexOnlyEntries(config.watch);
      }
      if (!linker || !all || !entries.size) return [];
      const watched = new Set(matched.map((m) => m.hex));
      const unwatched = all.filter((s) => !watched.has(s.hex));
      try {
        const found = await linker.follow(unwatched, (hex) => entries.has(hex), now);
        failing = false;
        const out: MatchedAircraft[] = [];
        for (const s of unwatched) {
          const f = found.get(s.hex);
          const hit = f && entries.get(f.watchedHex);
          if (!f || !hit) continue;
          out.push({ ...s, watch: hit });
          if (f.link.at === new Date(s.positionAt ?? s.observedAt).toISOString())
            o.log.info(
              { hex: s.hex, previousHex: f.link.previousHex, watch: hit.ids, reason: f.link.reason },
              'watch entry follows its airframe to a new hex (linked)',
            );
        }
        return out;
      } catch (e) {
        // The cycle's watched aircraft go on to detection regardless.
        if (!failing) o.log.warn({ err: (e as Error).message }, 'identity follow failed this cycle');
        failing = true;
        return [];
      }
    },
  };
}
