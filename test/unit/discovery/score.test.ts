/**
 * Scoring and decisions: which behaviour makes an unlisted aircraft a candidate, the reasons it carries, and
 * when a rejected one comes back.
 */
import { assess, newBehaviour, WEIGHTS } from '../../../src/discovery/score';
import { decide } from '../../../src/discovery/decide';
import type { CandidateRow } from '../../../src/discovery/tables';
import { DAY, T0, rules, sight } from './fixtures';

describe('assess', () => {
  it('proposes a charter-capable type at two hubs with a charter callsign, with a reason per feature', () => {
    const a = assess(
      'a1b2c3',
      [sight('a1b2c3', 'KAEX', 0), sight('a1b2c3', 'KHRL', 1, { callsign: 'GXA6123' })],
      rules,
    );
    expect(a.proposed).toBe(true);
    expect(a.score).toBeCloseTo(WEIGHTS.twoHubs + WEIGHTS.charterType + WEIGHTS.charterCallsign);
    expect(a.reasons).toEqual([
      'at 2 hubs within 7 days (KAEX 2026-03-02, KHRL 2026-03-03)',
      'charter-capable type B738',
      'charter callsign GXA6123 (globalx-6xxx)',
    ]);
    expect(a.behaviour).toEqual({ hubs: ['KAEX', 'KHRL'], countries: [], types: ['B738'], patterns: ['globalx-6xxx'] });
  });

  it('needs more than two hubs and a type: a leg to a country of return makes it', () => {
    const twoHubs = [sight('a', 'KAEX', 0), sight('a', 'KHRL', 1)];
    expect(assess('a', twoHubs, rules).proposed).toBe(false);
    const removal = assess('a', [...twoHubs, sight('a', 'MGGT', 1.2)], rules);
    expect(removal.proposed).toBe(true);
    expect(removal.reasons).toContain('flew from a hub to a country of return: MGGT (GT) 2026-03-03');
  });

  it('does not count a country of return seen before any hub', () => {
    const a = assess('a', [sight('a', 'MGGT', 0), sight('a', 'KAEX', 1)], rules);
    expect(a.behaviour.countries).toEqual([]);
    expect(a.proposed).toBe(false);
  });

  it('scores only the window ending at the newest sighting', () => {
    const a = assess('a', [sight('a', 'KAEX', 0), sight('a', 'KHRL', 8, { callsign: 'GXA6001' })], rules);
    expect(a.behaviour.hubs).toEqual(['KHRL']);
    expect(a.evidence).toHaveLength(1);
    expect(a.proposed).toBe(false);
  });

  it('holds scheduled airline callsigns and non-charter types against the aircraft', () => {
    const airline = assess(
      'a',
      [
        sight('a', 'KSAT', 0, { callsign: 'SWA1234' }),
        sight('a', 'KELP', 0.2, { callsign: 'SWA877' }),
        sight('a', 'MMMX', 0.5),
      ],
      rules,
    );
    expect(airline.reasons).toContain('scheduled airline callsign SWA1234, SWA877');
    expect(airline.proposed).toBe(false);
    const cessna = assess(
      'a',
      [
        sight('a', 'KSAT', 0, { type: 'C172' }),
        sight('a', 'KELP', 0.2, { type: 'C172' }),
        sight('a', 'MMMX', 1, { type: 'C172' }),
      ],
      rules,
    );
    expect(cessna.reasons).toContain('type C172 is not one charters fly removals with');
    expect(cessna.proposed).toBe(false);
  });
});

describe('decide', () => {
  const proposedA = () => assess('a', [sight('a', 'KAEX', 0), sight('a', 'KHRL', 1, { callsign: 'GXA6123' })], rules);

  it('proposes once and then refreshes the standing proposal without announcing it again', () => {
    const first = decide(undefined, proposedA(), T0 + DAY);
    expect(first.announce).toBe(true);
    expect(first.row).toMatchObject({ id: 'cand-a', state: 'proposed', proposals: 1, callsign: 'GXA6123' });
    const again = decide(first.row, proposedA(), T0 + 2 * DAY);
    expect(again.announce).toBe(false);
    expect(again.row?.proposed_at).toBe(first.row?.proposed_at);
  });

  it('keeps a rejected candidate down until it does something new, then proposes it again saying what', () => {
    const row = decide(undefined, proposedA(), T0 + DAY).row as CandidateRow;
    const rejected: CandidateRow = { ...row, state: 'rejected', rejected_behaviour: row.behaviour };
    expect(decide(rejected, proposedA(), T0 + 3 * DAY)).toEqual({ announce: false });
    const more = assess(
      'a',
      [sight('a', 'KAEX', 0), sight('a', 'KHRL', 1, { callsign: 'GXA6123' }), sight('a', 'KELP', 2)],
      rules,
    );
    const back = decide(rejected, more, T0 + 3 * DAY);
    expect(back.announce).toBe(true);
    expect(back.row).toMatchObject({ state: 'proposed', proposals: 2 });
    expect(JSON.parse(back.row!.reasons)).toContain('new since it was rejected: hub KELP');
  });

  it('never proposes an accepted candidate again', () => {
    const row = decide(undefined, proposedA(), T0 + DAY).row as CandidateRow;
    expect(decide({ ...row, state: 'accepted' }, proposedA(), T0 + 2 * DAY)).toEqual({ announce: false });
  });
});

it('newBehaviour lists what goes beyond a rejection', () => {
  const was = { hubs: ['KAEX'], countries: [], types: ['B738'], patterns: [] };
  expect(newBehaviour(was, { hubs: ['KAEX'], countries: ['GT'], types: ['B738'], patterns: ['iaero'] })).toEqual([
    'country GT',
    'callsign pattern iaero',
  ]);
  expect(newBehaviour(was, was)).toEqual([]);
});
