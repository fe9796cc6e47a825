/**
 * The "new candidate" operational alert: one per proposal (a re-proposal after a rejection is a new one),
 * through every enabled channel. Its id derives from the candidate and the time it was proposed, so a
 * retried cycle delivers it once.
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
