/**
 * Sightings: an unlisted aircraft at a place that matters (a hub, or an airport in a country of return), kept
 * as evidence for scoring. Sampling is what keeps discovery cheap on a busy feed: only aircraft on the ground
 * or low near such a place count, and one sighting per aircraft, place and callsign per `sampleMinutes` is
 * kept (a 737 parked at KAEX for a day is a handful of sightings, not 2,880 polls). Pure apart from the
 * sampler's memory of what it already kept.
 */
import type { AircraftState } from '../domain/aircraft-state';
import { haversineNm } from '../geo/sphere';

export interface Sighting {
  hex: string;
  /** Position time (epoch ms). */
  at: number;
  /** Config id of the source that reported it. */
  source: string;
  /** ICAO code of the place. */
  place: string;
  /** ISO country of the place. */
  country: string;
  /** The place is one of the configured hubs. */
  hub: boolean;
  onGround: boolean;
  altFt: number | null;
  lat: number;
  lon: number;
  callsign: string | null;
  registration: string | null;
  type: string | null;
  operator: string | null;
}

export interface Place {
  icao: string;
  lat: number;
  lon: number;
  country: string;
}

export interface SamplerOptions {
  hubs: readonly Place[];
  /** An airport in a country of return near this low aircraft (undefined: none, or not looked up). */
  destinationNear?: (lat: number, lon: number) => Place | undefined;
  /** The aircraft is already on the watchlist by hex or registration: nothing to discover. */
  isListed: (s: AircraftState) => boolean;
  radiusNm: number;
  lowAltitudeFt: number;
  sampleMinutes: number;
  maxPerCycle: number;
}

const isLow = (s: AircraftState, lowFt: number) => s.onGround || (s.altFt !== undefined && s.altFt < lowFt);

export class SightingSampler {
  /** `hex|place|callsign` → time of the last sighting kept. */
  private readonly kept = new Map<string, number>();
  private lastPrune = 0;

  constructor(private readonly o: SamplerOptions) {}

  /** The sightings worth keeping from one poll cycle's states, at most `maxPerCycle`. */
  sample(states: Iterable<AircraftState>, now: number): Sighting[] {
    const windowMs = this.o.sampleMinutes * 60_000;
    this.prune(now, windowMs);
    const out: Sighting[] = [];
    for (const s of states) {
      if (out.length >= this.o.maxPerCycle) break;
      if (s.lat === undefined || s.lon === undefined || !isLow(s, this.o.lowAltitudeFt)) continue;
      const at = this.placeOf(s.lat, s.lon);
      if (!at || this.o.isListed(s)) continue;
      const key = `${s.hex}|${at.place.icao}|${s.callsign ?? ''}`;
      const t = s.positionAt ?? s.observedAt;
      const last = this.kept.get(key);
      if (last !== undefined && t - last < windowMs && t >= last) continue;
      this.kept.set(key, t);
      out.push({
        hex: s.hex,
        at: t,
        source: s.sourceId,
        place: at.place.icao,
        country: at.place.country,
        hub: at.hub,
        onGround: s.onGround,
        altFt: s.onGround ? null : (s.altFt ?? null),
        lat: s.lat,
        lon: s.lon,
        callsign: s.callsign ?? null,
        registration: s.registration ?? null,
        type: s.type ?? null,
        operator: s.operator ?? null,
      });
    }
    return out;
  }

  /** Sightings that could not be stored: sampled again on the next cycle instead of waiting a window. */
  forget(sightings: readonly Sighting[]): void {
    for (const s of sightings) this.kept.delete(`${s.hex}|${s.place}|${s.callsign ?? ''}`);
  }

  private placeOf(lat: number, lon: number): { place: Place; hub: boolean } | undefined {
    for (const h of this.o.hubs)
      if (haversineNm(lat, lon, h.lat, h.lon) <= this.o.radiusNm) return { place: h, hub: true };
    const d = this.o.destinationNear?.(lat, lon);
    return d ? { place: d, hub: false } : undefined;
  }

  /** Forgets what is older than the window, at most once per window: the map stays the size of one window. */
  private prune(now: number, windowMs: number) {
    if (now - this.lastPrune < windowMs) return;
    this.lastPrune = now;
    for (const [k, t] of this.kept) if (now - t >= windowMs) this.kept.delete(k);
  }
}
