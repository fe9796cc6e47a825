/** The watch entries an evidence bundle names, with their provenance from the config in effect. */
import type { Config } from '../../config/schema';
import type { EvidenceWatchEntry } from './input';

/** Watch entries with their provenance, from the config; ids no longer in it are listed as such. */
export function watchEntriesFrom(config: Pick<Config, 'watch'> | undefined): (ids: string[]) => EvidenceWatchEntry[] {
  return (ids) =>
    ids.map((id) => {
      const w = config?.watch.find((x) => x.id === id);
      if (!w) return { id, note: 'not in the current config (removed or renamed since)' };
      return {
        id,
        note: w.note ?? null,
        source: w.source ?? null,
        added: w.added ?? null,
        tags: w.tags,
        match: w.match,
      };
    });
}
