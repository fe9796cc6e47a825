/** When a report digest is due: the latest `at` in its timezone, and the period before it. */
import { lastCompletePeriod, lastSendTime } from '../../../src/runtime/report-digest';

const last = (d: { every: 'weekly' | 'monthly'; at: string; timezone: string }, now: string) =>
  lastSendTime(d, new Date(now))?.toISOString();

describe('lastSendTime', () => {
  const weekly = { every: 'weekly' as const, at: 'mon 07:00', timezone: 'America/Chicago' };
  it('is the latest weekday and time in the zone at or before now', () => {
    // Monday 23 November 2026, 07:00 in Chicago (CST, UTC−6) is 13:00 UTC.
    expect(last(weekly, '2026-11-23T13:00:00Z')).toBe('2026-11-23T13:00:00.000Z');
    expect(last(weekly, '2026-11-23T12:59:59Z')).toBe('2026-11-16T13:00:00.000Z');
    expect(last(weekly, '2026-11-29T23:00:00Z')).toBe('2026-11-23T13:00:00.000Z');
    expect(last({ ...weekly, at: 'sun 23:30', timezone: 'UTC' }, '2026-11-23T00:00:00Z')).toBe(
      '2026-11-22T23:30:00.000Z',
    );
  });

  it('follows daylight saving time: 07:00 local on each side of the change', () => {
    // Chicago leaves DST on 1 November 2026: 26 October is CDT (UTC−5), 2 November CST (UTC−6).
    expect(last(weekly, '2026-10-26T12:30:00Z')).toBe('2026-10-26T12:00:00.000Z');
    expect(last(weekly, '2026-11-02T13:30:00Z')).toBe('2026-11-02T13:00:00.000Z');
  });

  it('takes the day of the month for monthly digests, the month before when it is still to come', () => {
    const monthly = { every: 'monthly' as const, at: '1 07:00', timezone: 'Europe/Berlin' };
    expect(last(monthly, '2026-12-01T06:00:00Z')).toBe('2026-12-01T06:00:00.000Z');
    expect(last(monthly, '2026-12-01T05:59:00Z')).toBe('2026-11-01T06:00:00.000Z');
    expect(last(monthly, '2027-01-01T00:00:00Z')).toBe('2026-12-01T06:00:00.000Z');
  });

  it('is undefined for an `at` the schema refuses', () => {
    expect(last({ ...weekly, at: 'someday 07:00' }, '2026-11-23T13:00:00Z')).toBeUndefined();
  });
});

describe('lastCompletePeriod', () => {
  it('is the ISO week or calendar month before the send time', () => {
    expect(lastCompletePeriod('weekly', new Date('2026-11-23T13:00:00Z'))).toBe('2026-W47');
    expect(lastCompletePeriod('monthly', new Date('2026-12-01T06:00:00Z'))).toBe('2026-11');
    expect(lastCompletePeriod('monthly', new Date('2027-01-01T06:00:00Z'))).toBe('2026-12');
  });
});
