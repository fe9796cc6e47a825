/**
 * Real-data detection cases (bench:real, test/integration/detect-real): real recorded flights from
 * ../shared/fixtures/real-traces, with the ground truth taken from the data itself.
 *
 * Ground truth: a takeoff or landing is a change between *sustained* runs of the recorded on-ground flag — a
 * ground run of at least 20 s, an airborne run of at least 60 s with at least 3 positions faster than 50 kt —
 * timed at the first position of the new run; its airport is the one the aircraft stood at (nearest airport
 * within 3 nm of the ground run's end next to the transition). Short flips (one "ground" row at 22,000 ft, an
 * "airborne" row at 38,000 ft while taxiing) are noise, not truth. Cases built on top of it:
 * - `observed`: a whole trace, every truth transition expected;
 * - `cut-2|5|10`: the trace up to N minutes before a truth touchdown, then silence: the landing must be
 *   inferred at the airport the aircraft stood at;
 * - `lost-on-final`: traces that end on final (airport dead ahead below 1,500 ft, within 5 nm): landing expected
 *   there, untimed (its touchdown is not in the data);
 * - `transit` and `noisy-ground`: no takeoff or landing may be reported except the truth ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { MatchedAircraft } from '../../src/domain/watchlist';
import type { AirportIndex } from '../../src/places/airport-index';
import { parseTraceDoc, TraceCursor } from '../../src/replay/trace-reader';

export const REAL_TRACES = join(__dirname, '../../../shared/fixtures/real-traces');

export type CaseSet = 'observed' | 'cut-2' | 'cut-5' | 'cut-10' | 'lost-on-final' | 'transit' | 'noisy-ground';

export interface Truth {
  type: 'takeoff' | 'landing';
  /** Epoch ms; undefined when the data does not show the moment (lost on final). */
  time?: number;
  /** The data shows the moment only roughly: match the event, do not score its timing. */
  untimed?: boolean;
  airport?: string;
}

export interface RealCase {
  name: string;
  set: CaseSet;
  records: MatchedAircraft[];
  truth: Truth[];
}

const MIN = 60_000;
const WATCH = { ids: ['real'], tags: [] as string[] };

/** Every row of a trace file as a watched record. */
export function readTraceRecords(file: string): MatchedAircraft[] {
  const doc: unknown = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  const cursor = new TraceCursor(parseTraceDoc(file, doc), 'real');
  const out: MatchedAircraft[] = [];
  while (!cursor.done) out.push({ ...cursor.next(), watch: WATCH });
  return out;
}

interface Run {
  ground: boolean;
  from: number;
  to: number;
}

/** Sustained runs of the recorded on-ground flag (indices into recs), short flips dropped and neighbours merged. */
function sustainedRuns(recs: readonly MatchedAircraft[]): Run[] {
  const raw: Run[] = [];
  for (let i = 0; i < recs.length; i++) {
    const g = recs[i]!.onGround;
    const last = raw[raw.length - 1];
    if (last && last.ground === g) last.to = i;
    else raw.push({ ground: g, from: i, to: i });
  }
  const kept = raw.filter((r) => {
    const ms = recs[r.to]!.observedAt - recs[r.from]!.observedAt;
    if (r.ground) return ms >= 20_000;
    let fast = 0;
    for (let i = r.from; i <= r.to; i++) if ((recs[i]!.gsKt ?? 0) > 50) fast++;
    return ms >= 60_000 && fast >= 3;
  });
  const merged: Run[] = [];
  for (const r of kept) {
    const last = merged[merged.length - 1];
    if (last && last.ground === r.ground) last.to = r.to;
    else merged.push({ ...r });
  }
  return merged;
}

export function groundTruth(recs: readonly MatchedAircraft[], airports: AirportIndex): Truth[] {
  const runs = sustainedRuns(recs);
  const out: Truth[] = [];
  const at = (i: number) => {
    const r = recs[i]!;
    return airports.nearest(r.lat as number, r.lon as number, { maxNm: 3, kinds: FIXED_WING })?.icao;
  };
  for (let k = 1; k < runs.length; k++) {
    const prev = runs[k - 1]!;
    const cur = runs[k]!;
    // The first row of the new run that has its flag (the merged run may start with noise).
    let i = cur.from;
    while (i <= cur.to && recs[i]!.onGround !== cur.ground) i++;
    // Across a gap the data does not show the transition (5 days later on the ground elsewhere): no truth.
    if (recs[i]!.observedAt - recs[prev.to]!.observedAt > GAP_MS) continue;
    if (cur.ground) out.push({ type: 'landing', time: recs[i]!.observedAt, airport: at(i) });
    else {
      let j = i - 1;
      while (j >= prev.from && !recs[j]!.onGround) j--;
      out.push({ type: 'takeoff', time: recs[i]!.observedAt, airport: at(Math.max(j, prev.from)) });
    }
  }
  return out;
}

/**
 * The airport dead ahead of a trace that ends on final: below 1,500 ft above it, within 5 nm, within 20° of the
 * track (or within 2 nm).
 */
function airportOnFinal(recs: readonly MatchedAircraft[], airports: AirportIndex): string | undefined {
  const r = recs[recs.length - 1];
  if (!r || r.onGround || r.altFt === undefined || r.trackDeg === undefined) return undefined;
  for (const a of airports.within(r.lat as number, r.lon as number, {
    maxNm: 5,
    kinds: ['large_airport', 'medium_airport'],
  })) {
    if (r.altFt - (a.elevationFt ?? 0) > 1500) continue;
    const y = Math.sin(((a.lon - (r.lon as number)) * Math.PI) / 180) * Math.cos((a.lat * Math.PI) / 180);
    const x =
      Math.cos(((r.lat as number) * Math.PI) / 180) * Math.sin((a.lat * Math.PI) / 180) -
      Math.sin(((r.lat as number) * Math.PI) / 180) *
        Math.cos((a.lat * Math.PI) / 180) *
        Math.cos(((a.lon - (r.lon as number)) * Math.PI) / 180);
    const brg = ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
    const off = Math.abs(((brg - r.trackDeg + 540) % 360) - 180);
    // Within 2 nm the reference point may lie beside the runway being flown: no bearing check.
    if (off <= 20 || a.distanceNm <= 2) return a.icao;
  }
  return undefined;
}

/**
 * Traces without on-ground flags, annotated by hand from what the data shows (each with the evidence).
 * - 0b206f (guatemala): first position at MGGT's elevation (4,925 ft against 4,952), 147 kt, climbing
 *   1,152 ft/min, 0.5 nm from the field: a takeoff at the first position. The last positions descend over the
 *   runway to 0 kt: a landing at MGGT (its last 3 minutes are the resampler's interpolation: untimed).
 */
const ANNOTATIONS: Record<string, (recs: readonly MatchedAircraft[]) => Truth[]> = {
  '0b206f': (recs) => [
    { type: 'takeoff', time: recs[0]?.observedAt, airport: 'MGGT' },
    { type: 'landing', time: recs[recs.length - 1]?.observedAt, airport: 'MGGT', untimed: true },
  ],
};

const CUTS = [2, 5, 10] as const;
/** Kinds an aircraft "stands at" (the detector's default airportKinds). */
const FIXED_WING = ['large_airport', 'medium_airport', 'small_airport', 'unknown'];
/** A transition is only truth when the data around it has no gap longer than this. */
export const GAP_MS = 5 * MIN;
/** A cut case starts this long before the cut (the approach and some cruise). */
const CUT_LEAD_MS = 60 * MIN;

function files(folder: string): string[] {
  const dir = join(REAL_TRACES, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json.gz'))
    .sort()
    .map((f) => join(dir, f));
}

/** Every case over the development set. Throws (naming the folder) when ../shared is missing. */
export function buildRealCases(airports: AirportIndex, opts: { transit?: boolean } = {}): RealCase[] {
  if (!existsSync(REAL_TRACES)) throw new Error(`missing ${REAL_TRACES}: the real traces live in ../shared`);
  const cases: RealCase[] = [];
  const sets: [string, CaseSet][] = [
    ['savan-2022-03-16', 'observed'],
    ['guatemala-calibration-2018-03-26', 'observed'],
    ['airfrance-b787-2017-12-01', 'observed'],
    ['porto-time-issue-2022-07-13', 'observed'],
    ['zurich-noisy-ground-2019-11-11', 'noisy-ground'],
  ];
  if (opts.transit !== false) sets.push(['switzerland-2018-08-01', 'transit']);
  for (const [folder, set] of sets) {
    for (const file of files(folder)) {
      const recs = readTraceRecords(file);
      const name = `${folder}/${recs[0]?.hex ?? '?'}`;
      const hex = recs[0]?.hex ?? '';
      const truth = [...groundTruth(recs, airports), ...(ANNOTATIONS[hex]?.(recs) ?? [])];
      cases.push({ name, set, records: recs, truth });
      if (set !== 'observed') continue;
      const onFinal = airportOnFinal(recs, airports);
      if (onFinal && !ANNOTATIONS[hex])
        cases.push({
          name: `${name} lost on final`,
          set: 'lost-on-final',
          records: recs,
          truth: [...truth, { type: 'landing', airport: onFinal }],
        });
      for (const t of truth) {
        if (t.type !== 'landing' || t.time === undefined || t.untimed) continue;
        for (const m of CUTS) {
          const cut = t.time - m * MIN;
          const slice = recs.filter((r) => r.observedAt < cut && r.observedAt >= cut - CUT_LEAD_MS);
          // Only approaches the data shows: airborne for the last minutes before the cut.
          const last = slice[slice.length - 1];
          if (!last || last.onGround || slice.length < 10) continue;
          cases.push({
            name: `${name} landing ${new Date(t.time).toISOString()} cut ${m} min`,
            set: `cut-${m}` as CaseSet,
            records: slice,
            truth: [
              ...truth.filter((e) => e.time !== undefined && e.time < cut && e.time >= cut - CUT_LEAD_MS),
              { type: 'landing', time: t.time, airport: t.airport },
            ],
          });
        }
      }
    }
  }
  return cases;
}
