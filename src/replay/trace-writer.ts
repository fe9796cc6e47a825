/**
 * AircraftState[] (one aircraft, time order) → a readsb trace_full document, the inverse of trace-reader.
 * Used to turn simulated flights into replayable files (bench, demos) and to export a track for tar1090.
 */
import type { AircraftState } from '../domain/aircraft-state';

const FLAG_BITS = { military: 1, interesting: 2, pia: 4, ladd: 8 } as const;

export function toTraceDoc(states: readonly AircraftState[]): Record<string, unknown> {
  const first = states[0];
  if (!first) throw new Error('toTraceDoc: no states');
  const t0 = (first.positionAt ?? first.observedAt) / 1000;
  let dbFlags = 0;
  for (const [k, bit] of Object.entries(FLAG_BITS)) if (first.flags[k as keyof typeof FLAG_BITS]) dbFlags |= bit;
  let callsign: string | undefined;
  let squawk: string | undefined;
  let wasGround: boolean | undefined;
  const trace: unknown[][] = [];
  for (const s of states) {
    if (s.lat === undefined || s.lon === undefined) continue;
    let obj: Record<string, string> | null = null;
    if (s.callsign !== callsign || s.squawk !== squawk) {
      obj = {};
      if (s.callsign !== undefined) obj.flight = s.callsign.padEnd(8);
      if (s.squawk !== undefined) obj.squawk = s.squawk;
      callsign = s.callsign;
      squawk = s.squawk;
    }
    // readsb marks the first airborne→ground→airborne separation as a new leg; ground→air after a stop.
    const newLeg = wasGround === true && !s.onGround;
    wasGround = s.onGround;
    const t = ((s.positionAt ?? s.observedAt) / 1000 - t0).toFixed(2);
    trace.push([
      Number(t),
      s.lat,
      s.lon,
      s.onGround ? 'ground' : (s.altFt ?? null),
      s.gsKt ?? null,
      s.trackDeg ?? null,
      newLeg && trace.length ? 2 : 0,
      s.vrateFpm ?? null,
      obj,
      s.sourceType ?? null,
      null,
      null,
      null,
      null,
    ]);
  }
  const doc: Record<string, unknown> = { icao: first.hex };
  if (first.registration) doc.r = first.registration;
  if (first.type) doc.t = first.type;
  if (dbFlags) doc.dbFlags = dbFlags;
  if (first.operator) doc.ownOp = first.operator;
  doc.timestamp = t0;
  doc.trace = trace;
  return doc;
}
