import { scheduleStats, sourceBudget, readsbProviderOf, openskyDailyCredits } from '../../../src/ingest/budget';
import { sourceSchema, type SourceConfig } from '../../../src/config/schema';
import type { PlannedRequest } from '../../../src/sources/source';

const src = (input: unknown): SourceConfig => sourceSchema.parse(input);
const readsb = (input: object) =>
  src({ id: 'r', kind: 'readsb-v2', ...input }) as Extract<SourceConfig, { kind: 'readsb-v2' }>;
const reqs = (count: number, cost = 1): PlannedRequest[] =>
  Array.from({ length: count }, (_, i) => ({
    query: { kind: 'hex', values: [`a0000${i}`] },
    path: `/v2/hex/a0000${i}`,
    cost,
  }));

describe('scheduleStats', () => {
  it.each([
    ['*/30 * * * * *', 2880, 30],
    ['* * * * * *', 86400, 1],
    ['*/5 * * * *', 288, 300], // 5 fields: minutes
    ['0 * * * *', 24, 3600],
    ['0 0 * * *', 1, 86400],
    ['0,15 * * * * *', 2880, 15], // uneven: 15 s then 45 s; the shortest gap counts
    ['10-50/20 * * * * *', 4320, 20],
    ['0 */10 8-17 * * *', 60, 600], // office hours: 10 hours × 6
    ['0 0 6,18 * * *', 2, 43200],
  ])('%s → %d cycles/day, shortest gap %d s', (expr, cycles, gap) => {
    const s = scheduleStats(expr);
    expect(s.cyclesPerDay).toBe(cycles);
    expect(s.minIntervalS).toBe(gap);
  });

  it('counts the gap across midnight', () => {
    // 23:59:50 then 00:00:00 the next day: 10 s apart, although same-day gaps are hours.
    expect(scheduleStats('50 59 23 * * *').minIntervalS).toBe(86400);
    expect(scheduleStats('0,50 0,59 0,23 * * *').minIntervalS).toBe(10);
  });

  it('reports restricted days and months', () => {
    const s = scheduleStats('*/30 * * * * mon-fri');
    expect(s.cyclesPerDay).toBe(2880);
    expect(s.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(scheduleStats('* * * * *').daysOfWeek).toBeUndefined();
    expect(scheduleStats('0 0 L * *').daysOfMonth).toEqual(['L']);
    expect(scheduleStats('0 0 * * 5#2').daysOfWeek).toEqual(['5#2']);
  });

  it('throws on an invalid expression', () => {
    expect(() => scheduleStats('70 * * * * *')).toThrow(/70/);
    expect(() => scheduleStats('every minute')).toThrow();
  });
});

describe('sourceBudget', () => {
  const every30 = scheduleStats('*/30 * * * * *');

  it('computes requests per cycle and per day for a keyless readsb source within 1 request/s', () => {
    const b = sourceBudget(
      src({ id: 'adsblol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol' }),
      reqs(9),
      every30,
    );
    expect(b.requestsPerCycle).toBe(9);
    expect(b.requestsPerDay).toBe(9 * 2880);
    expect(b.costPerDay).toBe(9 * 2880);
    expect(b.secondsPerCycle).toBe(9);
    expect(b.limits).toEqual([{ what: 'requests', perDay: 86400, basis: 'adsb.lol 1 request/s' }]);
    expect(b.warnings).toEqual([]);
  });

  it('warns when a cycle cannot fit the 1 request/s limit within the cycle interval', () => {
    const b = sourceBudget(
      src({ id: 'adsbfi', kind: 'readsb-v2', baseUrl: 'https://opendata.adsb.fi/api' }),
      reqs(31),
      every30,
    );
    expect(b.warnings.join('\n')).toMatch(
      /adsbfi: 31 requests per cycle take 31 s at 1 request\/s, longer than the 30 s between cycles/,
    );
    expect(b.warnings.join('\n')).toMatch(
      /adsbfi: 89,280 requests\/day .* exceeds the 86,400\/day of adsb\.fi 1 request\/s/,
    );
    // Exactly 30 in 30 s fits.
    expect(
      sourceBudget(src({ id: 'adsbfi', kind: 'readsb-v2', baseUrl: 'https://opendata.adsb.fi/api' }), reqs(30), every30)
        .warnings,
    ).toEqual([]);
  });

  it('caps a configured rate above the provider limit and says so', () => {
    const b = sourceBudget(
      src({ id: 'apl', kind: 'readsb-v2', baseUrl: 'https://api.airplanes.live', requestsPerSecond: 5 }),
      reqs(4),
      scheduleStats('*/2 * * * * *'),
    );
    expect(b.requestsPerSecond).toBe(1);
    expect(b.warnings[0]).toMatch(/apl: requestsPerSecond 5 is above airplanes\.live's limit of 1 request\/s/);
    expect(b.warnings.join('\n')).toMatch(/4 requests per cycle take 4 s at 1 request\/s, longer than the 2 s/);
  });

  it('checks dailyRequestBudget and suggests the slowest schedule that fits', () => {
    const b = sourceBudget(
      src({
        id: 'gw',
        kind: 'readsb-v2',
        baseUrl: 'https://gateway.example.org',
        dailyRequestBudget: 10000,
        requestsPerSecond: 10,
      }),
      reqs(5),
      every30,
    );
    expect(b.limits).toEqual([{ what: 'requests', perDay: 10000, basis: 'dailyRequestBudget' }]);
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toBe(
      'gw: 14,400 requests/day (5 per cycle × 2,880 cycles) exceeds the 10,000/day of dailyRequestBudget; ' +
        'poll at most 2,000 times a day (every 44 s or slower)',
    );
  });

  it('counts OpenSky credits by request cost: 400 anonymous, 4,000 with OAuth2, or dailyCredits', () => {
    const anon = src({ id: 'os', kind: 'opensky' });
    const b = sourceBudget(anon, reqs(1, 3), every30);
    expect(b.costPerCycle).toBe(3);
    expect(b.costPerDay).toBe(8640);
    expect(b.limits).toEqual([{ what: 'credits', perDay: 400, basis: 'OpenSky anonymous' }]);
    expect(b.warnings[0]).toMatch(
      /os: 8,640 credits\/day \(3 per cycle × 2,880 cycles\) exceeds the 400\/day of OpenSky anonymous; poll at most 133 times a day/,
    );

    const oauth = src({ id: 'os', kind: 'opensky', clientIdEnv: 'OS_ID', clientSecretEnv: 'OS_SECRET' });
    expect(openskyDailyCredits(oauth as Extract<SourceConfig, { kind: 'opensky' }>)).toEqual({
      credits: 4000,
      basis: 'OAuth2 standard user',
    });
    const hourly = scheduleStats('0 0 * * * *');
    expect(sourceBudget(oauth, reqs(1, 4), hourly).warnings).toEqual([]);
    const feeder = src({ id: 'os', kind: 'opensky', dailyCredits: 8000 });
    expect(sourceBudget(feeder, reqs(1, 3), every30).limits[0]).toEqual({
      what: 'credits',
      perDay: 8000,
      basis: 'OpenSky dailyCredits',
    });
  });

  it('holds a receiver only to its own rate', () => {
    const b = sourceBudget(
      src({ id: 'rx', kind: 'receiver', url: 'http://127.0.0.1/data/aircraft.json' }),
      reqs(1),
      scheduleStats('* * * * * *'),
    );
    expect(b.limits).toEqual([]);
    expect(b.warnings).toEqual([]);
    expect(b.requestsPerSecond).toBe(5);
  });

  it('guesses the readsb provider from the host, explicit provider winning', () => {
    expect(readsbProviderOf(readsb({ baseUrl: 'https://api.adsb.lol' }))).toBe('adsblol');
    expect(readsbProviderOf(readsb({ baseUrl: 'https://opendata.adsb.fi/api' }))).toBe('adsbfi');
    expect(readsbProviderOf(readsb({ baseUrl: 'https://api.airplanes.live/v2' }))).toBe('airplaneslive');
    expect(readsbProviderOf(readsb({ baseUrl: 'https://notadsb.lol.example' }))).toBe('generic');
    expect(readsbProviderOf(readsb({ baseUrl: 'https://x.example', provider: 'adsbfi' }))).toBe('adsbfi');
  });
});
