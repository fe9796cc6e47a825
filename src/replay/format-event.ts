/** One human-readable line per event (default `replay` output; `--json` prints the documents instead). */
import { isInferred, type FlightEvent } from '../domain/event';

const fmtTime = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

export function formatEventLine(e: FlightEvent): string {
  const a = e.aircraft;
  const who = [a.hex, a.registration, a.type, a.callsign].filter(Boolean).join(' ');
  const parts = [fmtTime(e.time), e.type.padEnd(11), who];
  if (e.airport) {
    const ap = e.airport;
    const dist = ap.distanceNm !== undefined ? ` ${ap.distanceNm.toFixed(1)} nm` : '';
    parts.push(`@ ${ap.icao}${ap.iata ? `/${ap.iata}` : ''} ${ap.name} (${ap.country})${dist}`);
  } else if (e.position) {
    const p = e.position;
    const alt = p.altFt === null ? 'ground' : `${Math.round(p.altFt)} ft`;
    parts.push(`at ${p.lat.toFixed(4)},${p.lon.toFixed(4)} ${alt}`);
  }
  if (e.destination) parts.push(`destination ${e.destination.id}`);
  if (isInferred(e)) parts.push('(inferred)');
  if (e.type === 'squawk' && e.details) parts.push(`squawk ${e.details.code}`);
  parts.push(`[${e.watch.ids.join(',')}]`);
  return parts.join('  ');
}
