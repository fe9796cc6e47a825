/**
 * Per-aircraft track state: what the detector remembers between polls. Plain data (JSON-serialisable) so the
 * Redis store can persist it; the in-memory store keeps the same object and mutates it in place.
 */
import type { AirportRef } from '../domain/event';

export type Phase = 'ground' | 'airborne' | 'unknown';

/** An approach to `airport` (elevation `elev` ft): its first position, and the lowest so far (`lowNm` out). */
export interface Approach {
  airport: AirportRef;
  elev: number;
  from: Sample;
  low: Sample;
  lowNm: number;
}

/**
 * One position as received (raw values) plus the detector's ground/air classification. The optional fields
 * are written on every sample; they are optional because a JSON round trip drops an undefined value's key.
 */
export interface Sample {
  /** Position time (epoch ms). */
  t: number;
  lat: number;
  lon: number;
  /** Barometric altitude (ft); null when the source said "ground"; undefined when unknown. */
  alt?: number | null;
  /** Raw on-ground flag from the source. */
  og: boolean;
  /** Detector classification: counts as on the ground. */
  g: boolean;
  gs?: number;
  trk?: number;
  vr?: number;
  /** Position age in seconds, as reported. */
  age?: number;
  /** Source config id and fetch time (epoch ms). */
  src: string;
  fat: number;
  /** Position technology (adsb_icao, mlat, adsc…). */
  st?: string;
}

export interface Ident {
  registration?: string;
  type?: string;
  callsign?: string;
  operator?: string;
}

/**
 * Shape version of TrackState as stored (store/track-record.ts reads older ones and migrates them). Raise it,
 * with a migration, whenever a stored state of the previous shape would be read wrongly.
 */
export const TRACK_STATE_VERSION = 3;

export interface TrackState {
  version: typeof TRACK_STATE_VERSION;
  hex: string;
  ident: Ident;
  watch: { ids: string[]; tags: string[] };
  phase: Phase;
  /** Time the current phase began (epoch ms). */
  phaseAt: number;
  /** The current ground phase was reached through an inferred landing (not observed). */
  phaseInferred?: boolean;
  /** First and last time any record was heard (observedAt, epoch ms). */
  firstAt: number;
  heardAt: number;
  /** Time of the newest fresh position (0: none yet). Older or equal positions are ignored. */
  freshAt: number;
  /** Recent fresh positions: a ring buffer, oldest at `head` once full. */
  window: Sample[];
  head: number;
  /** Current leg: where and when the aircraft departed, if known. */
  leg?: { dep?: AirportRef; depAt?: number; inferred?: boolean };
  /** The last landing (observed or inferred): departure of the next takeoff when no ground fix exists. */
  lastArr?: { airport?: AirportRef; at: number; inferred: boolean; reverted?: boolean };
  /** Emergency squawk being held. */
  squawk?: { code: string; since: number; fired: boolean; first: Sample };
  /** When the inferred-landing timer expires (epoch ms); the stores index it. */
  deadline?: number;
  /**
   * State owned by detector extensions (src/trips: trips, en-route prediction), keyed by extension; opaque here.
   * Read it with extOf(): a store may have left it as JSON (`extLater`).
   */
  ext?: Record<string, unknown>;
  /** An extension's timer (e.g. a trip closing after a long ground stop); indexed with `deadline` (see dueAt). */
  extDeadline?: number;
  /**
   * The newest-position time before which an airborne step with no event of this aircraft needs no extension
   * state (trips: the next map point or destination scoring is due then); undefined: every step needs it. Set
   * by the extension that keeps it; a step that does not reach it leaves `ext` as stored, unread and unwritten.
   */
  extWake?: number;
  /**
   * `ext` as the store read it, JSON of an object (it starts with `{`) not parsed yet (extOf() parses it): most
   * steps do not need it, and its parse and rewrite were a fifth of what a Redis store's step cost. Undefined
   * once parsed.
   */
  extLater?: string;
  /** Why the stored `ext` could not be used (extOf() then started it afresh); the store reports it and clears it. */
  extUnreadable?: string;
  /**
   * A phase change seen in one position, waiting for the next to confirm it (debounce): a short flip of the
   * on-ground flag while taxiing, or one "ground" report on final, is noise. `gapMs` -1: no earlier position.
   */
  pend?: {
    kind: 'takeoff' | 'landing';
    s: Sample;
    before?: Sample;
    gapMs: number;
    /**
     * A landing held while the aircraft rolls fast (touch-and-go.ts): ground positions so far (1 when absent),
     * the slowest ground speed among them, and the newest one.
     */
    n?: number;
    minGs?: number;
    last?: Sample;
  };
  /** An approach watched for a go-around (go-around.ts); `checkAt`: when an approach was last looked for. */
  appr?: Approach;
  apprCheckAt?: number;
  /** Positions dropped as physically impossible (all time) and in a row (plausibility.ts). */
  implausible?: number;
  dropRun?: number;
  /**
   * A thinned history of the last minutes (one position per 20 s at most, oldest first): at one position a
   * second the window covers seconds, and the airport inference and climb checks need minutes.
   */
  hist?: Sample[];
  /** Index of the oldest history entry once the ring is full. */
  histHead?: number;
  /**
   * Slots of `window` the store read but has not decoded yet (holes in the array until first used; the helpers
   * below decode them): a poll uses the newest position or two, not the whole window.
   */
  windowLater?: DeferredSlots;
  /**
   * The history as the store read it, not decoded yet (read it with histOf()): most polls only compare a
   * position's time with the newest entry's, and decoding thirty positions per aircraft per poll was most of
   * what a Redis store's read allocated. Undefined once decoded, and on states no store deferred.
   */
  histLater?: DeferredRing;
  /** Phase changes dropped as noise (not confirmed by the next position). */
  flips?: number;
  /** Ids of recently emitted events: never emit the same id twice. */
  recent: string[];
}

export const RECENT_IDS = 16;

/** A ring left encoded until first used: its length, head and newest position time, and how to decode it. */
export interface DeferredRing {
  n: number;
  head: number;
  newest: number;
  load(): Sample[];
}

/** Slots of a ring left encoded until first used: slot i's sample. */
export interface DeferredSlots {
  load(slot: number): Sample;
}

/** Window slot `i`, decoded first when the store left it encoded. */
function slotAt(s: TrackState, i: number): Sample | undefined {
  const got = s.window[i];
  if (got !== undefined || !s.windowLater) return got;
  return (s.window[i] = s.windowLater.load(i));
}

/** The whole window, every slot decoded (for what reads all of it). */
export function windowOf(s: TrackState): Sample[] {
  const later = s.windowLater;
  if (later) {
    for (let i = 0; i < s.window.length; i++) s.window[i] ??= later.load(i);
    s.windowLater = undefined;
  }
  return s.window;
}

/** Both rings decoded, for a state that leaves the step (a store's get(), a remembered state). */
export function decodeRings(s: TrackState): TrackState {
  windowOf(s);
  histOf(s);
  return s;
}

/** Everything a store deferred decoded: the plain state, for a caller outside the detector (a store's get()). */
export function decodeAll(s: TrackState): TrackState {
  extOf(decodeRings(s));
  return s;
}

/**
 * The extensions' state, parsed first when the store deferred it (only text starting with `{`: whatever parses is
 * an object). Text that does not parse (a hand edit: the store writes what JSON.stringify gives) is dropped, the
 * extensions start afresh, and `extUnreadable` says why.
 */
export function extOf(st: TrackState): Record<string, unknown> | undefined {
  const later = st.extLater;
  if (later === undefined) return st.ext;
  st.extLater = undefined;
  try {
    return (st.ext = JSON.parse(later) as Record<string, unknown>);
  } catch {
    st.extUnreadable = 'e: not JSON';
    return (st.ext = undefined);
  }
}

/** The history ring, decoded first when the store deferred it. */
export function histOf(st: TrackState): Sample[] | undefined {
  const later = st.histLater;
  if (later) {
    st.hist = later.load();
    st.histLater = undefined;
  }
  return st.hist;
}

/** When the stores should run a timeout step for this aircraft: the earlier of the rules' and the extensions' timer. */
export function dueAt(s: TrackState): number | undefined {
  const a = s.deadline;
  const b = s.extDeadline;
  if (b === undefined) return a;
  return a === undefined || b < a ? b : a;
}

export function newTrack(hex: string, at: number): TrackState {
  return {
    version: TRACK_STATE_VERSION,
    hex,
    ident: {},
    watch: { ids: [], tags: [] },
    phase: 'unknown',
    phaseAt: at,
    firstAt: at,
    heardAt: at,
    freshAt: 0,
    window: [],
    head: 0,
    recent: [],
  };
}

/** The newest sample, or undefined. */
export function lastSample(s: TrackState): Sample | undefined {
  const n = s.window.length;
  if (n === 0) return undefined;
  return slotAt(s, (s.head + n - 1) % n);
}

/** The k-th newest sample (0 = newest). */
export function sampleAgo(s: TrackState, k: number): Sample | undefined {
  const n = s.window.length;
  if (k >= n) return undefined;
  return slotAt(s, (s.head + n - 1 - k) % n);
}

/** Samples oldest first (allocates; only for events and serialisation). */
export function windowInOrder(s: TrackState): Sample[] {
  windowOf(s);
  const n = s.window.length;
  if (s.head === 0) return s.window.slice();
  const out = new Array<Sample>(n);
  // (head + i) % n < n = window.length: always a slot.
  for (let i = 0; i < n; i++) out[i] = s.window[(s.head + i) % n]!;
  return out;
}

/**
 * Appends a sample slot and returns it for the caller to fill. Once the window is full the oldest slot object
 * is reused, so steady-state replay allocates nothing per position.
 */
export function pushSlot(s: TrackState, size: number): Sample {
  if (s.window.length < size) {
    const slot = {} as Sample;
    s.window.push(slot);
    return slot;
  }
  if (s.window.length > size) {
    // Window size was lowered in config: keep the newest `size` (windowInOrder decodes a deferred window).
    s.window = windowInOrder(s).slice(-size);
    s.head = 0;
  }
  // head < size = window.length here: the slot exists, or is a slot left encoded, which the caller overwrites
  // whole (rules.ts fill()): a new object, not decoded only to be overwritten.
  const slot = (s.window[s.head] ??= {} as Sample);
  s.head = (s.head + 1) % size;
  return slot;
}

export function copySample(from: Sample, to: Sample = {} as Sample): Sample {
  to.t = from.t;
  to.lat = from.lat;
  to.lon = from.lon;
  to.alt = from.alt;
  to.og = from.og;
  to.g = from.g;
  to.gs = from.gs;
  to.trk = from.trk;
  to.vr = from.vr;
  to.age = from.age;
  to.src = from.src;
  to.fat = from.fat;
  to.st = from.st;
  return to;
}

const HIST_STEP_MS = 20_000;
const HIST_SIZE = 30;

/**
 * Adds `s` to the thinned history when the newest entry is HIST_STEP_MS older. A ring like the window: once
 * full, the oldest slot object is overwritten, so steady-state replay allocates nothing here either.
 */
export function rememberHistory(st: TrackState, s: Sample): void {
  const later = st.histLater;
  if (later && s.t - later.newest < HIST_STEP_MS) return; // most polls: the ring stays encoded
  const h = histOf(st) ?? (st.hist = []);
  const n = h.length;
  const head = st.histHead ?? 0;
  const last = n ? h[(head + n - 1) % n] : undefined;
  if (last && s.t - last.t < HIST_STEP_MS) return;
  if (n < HIST_SIZE) {
    h.push(copySample(s));
    return;
  }
  const slot = h[head]; // n = HIST_SIZE and head < n: the slot exists
  if (slot) copySample(s, slot);
  st.histHead = (head + 1) % n;
}

/** History and window merged, oldest first, positions within `ms` of the newest (allocates: timers, transitions). */
export function recentTrack(st: TrackState, ms: number): Sample[] {
  const win = windowInOrder(st);
  const newest = win[win.length - 1];
  if (!newest) return [];
  const firstWin = win[0]?.t ?? Infinity;
  const h = histOf(st) ?? [];
  const head = st.histHead ?? 0;
  const out: Sample[] = [];
  for (let i = 0; i < h.length; i++) {
    const x = h[(head + i) % h.length] as Sample;
    if (x.t < firstWin && newest.t - x.t <= ms) out.push(x);
  }
  for (const w of win) if (newest.t - w.t <= ms) out.push(w);
  return out;
}

export function rememberId(s: TrackState, id: string): boolean {
  if (s.recent.includes(id)) return false;
  s.recent.push(id);
  if (s.recent.length > RECENT_IDS) s.recent.splice(0, s.recent.length - RECENT_IDS);
  return true;
}
