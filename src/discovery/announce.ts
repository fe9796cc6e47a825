/**
 * The "new candidate" operational alert: one per proposal (a re-proposal after a rejection is a new one),
 * through every enabled channel. Its id derives from the candidate and the time it was proposed, so a
 * retried cycle delivers it once. Replicas each sample and decide on their own (their own poll slots, maybe
 * their own SQLite archive), so two may propose the same aircraft at different times: the announcement is
 * claimed once across replicas on Redis first (`claimAnnouncement`).
 */
import { raiseOperational, type RaisedOperational } from '../pipeline/operational';
import type { DeliveryContext } from '../pipeline/context';
import type { CandidateRow } from './tables';

export function candidateSummary(c: CandidateRow): string {
  const what = [c.type, c.registration, c.callsign].filter(Boolean).join(' ') || c.hex.toUpperCase();
  const reasons = (JSON.parse(c.reasons) as string[]).join('; ');
  return (
    `Unlisted aircraft ${what} (hex ${c.hex}) behaves like a removal charter, score ${c.score.toFixed(2)}: ${reasons}. ` +
    `Review it with "flightwatch candidates show ${c.id}", then accept or reject it.`
  );
}

/**
 * How long a claim is kept: longer than a replica that has not proposed the aircraft yet (it polls other slots)
 * takes to see it qualify — the scoring window, a week by default — with a margin. One small key per proposal.
 */
export const CLAIM_TTL_MS = 30 * 86_400_000;

/**
 * True for the one replica that may announce this proposal: SET NX on the candidate id and its proposal number
 * (1, then 2 after a rejection it outgrew, …) — the behaviour version all replicas agree on.
 */
export async function claimAnnouncement(ctx: DeliveryContext, c: CandidateRow, ttlMs = CLAIM_TTL_MS): Promise<boolean> {
  const claimed = await ctx.redis.set(ctx.keys.candidateClaim(c.id, c.proposals), c.proposed_at, 'PX', ttlMs, 'NX');
  return claimed === 'OK';
}

export function announceCandidate(ctx: DeliveryContext, c: CandidateRow): Promise<RaisedOperational> {
  return raiseOperational(ctx, {
    kind: 'candidate',
    summary: candidateSummary(c),
    subject: c.id,
    at: c.proposed_at,
    details: {
      candidateId: c.id,
      hex: c.hex,
      ...(c.registration ? { registration: c.registration } : {}),
      ...(c.type ? { aircraftType: c.type } : {}),
      score: c.score,
      reasons: (JSON.parse(c.reasons) as string[]).join('; '),
    },
  });
}
