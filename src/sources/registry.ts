/** Builds Source objects from config, in config order (the failover order). Disabled sources are left out. */
import type { SourceConfig } from '../config/schema';
import type { Source } from './source';
import type { HttpSourceOptions } from './http/http-source';
import { ReadsbSource } from './readsb/source';
import { OpenSkySource } from './opensky/source';
import { ReceiverSource } from './receiver/source';

export type ClosableSource = Source & { close(): void };

export function createSource(config: SourceConfig, opts: HttpSourceOptions = {}): ClosableSource {
  switch (config.kind) {
    case 'readsb-v2':
      return new ReadsbSource(config, opts);
    case 'opensky':
      return new OpenSkySource(config, opts);
    case 'receiver':
      return new ReceiverSource(config, opts);
  }
}

/** A config change builds new objects, which also clears auth backoffs and rate-limit windows. */
export function createSources(configs: readonly SourceConfig[], opts: HttpSourceOptions = {}): ClosableSource[] {
  return configs.filter((c) => c.enabled).map((c) => createSource(c, opts));
}

export function closeSources(sources: readonly Source[]): void {
  for (const s of sources) (s as Partial<ClosableSource>).close?.();
}
