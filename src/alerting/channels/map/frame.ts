/** The map's frame: the visible lon/lat box, the scale bar, the footer line, great-circle legs. */
import { geoDistance, geoInterpolate, type geoMercator } from 'd3-geo';
import type { AirportRef, FlightEvent } from '../../../domain/event';
import { FONT } from './svg';
import type { LonLat } from './track';
import type { LonLatBox } from './world';

const NM_PER_RAD = 3440.065;
const NICE_NM = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** What the lines are and where the data comes from, in one line. */
export function footer(event: FlightEvent, n: number, legs: boolean): string {
  const times = event.evidence.map((p) => p.time).sort();
  const span =
    n > 1 && times.length > 1
      ? `red: ${n} positions ${times[0]!.slice(11, 16)}–${times.at(-1)!.slice(11, 16)} UTC`
      : '';
  return [
    span,
    legs ? 'dashed: legs, airport to airport' : '',
    event.type === 'en_route' ? 'dashed: predicted' : '',
    'Natural Earth · public ADS-B',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The lon/lat box the canvas shows, with a margin. */
export function viewBox(projection: ReturnType<typeof geoMercator>, width: number, height: number): LonLatBox {
  const inv = (x: number, y: number): LonLat => projection.invert!([x, y]) as LonLat;
  const spanDeg = ((width + 40) / projection.scale()) * (180 / Math.PI);
  const north = Math.min(90, inv(0, -20)[1] + 1);
  const south = Math.max(-90, inv(0, height + 20)[1] - 1);
  if (spanDeg >= 350) return [-180, south, 180, north];
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  return [wrap(inv(-20, 0)[0] - 1), south, wrap(inv(width + 20, 0)[0] + 1), north];
}

export function greatCircle(a: AirportRef, b: AirportRef): LonLat[] {
  const at = geoInterpolate([a.lon, a.lat], [b.lon, b.lat]);
  return Array.from({ length: 33 }, (_, i) => at(i / 32));
}

export function scaleBar(projection: ReturnType<typeof geoMercator>, height: number): string {
  const y = height - 16;
  const x0 = 14;
  const a = projection.invert?.([x0, y]);
  const b = projection.invert?.([x0 + 100, y]);
  if (!a || !b) return '';
  const nmPer100px = geoDistance(a, b) * NM_PER_RAD;
  if (!(nmPer100px > 0)) return '';
  const nm = [...NICE_NM].reverse().find((n) => n <= nmPer100px * 1.6) ?? NICE_NM[0]!;
  const px = (nm / nmPer100px) * 100;
  return (
    `<path d="M${x0},${y - 4} V${y} H${(x0 + px).toFixed(1)} V${y - 4}" fill="none" stroke="#1d2a33" stroke-width="1.5"/>` +
    `<text x="${x0 + px / 2}" y="${y - 6}" font-family="${FONT}" font-size="10" fill="#1d2a33" text-anchor="middle">${nm} nm</text>`
  );
}
