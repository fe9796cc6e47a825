/** ISO-8601 week periods for `export report --week`, and the choice between --month and --week. */
import { PeriodError, priorSixWeeks, weekPeriod, weeksIn } from '../../../../src/archive/report/period';
import { reportPeriod } from '../../../../src/cli/commands/export';

it('a week runs Monday 00:00 UTC to the next Monday, week 1 holding 4 January', () => {
  expect(weekPeriod('2026-W48')).toEqual({
    from: '2026-11-23T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    label: '2026-W48',
  });
  expect(weekPeriod('2026-W01')).toMatchObject({ from: '2025-12-29T00:00:00.000Z', to: '2026-01-05T00:00:00.000Z' });
  expect(weekPeriod('2021-W01').from).toBe('2021-01-04T00:00:00.000Z'); // 1 Jan 2021 was a Friday: week 53 of 2020
  expect(weekPeriod('2020-W53')).toMatchObject({ from: '2020-12-28T00:00:00.000Z', to: '2021-01-04T00:00:00.000Z' });
  expect(weeksIn(weekPeriod('2026-W48'))).toBe(1);
  expect(priorSixWeeks(weekPeriod('2026-W48'))).toEqual({
    from: '2026-10-12T00:00:00.000Z',
    to: '2026-11-23T00:00:00.000Z',
  });
});

it('refuses what is not a week, naming the flag and the form', () => {
  for (const bad of ['2026-48', '2026-W0', '2026-W00', '2026-W54', '2025-W53', 'W48'])
    expect(() => weekPeriod(bad)).toThrow(new PeriodError(`--week "${bad}" is not a week (YYYY-Www, ISO-8601)`));
  expect(weekPeriod('2026-W53').from).toBe('2026-12-28T00:00:00.000Z'); // 2026 (from a Thursday) has 53, 2025 has 52
});

it('takes exactly one of --month and --week', () => {
  expect(reportPeriod({ week: '2026-W48' }).from).toBe('2026-11-23T00:00:00.000Z');
  expect(reportPeriod({ month: '2026-11' }).from).toBe('2026-11-01T00:00:00.000Z');
  expect(() => reportPeriod({})).toThrow('give one of --month YYYY-MM or --week YYYY-Www');
  expect(() => reportPeriod({ month: '2026-11', week: '2026-W48' })).toThrow(/one of/);
});
