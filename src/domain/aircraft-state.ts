/**
 * The one normalized record every source produces. Units are aviation units regardless of source:
 * feet, knots, degrees true, feet per minute. Times are epoch milliseconds (UTC).
 */
export interface AircraftFlags {
  military: boolean;
  interesting: boolean;
  pia: boolean;
  ladd: boolean;
}

export interface AircraftState {
  /** 24-bit ICAO address, 6 lowercase hex digits; a leading "~" marks a non-ICAO (e.g. TIS-B) address. */
  hex: string;
  registration?: string;
  /** ICAO type designator, e.g. GLF5. */
  type?: string;
  /** Trimmed callsign as transmitted. */
  callsign?: string;
  /** Owner/operator name (readsb `ownOp` or the aircraft database). */
  operator?: string;
  lat?: number;
  lon?: number;
  /** Barometric altitude in feet; undefined when on the ground or unknown (see onGround). */
  altFt?: number;
  onGround: boolean;
  gsKt?: number;
  trackDeg?: number;
  vrateFpm?: number;
  squawk?: string;
  flags: AircraftFlags;
  /** Seconds between the last position update and `observedAt`'s reference clock. */
  positionAgeS?: number;
  /** When the data was current (epoch ms): the reply's `now` minus the record's `seen`. */
  observedAt: number;
  /** When the position was current (epoch ms), if there is a position. */
  positionAt?: number;
  /** Position/message technology as reported (adsb_icao, mlat, adsc, opensky:0…). */
  sourceType?: string;
  /** Config id of the source that produced this state. */
  sourceId: string;
  /** When the source reply was received (epoch ms). */
  fetchedAt: number;
}

/** Every field of T present (undefined where T leaves it out): a field T gains must be added where this is built. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/**
 * A copy of `s` with `watch`, built as one object literal with every field in one order, so that every copy
 * shares one hidden class. Spread copies (`{ ...probe }` of the parser's scratch state, `{ ...s, watch }` of the
 * match) each got a hidden class of their own in node 20's V8: ~600 bytes of map and descriptors per aircraft
 * per poll, straight into the old generation, and megamorphic reads wherever the states went. `watch` is
 * undefined for a state not matched yet (JSON leaves it out).
 */
export function copyState<W>(s: AircraftState, watch: W): EveryField<AircraftState> & { watch: W } {
  return {
    hex: s.hex,
    registration: s.registration,
    type: s.type,
    callsign: s.callsign,
    operator: s.operator,
    lat: s.lat,
    lon: s.lon,
    altFt: s.altFt,
    onGround: s.onGround,
    gsKt: s.gsKt,
    trackDeg: s.trackDeg,
    vrateFpm: s.vrateFpm,
    squawk: s.squawk,
    flags: s.flags,
    positionAgeS: s.positionAgeS,
    observedAt: s.observedAt,
    positionAt: s.positionAt,
    sourceType: s.sourceType,
    sourceId: s.sourceId,
    fetchedAt: s.fetchedAt,
    watch,
  };
}

export const NO_FLAGS: Readonly<AircraftFlags> = Object.freeze({
  military: false,
  interesting: false,
  pia: false,
  ladd: false,
});

/** readsb `dbFlags` bitfield: &1 military, &2 interesting, &4 PIA, &8 LADD. */
export function flagsFromDbFlags(dbFlags: number | undefined): AircraftFlags {
  if (!dbFlags) return { ...NO_FLAGS };
  return {
    military: (dbFlags & 1) !== 0,
    interesting: (dbFlags & 2) !== 0,
    pia: (dbFlags & 4) !== 0,
    ladd: (dbFlags & 8) !== 0,
  };
}

export const FLAG_NAMES = ['military', 'interesting', 'pia', 'ladd'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

/** Lowercase 6-digit hex (optionally "~"-prefixed), or undefined. Hand-rolled: runs once per aircraft. */
export function normalizeHex(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  let s = v;
  if (s.length < 6 || s.length > 7) {
    s = s.trim();
    if (s.length < 6 || s.length > 7) return undefined;
  }
  const start = s.charCodeAt(0) === 126 /* ~ */ ? 1 : 0;
  if (s.length - start !== 6) return undefined;
  let upper = false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else return undefined;
  }
  return upper ? s.toLowerCase() : s;
}
