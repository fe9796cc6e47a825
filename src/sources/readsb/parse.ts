/**
 * readsb-family reply → AircraftState[]. One parser serves ADS-B Exchange v2, adsb.lol, adsb.fi,
 * airplanes.live, aggregator `aircraft.json` files and single receivers (readsb / tar1090 / dump1090-fa):
 * they share the per-aircraft record and differ only in the envelope (`ac` vs `aircraft`, `now` in ms vs s).
 *
 * Pure and allocation-light on purpose: `npm run bench:ingest` holds parse + normalize + match of an
 * 8,423-aircraft snapshot to ≤ 1.25 × bare JSON.parse, so the loop builds exactly one object per aircraft
 * (always the same shape, so later property reads stay monomorphic), shares frozen flag objects and keeps
 * error handling off the hot path. Field mapping and units: docs/normalization.md.
 */
import { copyState, normalizeHex, type AircraftFlags, type AircraftState } from '../../domain/aircraft-state';
import { DEFAULT_STRING_MAX, describeType, RejectLog, replyResult, STRING_MAX, tooLong } from '../parse-util';
import { SourceError, type FetchResult, type StateSelector } from '../source';

// Part of this parser's result contract (the fuzz suite checks it), so importable from here too.
export { MAX_REJECT_REASONS } from '../parse-util';

export interface ParseContext {
  sourceId: string;
  /** When the reply was received (epoch ms); the clock used when the reply has none. */
  fetchedAt: number;
  sourceKind?: string;
  /** Build full records only for the aircraft this selects (FetchOptions.select); the rest are counted. */
  select?: StateSelector;
  /** The reply's size when the caller knows it (the HTTP layer counted it); else the text's UTF-8 length. */
  bytes?: number;
}

/** `ctx.bytes`, or the UTF-8 length of the text: measuring a multi-megabyte string costs ~2 % of its parse. */
export const replyBytes = (text: string, ctx: ParseContext): number => ctx.bytes ?? Buffer.byteLength(text, 'utf8');

/**
 * A state with every field present (same shape for every record, so copies of it share one hidden class),
 * overwritten record by record.
 */
function scratchState(sourceId: string, fetchedAt: number): AircraftState {
  return {
    hex: '',
    registration: undefined,
    type: undefined,
    callsign: undefined,
    operator: undefined,
    lat: undefined,
    lon: undefined,
    altFt: undefined,
    onGround: false,
    gsKt: undefined,
    trackDeg: undefined,
    vrateFpm: undefined,
    squawk: undefined,
    flags: NONE,
    positionAgeS: undefined,
    observedAt: 0,
    positionAt: undefined,
    sourceType: undefined,
    sourceId,
    fetchedAt,
  };
}

/**
 * The 16 possible dbFlags combinations, built once and frozen: aircraft share them instead of allocating
 * a flags object each. Treat `state.flags` as read-only (copy it to change it).
 */
const BY_MASK: readonly Readonly<AircraftFlags>[] = Array.from({ length: 16 }, (_, m) =>
  Object.freeze({ military: (m & 1) !== 0, interesting: (m & 2) !== 0, pia: (m & 4) !== 0, ladd: (m & 8) !== 0 }),
);
const NONE = BY_MASK[0]!; // the table has all 16 masks
// This module's own exports are used through the local names above (and ABS below): tsc's CommonJS output
// turns every use of an exported const into a property load from `exports`, a generic IC call per read
// (~40,000 per 8,423-aircraft reply; ~13 M of bench:ingest's instructions).
export const FLAGS_BY_MASK = BY_MASK;
export const FLAGS_NONE = NONE;

const preview = (s: string, n = 60) => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Parses a reply body as JSON or throws SourceError('malformed') saying what the body was instead
 * (empty, an HTML page, truncated JSON…). Only the failure path inspects the text.
 */
export function decodeJsonBody(text: string, ctx: ParseContext): unknown {
  let i = 0;
  // Skip JSON whitespace (and a UTF-8 BOM some servers send) to look at the first real character.
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) break;
  }
  if (i === text.length)
    throw new SourceError(ctx.sourceId, 'malformed', text.length ? 'empty body (only whitespace)' : 'empty body');
  if (text.charCodeAt(i) === 60 /* < */) {
    const title = /<title[^>]*>([^<]{0,120})/i.exec(text.slice(0, 4096))?.[1]?.trim();
    throw new SourceError(
      ctx.sourceId,
      'malformed',
      `HTML page instead of JSON${title ? ` (title ${preview(title)})` : ''}`,
    );
  }
  try {
    return JSON.parse(i > 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    let msg = (e as Error).message;
    if (msg.length > 200) msg = `${msg.slice(0, 200)}…`;
    // A cut-off body fails at its last byte: say so (V8 gives no position for "end of JSON input").
    const at = /position (\d+)/.exec(msg);
    if (!at && /end of JSON input/i.test(msg)) msg += ` at position ${text.length} (the body ends there: truncated?)`;
    else if (at && Number(at[1]) >= text.length) msg += ' (the body ends there: truncated?)';
    throw new SourceError(ctx.sourceId, 'malformed', `not JSON: ${msg}`);
  }
}

const round = Math.round;

// Imports the per-record loop uses, read once into module constants: a CommonJS loader that exports
// getters (tsx and esbuild, which bench:ingest's counted runs use) makes each read of an import a call.
const toHex = normalizeHex;
const {
  registration: MAX_REGISTRATION,
  type: MAX_TYPE,
  callsign: MAX_CALLSIGN,
  operator: MAX_OPERATOR,
  squawk: MAX_SQUAWK,
  sourceType: MAX_SOURCE_TYPE,
} = STRING_MAX;

/**
 * No per-record number we read (altitudes, speeds, ages, OpenSky epoch seconds ≈ 1.7e9) comes near 1e10;
 * anything beyond is garbage, and rejecting it keeps later arithmetic (×1000, unit conversions) finite.
 */
const ABS = 1e10;
export const MAX_ABS = ABS;
/** `now` beyond this (ms, year 5138) is not a clock. */
const MAX_NOW = 1e14;

/**
 * `v.trim()` for a string that needs it. readsb pads callsigns to 8 characters with spaces ("KZ51    "):
 * with a plain first character and only spaces before a plain one at the end, a slice is the same string
 * for less work than the builtin; anything else goes to trim().
 */
function trimmed(v: string, first: number, last: number): string {
  if (last !== 32 || first <= 32 || first >= 160) return v.trim();
  let end = v.length - 1;
  while (end > 0 && v.charCodeAt(end - 1) === 32) end--;
  const c = v.charCodeAt(end - 1);
  return c > 32 && c < 160 ? v.slice(0, end) : v.trim();
}

/**
 * Normalizes one readsb aircraft list. A class (not closures) so the per-field checks are plain method
 * calls V8 inlines; `key` names the envelope list for messages (`aircraft[12].lat: …`).
 */
class ReadsbNormalizer {
  readonly rejects = new RejectLog();
  /** Hexes of the valid records `select` passed over (set by run). */
  passedOver: string[] = [];
  constructor(
    private readonly key: string,
    private readonly nowMs: number,
    private readonly sourceId: string,
    private readonly fetchedAt: number,
    private readonly select: StateSelector | undefined,
  ) {}

  private bad(i: number, field: string, expected: string, v: unknown): undefined {
    this.rejects.note(
      `${this.key}[${i}].${field}: expected ${expected}, got ${describeType(v)}${typeof v === 'string' ? ` ${preview(v, 20)}` : ''}`,
    );
    return undefined;
  }

  /** A plausible number, or undefined (missing/null silently; wrong type or absurd magnitude noted). */
  private num(v: unknown, i: number, field: string): number | undefined {
    if (typeof v === 'number') return v >= -ABS && v <= ABS ? v : this.outOfRange(i, field, v);
    if (v === undefined || v === null) return undefined;
    return this.bad(i, field, 'a number', v);
  }

  private outOfRange(i: number, field: string, v: number): undefined {
    this.rejects.note(`${this.key}[${i}].${field}: ${v} is out of range`);
    return undefined;
  }

  /** A trimmed non-empty string of at most `max` characters, or undefined. */
  private str(v: unknown, i: number, field: string, max: number = DEFAULT_STRING_MAX): string | undefined {
    if (typeof v === 'string') {
      // Most values need no trimming: skip the builtin call (and a copy) when both ends are plainly not
      // whitespace (codes 33–159 hold none of the characters trim() removes).
      const n = v.length;
      const first = n ? v.charCodeAt(0) : 0;
      const last = n ? v.charCodeAt(n - 1) : 0;
      const t = first > 32 && first < 160 && last > 32 && last < 160 ? v : trimmed(v, first, last);
      if (t.length > max) {
        this.rejects.note(tooLong(`${this.key}[${i}].${field}`, t, max));
        return undefined;
      }
      return t.length ? t : undefined;
    }
    if (v === undefined || v === null) return undefined;
    return this.bad(i, field, 'a string', v);
  }

  private lat(v: unknown, i: number, field: string): number | undefined {
    const n = this.num(v, i, field);
    if (n === undefined || (n >= -90 && n <= 90)) return n;
    this.rejects.note(`${this.key}[${i}].${field}: ${n} is outside -90…90`);
    return undefined;
  }

  private lon(v: unknown, i: number, field: string): number | undefined {
    const n = this.num(v, i, field);
    if (n === undefined || (n >= -180 && n <= 180)) return n;
    this.rejects.note(`${this.key}[${i}].${field}: ${n} is outside -180…180`);
    return undefined;
  }

  /**
   * @param consume clear each record from `list` once read. Only for lists this module parsed itself: a
   * young-generation GC during the loop then copies just the records not yet read instead of the whole
   * reply tree (which otherwise dominates ingest time; see scripts/bench-ingest.ts).
   */
  run(list: unknown[], consume: boolean): AircraftState[] {
    // Sized once and trimmed at the end: growing an 8,000-element array doubles it several times.
    const out = new Array<AircraftState>(list.length);
    let count = 0;
    const nowMs = this.nowMs;
    const rejects = this.rejects;
    const select = this.select;
    // Sized like `out` (most records of a selected reply are passed over): pushing grows it step by step.
    const passed = select === undefined ? this.passedOver : new Array<string>(list.length);
    let passedCount = 0;
    const probe = scratchState(this.sourceId, this.fetchedAt);
    for (let i = 0; i < list.length; i++) {
      const rec = list[i] as Record<string, unknown>;
      if (consume) list[i] = undefined;
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
        rejects.records++;
        rejects.note(`${this.key}[${i}]: expected an object, got ${describeType(rec)}`);
        continue;
      }
      const notesBefore = rejects.notes;
      // One pass over the record's own keys instead of ~20 named reads: records come in hundreds of key
      // orders (hidden classes), which makes named loads megamorphic. Dispatching on the key length first
      // keeps the ~15 keys we ignore (nic, rssi, mlat…) to one or two string compares each. `rec[k]` with the
      // key for…in yields compiles to a field read by the enum cache's index (no lookup, no values array), as
      // long as that for…in never met an object on a deprecated map: JSON.parse leaves earlier records on one
      // when a later record widens a field (487 → 487.9) and a single such object turns every `rec[k]` here
      // into a megamorphic lookup for good (~25 M instructions more per 8,423 records). Reading `hex` by name
      // first migrates such an object (the load's IC does), so the for…in sees current maps only.
      const hexV: unknown = rec.hex;
      let flight: unknown, reg: unknown, typ: unknown, ownOp: unknown, alt: unknown, gs: unknown;
      let track: unknown, heading: unknown, baroRate: unknown, geomRate: unknown, latV: unknown, lonV: unknown;
      let seenV: unknown, seenPos: unknown, squawk: unknown, srcType: unknown, dbFlags: unknown, lastPos: unknown;
      for (const k in rec) {
        switch (k.length) {
          case 1:
            if (k === 'r') reg = rec[k];
            else if (k === 't') typ = rec[k];
            break;
          case 2:
            if (k === 'gs') gs = rec[k];
            break;
          case 3:
            if (k === 'lat') latV = rec[k];
            else if (k === 'lon') lonV = rec[k];
            break;
          case 4:
            if (k === 'type') srcType = rec[k];
            else if (k === 'seen') seenV = rec[k];
            break;
          case 5:
            if (k === 'track') track = rec[k];
            else if (k === 'ownOp') ownOp = rec[k];
            break;
          case 6:
            if (k === 'flight') flight = rec[k];
            else if (k === 'squawk') squawk = rec[k];
            break;
          case 7:
            if (k === 'dbFlags') dbFlags = rec[k];
            break;
          case 8:
            if (k === 'alt_baro') alt = rec[k];
            else if (k === 'seen_pos') seenPos = rec[k];
            break;
          case 9:
            if (k === 'baro_rate') baroRate = rec[k];
            else if (k === 'geom_rate') geomRate = rec[k];
            break;
          case 12:
            if (k === 'true_heading') heading = rec[k];
            else if (k === 'lastPosition') lastPos = rec[k];
            break;
        }
      }
      const hex = toHex(hexV);
      if (hex === undefined) {
        rejects.records++;
        rejects.note(
          hexV === undefined
            ? `${this.key}[${i}].hex: missing`
            : `${this.key}[${i}].hex: expected a 6-digit hex string, got ${typeof hexV === 'string' ? preview(hexV, 20) : describeType(hexV)}`,
        );
        continue;
      }

      let altFt: number | undefined;
      let onGround = false;
      if (typeof alt === 'number') altFt = alt >= -ABS && alt <= ABS ? alt : this.outOfRange(i, 'alt_baro', alt);
      else if (alt === 'ground') onGround = true;
      else if (alt !== undefined && alt !== null) this.bad(i, 'alt_baro', 'a number or "ground"', alt);

      const seen = this.num(seenV, i, 'seen');
      const observedAt = seen === undefined ? nowMs : round(nowMs - seen * 1000);

      // Position: the current one, else readsb's `lastPosition` (older than 60 s), each with its own age.
      let lat = this.lat(latV, i, 'lat');
      let lon = this.lon(lonV, i, 'lon');
      let positionAgeS: number | undefined;
      if (lat !== undefined && lon !== undefined) {
        // readsb always sends seen_pos with lat/lon; without it the record's own age is the best bound.
        positionAgeS = this.num(seenPos, i, 'seen_pos') ?? seen ?? 0;
      } else {
        lat = lon = undefined;
        const lp = lastPos as Record<string, unknown> | undefined | null;
        if (typeof lp === 'object' && lp !== null && !Array.isArray(lp)) {
          const plat = this.lat(lp.lat, i, 'lastPosition.lat');
          const plon = this.lon(lp.lon, i, 'lastPosition.lon');
          const age = this.num(lp.seen_pos, i, 'lastPosition.seen_pos');
          // A last position with no age cannot be placed in time: drop it rather than pass it off as fresh.
          if (plat !== undefined && plon !== undefined && age !== undefined) {
            lat = plat;
            lon = plon;
            positionAgeS = age;
          }
        } else if (lp !== undefined && lp !== null) this.bad(i, 'lastPosition', 'an object', lp);
      }

      let flags = NONE;
      if (typeof dbFlags === 'number') flags = BY_MASK[dbFlags & 15]!;
      else if (dbFlags !== undefined && dbFlags !== null) this.bad(i, 'dbFlags', 'a number', dbFlags);

      let trackDeg = this.num(track, i, 'track');
      if (trackDeg === undefined) trackDeg = this.num(heading, i, 'true_heading');
      let vrateFpm = this.num(baroRate, i, 'baro_rate');
      if (vrateFpm === undefined) vrateFpm = this.num(geomRate, i, 'geom_rate');

      // The record is written into one scratch state, which the selector (if any) sees before a full
      // record is built: most aircraft of a poll are watched by nobody, and their record would be garbage.
      probe.hex = hex;
      probe.registration = this.str(reg, i, 'r', MAX_REGISTRATION);
      probe.type = this.str(typ, i, 't', MAX_TYPE);
      probe.callsign = this.str(flight, i, 'flight', MAX_CALLSIGN);
      probe.operator = this.str(ownOp, i, 'ownOp', MAX_OPERATOR);
      probe.lat = lat;
      probe.lon = lon;
      probe.altFt = altFt;
      probe.onGround = onGround;
      probe.gsKt = this.num(gs, i, 'gs');
      probe.trackDeg = trackDeg;
      probe.vrateFpm = vrateFpm;
      probe.squawk = this.str(squawk, i, 'squawk', MAX_SQUAWK);
      probe.flags = flags;
      probe.positionAgeS = positionAgeS;
      probe.observedAt = observedAt;
      probe.positionAt = positionAgeS === undefined ? undefined : round(nowMs - positionAgeS * 1000);
      probe.sourceType = this.str(srcType, i, 'type', MAX_SOURCE_TYPE);
      if (rejects.notes !== notesBefore) rejects.records++;
      if (select !== undefined && !select(probe)) passed[passedCount++] = hex;
      else out[count++] = copyState(probe, undefined);
    }
    out.length = count;
    passed.length = passedCount;
    this.passedOver = passed;
    return out;
  }
}

/** Normalizes an already-parsed readsb reply (HTTP body after JSON.parse, replay files, tests). */
export function parseReadsbReply(body: unknown, ctx: ParseContext): FetchResult {
  return normalizeReadsb(body, ctx, 0, false);
}

/** Parses and normalizes a readsb reply body. Throws only SourceError('malformed'). */
export function parseReadsbText(text: string, ctx: ParseContext): FetchResult {
  return normalizeReadsb(decodeJsonBody(text, ctx), ctx, replyBytes(text, ctx), true);
}

function normalizeReadsb(body: unknown, ctx: ParseContext, bytes: number, consume: boolean): FetchResult {
  const fail = (reason: string) => new SourceError(ctx.sourceId, 'malformed', reason);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw fail(`top level is ${describeType(body)}, expected an object with \`ac\` or \`aircraft\``);
  const env = body as Record<string, unknown>;

  // `ac` (v2 APIs) or `aircraft` (aircraft.json, some adsb.fi endpoints); missing or null = nothing heard.
  let key = 'ac';
  let list = env.ac;
  if (list === undefined || list === null) {
    key = 'aircraft';
    list = env.aircraft;
  }
  if (list !== undefined && list !== null && !Array.isArray(list))
    throw fail(`\`${key}\` is ${describeType(list)}, expected an array`);
  if (list === undefined || list === null) {
    // An error object with a 200 status (e.g. a gateway's {"message":"…"}) is not "no aircraft".
    const err = env.error ?? env.message;
    if (typeof err === 'string' && err.length)
      throw fail(`no \`ac\`/\`aircraft\` list; reply says ${preview(err, 120)}`);
  }

  const extra: string[] = [];
  let nowMs = ctx.fetchedAt;
  let serverTime: number | undefined;
  const now = env.now;
  if (typeof now === 'number' && now > 0 && now < MAX_NOW) {
    // v2 APIs send ms, aircraft.json sends s (float); 1e11 s is the year 5138, 1e11 ms is 1973.
    serverTime = nowMs = round(now > 1e11 ? now : now * 1000);
  } else if (now !== undefined && now !== null) {
    extra.push(
      `now: expected a positive time, got ${typeof now === 'number' ? now : describeType(now)}; used the fetch time`,
    );
  }

  const n = new ReadsbNormalizer(key, nowMs, ctx.sourceId, ctx.fetchedAt, ctx.select);
  const states = list ? n.run(list as unknown[], consume) : [];
  return replyResult(states, serverTime, bytes, n.rejects, extra, ctx.select && n.passedOver);
}
