/**
 * The report's renderings from a hand-made Report: every format counts the same rows, hostile strings from
 * the aircraft record (an operator with HTML, pipes, a formula) stay text, every count links to its legs, the
 * charts say their numbers in text, and the digest's schedule and period arithmetic.
 */
import type { Report } from '../../../src/archive/report/report';
import { foldPeriod, rowsOf, weeklyBuckets } from '../../../src/archive/report/fold';
import { monthPeriod, periodLabelOf, priorSixWeeks, parsePeriodLabel } from '../../../src/archive/report/period';
import { legsPath, renderReport, renderReportHtml, reportCharts } from '../../../src/reports';
import { digestContent } from '../../../src/reports/digest';
import { digestCron } from '../../../src/config/reports-schema';
import { lastCompletePeriod } from '../../../src/runtime/report-digest';

const HOSTILE = '<script>alert(1)</script> | =cmd';
const row = (key: string, legs: number, extra: object = {}) => ({
  key,
  legs,
  confirmed: legs - 1,
  estimated: 1,
  reviewed: 1,
  perWeek: legs / 4,
  priorPerWeek: 1,
  ...extra,
});

function report(): Report {
  const period = monthPeriod('2026-11');
  const prior = priorSixWeeks(period);
  return {
    period,
    prior,
    categories: [row('removal', 12), row('lateral', 3)],
    removalsByCountry: [row('GT', 8), row('unknown', 4)],
    removalsByAirport: [row('MGGT', 8)],
    carrierShares: [{ ...row(HOSTILE, 12), operator: HOSTILE, removals: 12, share: 1 }],
    hubs: [row('KAEX', 12)],
    domesticTransfers: [],
    returns: [],
    lateral: [row('KELP', 3, { label: 'El Paso' })],
    versusPriorSixWeeks: [{ category: 'removal', perWeek: 3, priorPerWeek: 1 }],
    removalsPerWeek: weeklyBuckets(prior, period, [
      { day: '2026-10-01', n: 2 },
      { day: '2026-11-03', n: 5 },
      { day: '2026-11-30', n: 7 },
    ]),
    rejected: 2,
    unreviewed: 5,
  };
}

it('folds groups: rejected never counts, confirmed vs estimated, hubs by departure, carriers by airframe', () => {
  const g = (o: object) => ({ confidence: 'confirmed', state: 'unreviewed', n: 1, ...o });
  const f = foldPeriod(
    [
      g({ category: 'removal', country: 'GT', airport: 'MGGT', departure: 'KAEX', n: 3 }),
      g({ category: 'removal', country: 'GT', airport: 'MGGT', departure: 'KIWA', confidence: 'estimated' }),
      g({ category: null, state: 'rejected', n: 4 }),
      g({ category: 'lateral', airport: 'KELP', city: 'El Paso', state: 'confirmed' }),
    ],
    [g({ hex: 'a', operator: 'GlobalX', n: 4 })],
  );
  expect(f.rejected).toBe(4);
  expect(f.unreviewed).toBe(4);
  expect(f.removalsByCountry.get('GT')).toMatchObject({ legs: 4, confirmed: 3, estimated: 1, reviewed: 0 });
  expect([...f.hubs.keys()]).toEqual(['KAEX', 'KIWA']);
  expect(f.carriers.get('GlobalX')?.legs).toBe(4);
  expect(f.borderCities.get('KELP')).toBe('El Paso');
  const rows = rowsOf(f.removalsByCountry, new Map([['GT', { ...row('GT', 12) }]]), 4, 6);
  expect(rows[0]).toMatchObject({ perWeek: 1, priorPerWeek: 2 });
});

it('puts daily removals into 7-day steps from the six weeks before, the last step shorter', () => {
  const b = report().removalsPerWeek;
  expect(b.filter((w) => w.prior)).toHaveLength(6);
  expect(b.at(-1)).toMatchObject({ from: '2026-11-29', days: 2, legs: 7, prior: false });
  expect(b.reduce((s, w) => s + w.legs, 0)).toBe(14);
});

it('keeps hostile strings as text in HTML, Markdown, CSV and SVG', () => {
  const r = report();
  const html = renderReportHtml(r, { legsHref: legsPath });
  expect(html).not.toContain('<script>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  const svg = reportCharts(r).carriers!.svg;
  expect(svg).not.toContain('<script>');
  const md = renderReport(r, 'md');
  expect(md).toContain('\\<script\\>alert(1)\\</script\\> \\| =cmd');
  const csv = renderReport(r, 'csv');
  expect(csv).toContain(`,${HOSTILE},`);
  const formula = renderReport({ ...r, carrierShares: [{ ...r.carrierShares[0], key: '=HYPERLINK("x")' }] }, 'csv');
  expect(formula).toContain(`,"'=HYPERLINK(""x"")",`); // a spreadsheet shows it, never evaluates it
  expect(JSON.parse(renderReport(r, 'json')).carrierShares[0].operator).toBe(HOSTILE);
});

it('links every count to its legs, by the contract, and none for an unknown key', () => {
  const html = renderReportHtml(report(), { legsHref: legsPath });
  expect(html).toContain('href="/legs?period=2026-11&amp;category=removal&amp;country=GT"');
  expect(html).toContain('href="/legs?period=2026-11&amp;category=removal&amp;country=GT&amp;confidence=estimated"');
  expect(html).toContain('href="/legs?period=2026-11&amp;category=lateral&amp;airport=KELP"');
  expect(html).toContain(new URLSearchParams({ operator: HOSTILE }).toString());
  expect(html).not.toContain('country=unknown');
  expect(html).toContain('El Paso: KELP');
});

it('draws accessible charts: title, description with the numbers, labels in text, no external font', () => {
  const c = reportCharts(report(), { idPrefix: 't' });
  expect(c.weekly.svg).toMatch(/role="img" aria-labelledby="t-weekly-title t-weekly-desc"/);
  expect(c.weekly.svg).toContain('<title id="t-weekly-title">Removals per week, 2026-11, against the six weeks before');
  expect(c.weekly.alt).toContain('Nov 29 (2 days): 7');
  expect(c.countries!.alt).toContain('Guatemala (GT): 8 flights');
  for (const x of [c.weekly, c.countries!, c.carriers!]) expect(x.svg).not.toMatch(/@import|url\(|<link/);
});

it('leaves carriers out when public mode hides operators, in tables, charts and the digest', () => {
  const r = report();
  expect(renderReportHtml(r, { legsHref: legsPath, omit: ['carriers'] })).not.toContain('Carriers');
  expect(reportCharts(r, { omit: ['carriers'] }).carriers).toBeUndefined();
  const d = digestContent(r, { omit: ['carriers'] });
  expect(d.facts.lines?.map((l) => l.label)).not.toContain('Carriers');
  expect(digestContent(r).facts.lines?.[0]).toEqual({
    label: 'Removals',
    value: '12 (11 confirmed, 1 estimated); 3 a week, six weeks before 1 (+200 %)',
  });
});

it('schedules digests and picks the last complete UTC period', () => {
  expect(digestCron({ every: 'weekly', at: 'mon 07:00' })).toBe('0 7 * * 1');
  expect(digestCron({ every: 'monthly', at: '1 06:30' })).toBe('30 6 1 * *');
  expect(digestCron({ every: 'monthly', at: '31 06:30' })).toBeUndefined();
  expect(digestCron({ every: 'weekly', at: 'someday 07:00' })).toBeUndefined();
  expect(lastCompletePeriod('weekly', new Date('2026-11-23T07:00:00Z'))).toBe('2026-W47');
  expect(lastCompletePeriod('monthly', new Date('2026-01-01T07:00:00Z'))).toBe('2025-12');
  expect(periodLabelOf('week', new Date('2021-01-01T00:00:00Z'))).toBe('2020-W53');
  expect(() => parsePeriodLabel('2026-13', '--period')).toThrow('--period "2026-13" is not a month (YYYY-MM)');
  expect(() => parsePeriodLabel('last month', '--period')).toThrow(/is not a month \(YYYY-MM\) or an ISO week/);
});
