/**
 * Runway facts shared by the table builders: which surfaces are soft, and the per-airport summary (thresholds,
 * longest runway) from a list of runways, whatever table they came from.
 */
import { bearingDeg } from '../geo/sphere';
import type { Airport, RunwayEnd } from './airport-index';

/** Surfaces an airliner does not use (OurAirports free text and the npm table's normalised words). */
const SOFT_SURFACE =
  /^(GRASS|GRS|GRVL|GRAVEL|GRV|DIRT|DRT|TURF|TRF|SAND|SND|WATER|WTR|SNOW|ICE|CLAY|SOIL|EARTH|GRE|COR|CORAL|LATERITE|UNPAVED)/i;

export const isSoftSurface = (surface: string | undefined): boolean => !!surface && SOFT_SURFACE.test(surface.trim());

export interface RunwayInput {
  lengthFt?: number;
  surface?: string;
  /** 0, 1 or 2 ends with coordinates; a missing heading is computed from the other end. */
  ends: { ident: string; lat?: number; lon?: number; headingDeg?: number }[];
}

/** Fills runwayEnds / longestRunwayFt / longestHardRunwayFt on the airport from its open runways. */
export function attachRunways(a: Airport, runways: readonly RunwayInput[]): void {
  const ends: RunwayEnd[] = [];
  let longest: number | undefined;
  let longestHard: number | undefined;
  for (const r of runways) {
    if (r.lengthFt !== undefined && r.lengthFt > 0) {
      longest = Math.max(longest ?? 0, r.lengthFt);
      if (!isSoftSurface(r.surface)) longestHard = Math.max(longestHard ?? 0, r.lengthFt);
    }
    const placed = r.ends.filter(
      (e): e is typeof e & { lat: number; lon: number } => e.lat !== undefined && e.lon !== undefined,
    );
    for (const e of placed) {
      const other = placed.find((o) => o !== e);
      const heading = e.headingDeg ?? (other ? bearingDeg(e.lat, e.lon, other.lat, other.lon) : undefined);
      if (heading === undefined || !Number.isFinite(heading)) continue;
      ends.push({
        ident: e.ident,
        lat: e.lat,
        lon: e.lon,
        headingDeg: Math.round((((heading % 360) + 360) % 360) * 10) / 10,
      });
    }
  }
  if (ends.length) a.runwayEnds = ends;
  if (longest !== undefined) a.longestRunwayFt = longest;
  if (longestHard !== undefined) a.longestHardRunwayFt = longestHard;
}
