/** Airport kinds (OurAirports `type` vocabulary) and how other sources map onto them. */

export const AIRPORT_KINDS = [
  'large_airport',
  'medium_airport',
  'small_airport',
  'heliport',
  'seaplane_base',
  'closed',
  'unknown',
] as const;
export type AirportKind = (typeof AIRPORT_KINDS)[number];

/** Kinds where a fixed-wing landing is plausible; `unknown` stays in because VRS-only rows carry no kind. */
export const FIXED_WING_KINDS: readonly AirportKind[] = [
  'large_airport',
  'medium_airport',
  'small_airport',
  'seaplane_base',
  'unknown',
];

const ALIASES: Record<string, AirportKind> = {
  large: 'large_airport',
  medium: 'medium_airport',
  small: 'small_airport',
  seaplane: 'seaplane_base',
  balloonport: 'unknown',
};

/** Maps a source's type string to a kind; anything unrecognised becomes `unknown`. */
export function normalizeKind(raw: string | null | undefined): AirportKind {
  const k = (raw ?? '').trim().toLowerCase();
  if ((AIRPORT_KINDS as readonly string[]).includes(k)) return k as AirportKind;
  return ALIASES[k] ?? 'unknown';
}

/** Kind guessed from a name, for sources without a type column (VRS): only the unambiguous cases. */
export function kindFromName(name: string): AirportKind {
  if (/\bheli(port|pad|stop)\b/i.test(name)) return 'heliport';
  if (/\b(seaplane base|water aerodrome|seaplane)\b/i.test(name)) return 'seaplane_base';
  return 'unknown';
}

export function isAirportKind(k: string): k is AirportKind {
  return (AIRPORT_KINDS as readonly string[]).includes(k);
}
