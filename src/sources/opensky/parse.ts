/**
 * OpenSky `/states/all` reply → AircraftState[]. State vectors are positional arrays in SI units; this
 * converts them to the aviation units every source shares (ft, kt, ft/min) and to epoch ms. OpenSky never
 * sends registration, type or operator: the aircraft database fills them (src/enrich/aircraft-db.ts).
 * Field-by-field mapping: docs/normalization.md.
 */
import { normalizeHex, type AircraftState } from '../../domain/aircraft-state';
import { SourceError, type FetchResult } from '../source';
import { DEFAULT_STRING_MAX, describeType, RejectLog, replyResult, STRING_MAX, tooLong } from '../parse-util';
import { FLAGS_NONE, MAX_ABS, decodeJsonBody, replyBytes, type ParseContext } from '../readsb/parse';

export type { ParseContext } from '../readsb/parse';

/** Exact by definition: 1 ft = 0.3048 m, 1 kt = 1852 m / 3600 s. */
export const FEET_PER_METRE = 1 / 0.3048;
export const KNOTS_PER_MPS = 3600 / 1852;
export const FPM_PER_MPS = 60 / 0.3048;

/** Indexes of the state vector (OpenSky REST docs, "State Vectors"). */
const I = {
  icao24: 0,
  callsign: 1,
  originCountry: 2,
  timePosition: 3,
  lastContact: 4,
  longitude: 5,
  latitude: 6,
  baroAltitude: 7,
  onGround: 8,
  velocity: 9,
  trueTrack: 10,
  verticalRate: 11,
  sensors: 12,
  geoAltitude: 13,
  squawk: 14,
  spi: 15,
  positionSource: 16,
  category: 17,
} as const;

/** Shared strings for the documented position sources (0 ADS-B, 1 ASTERIX, 2 MLAT, 3 FLARM). */
const SOURCE_TYPES = ['opensky:0', 'opensky:1', 'opensky:2', 'opensky:3'];

/** OpenSky `time` is in seconds; beyond this (year 5138) it is not a clock. */
const MAX_TIME_S = 1e11;

class OpenSkyNormalizer {
  readonly rejects = new RejectLog();
  constructor(
    /** Reply `time` in seconds: the reference for ages. */
    private readonly timeS: number,
    private readonly sourceId: string,
    private readonly fetchedAt: number,
  ) {}

  private bad(i: number, idx: number, field: string, expected: string, v: unknown): undefined {
    this.rejects.note(`states[${i}][${idx}] (${field}): expected ${expected}, got ${describeType(v)}`);
    return undefined;
  }

  private num(v: unknown, i: number, idx: number, field: string): number | undefined {
    if (typeof v === 'number') {
      if (v >= -MAX_ABS && v <= MAX_ABS) return v;
      this.rejects.note(`states[${i}][${idx}] (${field}): ${v} is out of range`);
      return undefined;
    }
    if (v === undefined || v === null) return undefined;
    return this.bad(i, idx, field, 'a number or null', v);
  }

  private str(v: unknown, i: number, idx: number, field: string, max: number = DEFAULT_STRING_MAX): string | undefined {
    if (typeof v === 'string') {
      const t = v.trim();
      if (t.length > max) {
        this.rejects.note(tooLong(`states[${i}][${idx}] (${field})`, t, max));
        return undefined;
      }
      return t.length ? t : undefined;
    }
    if (v === undefined || v === null) return undefined;
    return this.bad(i, idx, field, 'a string or null', v);
  }

  run(list: unknown[]): AircraftState[] {
    const out = new Array<AircraftState>(list.length);
    let count = 0;
    const rejects = this.rejects;
    const timeS = this.timeS;
    for (let i = 0; i < list.length; i++) {
      const v = list[i] as unknown[];
      if (!Array.isArray(v)) {
        rejects.records++;
        rejects.note(`states[${i}]: expected an array (state vector), got ${describeType(v)}`);
        continue;
      }
      if (v.length < 17) {
        rejects.records++;
        rejects.note(`states[${i}]: expected 17 or 18 fields, got ${v.length}`);
        continue;
      }
      const hex = normalizeHex(v[I.icao24]);
      if (hex === undefined) {
        rejects.records++;
        const h = v[I.icao24];
        rejects.note(
          `states[${i}][0] (icao24): expected a 6-digit hex string, got ${typeof h === 'string' ? JSON.stringify(h.slice(0, 20)) : describeType(h)}`,
        );
        continue;
      }
      const notesBefore = rejects.notes;

      let lat = this.num(v[I.latitude], i, I.latitude, 'latitude');
      let lon = this.num(v[I.longitude], i, I.longitude, 'longitude');
      if (lat !== undefined && (lat < -90 || lat > 90)) {
        rejects.note(`states[${i}][6] (latitude): ${lat} is outside -90…90`);
        lat = undefined;
      }
      if (lon !== undefined && (lon < -180 || lon > 180)) {
        rejects.note(`states[${i}][5] (longitude): ${lon} is outside -180…180`);
        lon = undefined;
      }
      if (lat === undefined || lon === undefined) lat = lon = undefined;

      const lastContact = this.num(v[I.lastContact], i, I.lastContact, 'last_contact');
      const timePosition = this.num(v[I.timePosition], i, I.timePosition, 'time_position');
      let positionAgeS: number | undefined;
      let positionAt: number | undefined;
      if (lat !== undefined) {
        // time_position is null when the position is older than 15 s; then last_contact bounds it (an honest
        // "at least this old" rather than pretending it is fresh).
        const t = timePosition ?? lastContact;
        if (t !== undefined) {
          positionAt = t * 1000;
          positionAgeS = Math.max(0, timeS - t);
        } else {
          positionAt = timeS * 1000;
          positionAgeS = 0;
        }
      }

      const og = v[I.onGround];
      let onGround = false;
      if (typeof og === 'boolean') onGround = og;
      else if (og !== null && og !== undefined) this.bad(i, I.onGround, 'on_ground', 'a boolean', og);

      const baroM = this.num(v[I.baroAltitude], i, I.baroAltitude, 'baro_altitude');
      const velocity = this.num(v[I.velocity], i, I.velocity, 'velocity');
      const vrate = this.num(v[I.verticalRate], i, I.verticalRate, 'vertical_rate');
      const ps = v[I.positionSource];
      let sourceType: string | undefined;
      if (typeof ps === 'number') sourceType = SOURCE_TYPES[ps] ?? `opensky:${ps}`;
      else if (ps !== null && ps !== undefined) this.bad(i, I.positionSource, 'position_source', 'a number', ps);

      const state: AircraftState = {
        hex,
        registration: undefined,
        type: undefined,
        callsign: this.str(v[I.callsign], i, I.callsign, 'callsign', STRING_MAX.callsign),
        operator: undefined,
        lat,
        lon,
        // On the ground the baro altitude is meaningless (the shared model says: altFt undefined, onGround).
        // Rounding undoes OpenSky's ft→m conversion (10363.2 m → 34000 ft, not 33999.99…).
        altFt: baroM === undefined || onGround ? undefined : Math.round(baroM * FEET_PER_METRE),
        onGround,
        gsKt: velocity === undefined ? undefined : Math.round(velocity * KNOTS_PER_MPS * 10) / 10,
        trackDeg: this.num(v[I.trueTrack], i, I.trueTrack, 'true_track'),
        vrateFpm: vrate === undefined ? undefined : Math.round(vrate * FPM_PER_MPS),
        squawk: this.str(v[I.squawk], i, I.squawk, 'squawk', STRING_MAX.squawk),
        flags: FLAGS_NONE,
        positionAgeS,
        observedAt: (lastContact ?? timeS) * 1000,
        positionAt,
        sourceType,
        sourceId: this.sourceId,
        fetchedAt: this.fetchedAt,
      };
      if (rejects.notes !== notesBefore) rejects.records++;
      out[count++] = state;
    }
    out.length = count;
    return out;
  }
}

/** Normalizes an already-parsed OpenSky `/states/all` reply. */
export function parseOpenSkyReply(body: unknown, ctx: ParseContext): FetchResult {
  return normalizeOpenSky(body, ctx, 0);
}

/** Parses and normalizes an OpenSky `/states/all` body. Throws only SourceError('malformed'). */
export function parseOpenSkyText(text: string, ctx: ParseContext): FetchResult {
  return normalizeOpenSky(decodeJsonBody(text, ctx), ctx, replyBytes(text, ctx));
}

function normalizeOpenSky(body: unknown, ctx: ParseContext, bytes: number): FetchResult {
  const fail = (reason: string) => new SourceError(ctx.sourceId, 'malformed', reason);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw fail(`top level is ${describeType(body)}, expected an object with \`time\` and \`states\``);
  const env = body as Record<string, unknown>;
  const states = env.states;
  // `states: null` is how OpenSky says "no aircraft in the box".
  if (states !== undefined && states !== null && !Array.isArray(states))
    throw fail(`\`states\` is ${describeType(states)}, expected an array or null`);

  const extra: string[] = [];
  let timeS = ctx.fetchedAt / 1000;
  let serverTime: number | undefined;
  const time = env.time;
  if (typeof time === 'number' && time > 0 && time < MAX_TIME_S) {
    timeS = time;
    serverTime = time * 1000;
  } else if (time !== undefined && time !== null) {
    extra.push(
      `time: expected a positive time in seconds, got ${typeof time === 'number' ? time : describeType(time)}; used the fetch time`,
    );
  }
  if (states === undefined && env.time === undefined) {
    // Neither key: not a /states reply at all (e.g. an error object served with status 200).
    const err = env.error ?? env.message;
    throw fail(
      `no \`time\`/\`states\`${typeof err === 'string' ? `; reply says ${JSON.stringify(err.slice(0, 120))}` : ''}`,
    );
  }

  const n = new OpenSkyNormalizer(timeS, ctx.sourceId, ctx.fetchedAt);
  const list = states ? n.run(states as unknown[]) : [];
  return replyResult(list, serverTime, bytes, n.rejects, extra);
}
