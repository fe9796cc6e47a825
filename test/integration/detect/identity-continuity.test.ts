/**
 * Identity continuity through the detector: a simulated KAEX → KSAT flight whose ICAO address changes
 * mid-air (as a PIA address rotating, or a re-registered airframe's new hex) after a few minutes unheard.
 * The new hex gets its own track (never a silent merge) and every one of its events carries the link with
 * its evidence; a different aircraft under another registration and callsign is not linked.
 */
import { HOUR, MIN, airports, polls, run, simAirport, summary, trace } from '../../unit/detect/harness';
import { createDetector } from '../../../src/detect';
import type { Poll } from '../../../src/sim';

/** The trace's polls with the hex replaced from `cutAt` on and nothing heard for `gapMs` before it. */
function hexChangesMidAir(ps: readonly Poll[], cutAt: number, gapMs: number, newHex: string): Poll[] {
  return ps
    .filter((p) => p.now < cutAt - gapMs || p.now >= cutAt)
    .map((p) => (p.now < cutAt ? p : { ...p, batch: p.batch.map((a) => ({ ...a, hex: newHex })) }));
}

const detector = () => createDetector({ airports, maxPositionAgeS: 60 });

it('links the new hex to the old one with the evidence, on all its events, and keeps two tracks', async () => {
  const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
  const cut = t.legs[0].topOfClimbAt + 10 * MIN;
  const events = await run(detector(), hexChangesMidAir(polls(t), cut, 4 * MIN, 'a9f00d'));

  const before = events.filter((e) => e.aircraft.hex === 'a1b2c3');
  const after = events.filter((e) => e.aircraft.hex === 'a9f00d');
  expect(summary(before)).toEqual(['seen:KAEX', 'takeoff:KAEX']);
  // The new hex is a new track: a `seen` in the air, then the landing, both linked.
  expect(summary(after)).toEqual(['seen', 'landing:KSAT']);
  for (const e of after)
    expect(e.details?.linked).toMatchObject({
      previousHex: 'a1b2c3',
      reason: 'same-registration',
      matched: 'N123XX',
    });
  const link = after[0].details!.linked!;
  // 4 minutes unheard plus the poll interval; cruise speed covers the distance, altitude unchanged at cruise.
  expect(link.gapSeconds).toBeGreaterThanOrEqual(4 * 60);
  expect(link.gapSeconds).toBeLessThanOrEqual(5 * 60);
  expect(link.distanceNm).toBeGreaterThan(15);
  expect(link.distanceNm).toBeLessThan((600 * link.gapSeconds) / 3600 + 5);
  expect(link.altDiffFt).toBeLessThan(2000);
  for (const e of before) expect(e.details?.linked).toBeUndefined();
});

it('does not link when the new hex shows up too far away for the gap, or as another airframe', async () => {
  const t = trace({ legs: [{ from: simAirport('KAEX'), to: simAirport('KSAT') }] });
  const cut = t.legs[0].topOfClimbAt + 10 * MIN;
  const farAway = hexChangesMidAir(polls(t), cut, 4 * MIN, 'a9f00d').map((p) =>
    p.now < cut ? p : { ...p, batch: p.batch.map((a) => ({ ...a, lat: (a.lat ?? 0) + 5 })) },
  );
  const other = hexChangesMidAir(polls(t), cut, 4 * MIN, 'a9f00d').map((p) =>
    p.now < cut ? p : { ...p, batch: p.batch.map((a) => ({ ...a, registration: 'N555ZZ', callsign: 'DAL123' })) },
  );
  for (const ps of [farAway, other]) {
    const events = await run(detector(), ps);
    const after = events.filter((e) => e.aircraft.hex === 'a9f00d');
    expect(after.length).toBeGreaterThan(0);
    for (const e of after) expect(e.details?.linked).toBeUndefined();
  }
});

it('links a parked airframe whose privacy address rotated before the next leg', async () => {
  const t = trace({
    legs: [
      { from: simAirport('KAEX'), to: simAirport('KSAT') },
      { from: simAirport('KSAT'), to: simAirport('KAEX'), groundBeforeMin: 3 * 60 },
    ],
  });
  const cut = t.legs[1].takeoffAt - 30 * MIN;
  const events = await run(detector(), hexChangesMidAir(polls(t), cut, 2 * HOUR, 'a9f00d'));
  const after = events.filter((e) => e.aircraft.hex === 'a9f00d');
  expect(summary(after)).toContain('takeoff:KSAT');
  expect(after[0].details?.linked).toMatchObject({ previousHex: 'a1b2c3', reason: 'same-registration', altDiffFt: 0 });
  expect(after[0].details!.linked!.gapSeconds).toBeGreaterThanOrEqual(2 * 3600);
});
