/** The caveats a reader must know before citing a bundle: coverage gaps, inferred or estimated times, what was not kept. */
import type { EvidenceInput, EvidenceLeg } from './input';

/** Airborne silence longer than this is a coverage gap worth stating. */
export const GAP_MS = 5 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** Coverage gaps of one leg: the archive's own plus silences between consecutive positions. */
export function coverageGaps(leg: EvidenceLeg): { from: number; to: number }[] {
  const gaps = [...leg.gaps];
  for (let i = 1; i < leg.positions.length; i++) {
    const a = leg.positions[i - 1];
    const b = leg.positions[i];
    if (a && b && b.time - a.time > GAP_MS && !gaps.some((g) => g.from <= a.time && g.to >= b.time))
      gaps.push({ from: a.time, to: b.time });
  }
  return gaps.sort((x, y) => x.from - y.from);
}

export interface Caveat {
  kind: 'coverage-gap' | 'inferred' | 'estimated-time' | 'unknown-airport' | 'raw-reply-hash-only' | 'source';
  legId?: string;
  text: string;
}

export function caveatsOf(input: EvidenceInput): Caveat[] {
  const out: Caveat[] = [
    {
      kind: 'source',
      text: 'Positions come from public ADS-B feeds; they can be delayed, incomplete or wrong. Counts built on them are a documented minimum.',
    },
  ];
  for (const leg of input.legs) {
    const legId = leg.id;
    if (leg.positions.length === 0)
      out.push({
        kind: 'coverage-gap',
        legId,
        text: 'no positions kept for this leg (older than archive.rawRetentionDays, or never captured)',
      });
    for (const g of coverageGaps(leg))
      out.push({
        kind: 'coverage-gap',
        legId,
        text: `no position from ${iso(g.from)} to ${iso(g.to)} (${Math.round((g.to - g.from) / 60_000)} min)`,
      });
    if (!leg.from)
      out.push({ kind: 'unknown-airport', legId, text: 'departure airport unknown (first seen airborne)' });
    if (!leg.to) out.push({ kind: 'unknown-airport', legId, text: 'arrival airport unknown' });
    if (leg.takeoffInferred) out.push({ kind: 'inferred', legId, text: 'takeoff inferred, not observed' });
    if (leg.landingInferred) out.push({ kind: 'inferred', legId, text: 'landing inferred, not observed' });
    if (leg.takeoffEstimated)
      out.push({ kind: 'estimated-time', legId, text: `takeoff time ${leg.departedAt ?? '?'} is an estimate` });
    if (leg.landingEstimated)
      out.push({ kind: 'estimated-time', legId, text: `landing time ${leg.arrivedAt ?? '?'} is an estimate` });
  }
  const hashOnly = input.rawReplies.filter((r) => r.body === undefined || r.body === null).length;
  if (hashOnly > 0)
    out.push({
      kind: 'raw-reply-hash-only',
      text: `${hashOnly} of ${input.rawReplies.length} source replies are kept as their SHA-256 only (retention); the hash still identifies the reply`,
    });
  return out;
}
