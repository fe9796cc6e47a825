/**
 * Permalinks to public viewers at the right date: tar1090 globes replay an aircraft's trace for one UTC day
 * with `showTrace=YYYY-MM-DD` (adsb.lol, ADS-B Exchange, airplanes.live), so a leg crossing midnight UTC gets
 * one link per day.
 */
import { aircraftLinks } from '../../alerting/channels/links';

export interface DatedLink {
  viewer: string;
  date: string;
  href: string;
}

const DAY_MS = 86_400_000;

/** UTC dates (YYYY-MM-DD) from `fromMs` to `toMs` inclusive. */
export function utcDates(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  const start = Math.floor(fromMs / DAY_MS);
  const end = Math.floor(Math.max(fromMs, toMs) / DAY_MS);
  for (let d = start; d <= end && out.length < 31; d++) out.push(new Date(d * DAY_MS).toISOString().slice(0, 10));
  return out;
}

export function tracePermalinks(hex: string, fromMs: number, toMs: number): DatedLink[] {
  const base = aircraftLinks(hex);
  return utcDates(fromMs, toMs).flatMap((date) =>
    Object.entries(base).map(([viewer, href]) => ({ viewer, date, href: `${href}&showTrace=${date}` })),
  );
}
