/**
 * What a new assessment does to an aircraft's candidate, pure: propose it (the first time, or again after a
 * rejection when it now does something it did not do then), refresh a standing proposal, or nothing.
 */
import type { Assessment, Behaviour } from './score';
import { newBehaviour } from './score';
import type { CandidateRow } from './tables';

export const candidateId = (hex: string) => `cand-${hex.toLowerCase()}`;

export interface Decision {
  /** The row to write; undefined: nothing to write. */
  row?: CandidateRow;
  /** The aircraft is (re-)proposed now: announce it. */
  announce: boolean;
}

const iso = (t: number) => new Date(t).toISOString();
const latest = <K extends 'registration' | 'type' | 'callsign'>(a: Assessment, k: K) =>
  [...a.evidence].reverse().find((s) => s[k] !== null)?.[k] ?? null;

export function decide(prev: CandidateRow | undefined, a: Assessment, now: number): Decision {
  const first = a.evidence[0]?.at ?? now;
  const last = a.evidence.at(-1)?.at ?? now;
  const facts = {
    score: a.score,
    reasons: JSON.stringify(a.reasons),
    behaviour: JSON.stringify(a.behaviour),
    registration: latest(a, 'registration'),
    type: latest(a, 'type'),
    callsign: latest(a, 'callsign'),
    last_seen: iso(last),
  };
  if (!prev) {
    if (!a.proposed) return { announce: false };
    const row: CandidateRow = {
      id: candidateId(a.hex),
      hex: a.hex,
      state: 'proposed',
      ...facts,
      first_seen: iso(first),
      proposed_at: iso(now),
      proposals: 1,
      decided_at: null,
      decided_by: null,
      note: null,
      rejected_behaviour: null,
      watch_id: null,
    };
    return { row, announce: true };
  }
  if (prev.state === 'accepted') return { announce: false };
  if (prev.state === 'proposed')
    // A standing proposal follows the aircraft; a lower score is kept as evidence, not withdrawn.
    return a.proposed ? { row: { ...prev, ...facts }, announce: false } : { announce: false };
  const rejected = JSON.parse(prev.rejected_behaviour ?? prev.behaviour) as Behaviour;
  const beyond = newBehaviour(rejected, a.behaviour);
  if (!a.proposed || !beyond.length) return { announce: false };
  const reasons = [...a.reasons, `new since it was rejected: ${beyond.join(', ')}`];
  return {
    row: {
      ...prev,
      ...facts,
      reasons: JSON.stringify(reasons),
      state: 'proposed',
      proposed_at: iso(now),
      proposals: prev.proposals + 1,
    },
    announce: true,
  };
}

/** The behaviour a rejection covers: what it was rejected with before plus what it does now. */
export function unionBehaviour(a: Behaviour, b: Behaviour): Behaviour {
  const u = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort();
  return {
    hubs: u(a.hubs, b.hubs),
    countries: u(a.countries, b.countries),
    types: u(a.types, b.types),
    patterns: u(a.patterns, b.patterns),
  };
}
