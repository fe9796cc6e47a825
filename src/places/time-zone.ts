/** IANA time zones for airports: a source's zone when it is a real zone, else computed offline from coordinates. */
import tzLookup from '@photostructure/tz-lookup';

const valid = new Map<string, boolean>();

/** True when the runtime's ICU knows the zone (e.g. "Asia/Shanghai"); rejects "\\N", "", offsets. */
export function isValidZone(tz: string | null | undefined): tz is string {
  if (!tz || !tz.includes('/')) return tz === 'UTC';
  let ok = valid.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    valid.set(tz, ok);
  }
  return ok;
}

/** Zone containing the point (tz-lookup's offline boundary data); undefined for invalid coordinates. */
export function zoneAt(lat: number, lon: number): string | undefined {
  try {
    const tz = tzLookup(lat, lon);
    return isValidZone(tz) ? tz : undefined;
  } catch {
    return undefined;
  }
}
