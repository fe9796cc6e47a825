/** Times and coordinates as people read them (luxon for zones). */
import { DateTime } from 'luxon';
import { oneLine } from './sanitize';

export interface Row {
  label: string;
  value: string;
}

export function fmtLatLon(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(2)}°${lat >= 0 ? 'N' : 'S'} ${Math.abs(lon).toFixed(2)}°${lon >= 0 ? 'E' : 'W'}`;
}

export function utcTime(iso: string): string {
  const t = DateTime.fromISO(iso, { zone: 'utc' });
  return t.isValid ? t.toFormat("yyyy-LL-dd HH:mm:ss 'UTC'") : oneLine(iso, 40);
}

export function localTime(iso: string, zone: string): string | undefined {
  const t = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return t.isValid
    ? `${t.toFormat('yyyy-LL-dd HH:mm:ss ZZZZ', { locale: 'en-US' })} (${zone}, UTC${t.toFormat('ZZ')})`
    : undefined;
}
