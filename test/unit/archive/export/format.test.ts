/** Export writers and periods: CSV quoting and spreadsheet-formula guard, the same values in every format. */
import { EXPORT_COLUMNS, countMethod, type ExportedLeg } from '../../../../src/archive/export/columns';
import { formatLegs } from '../../../../src/archive/export/format';
import { monthPeriod, priorSixWeeks, PeriodError } from '../../../../src/archive/report/period';
import { parsePeriod } from '../../../../src/cli/commands/export';
import { readCsv } from '../../../../src/util/csv';

const leg = (o: Partial<ExportedLeg> = {}): ExportedLeg => ({
  leg_id: 'leg:1',
  trip_id: null,
  hex: 'a1b2c3',
  registration: 'N1',
  aircraft_type: 'B738',
  operator: 'GlobalX',
  callsign: 'GXA6108',
  departure_icao: 'KAEX',
  departure_country: 'US',
  departure_lat: 31.3,
  departure_lon: -92.5,
  departed_at: '2026-11-10T12:00:00.000Z',
  takeoff_inferred: false,
  departure_time_estimated: false,
  arrival_icao: 'MGGT',
  arrival_country: 'GT',
  arrival_lat: 14.6,
  arrival_lon: -90.5,
  arrived_at: '2026-11-10T15:00:00.000Z',
  landing_inferred: true,
  arrival_time_estimated: false,
  max_gap_s: 600,
  category: 'removal',
  classified_category: 'removal',
  confidence: 'estimated',
  reasons: ['leg from KAEX (US) to MGGT (GT), a country of return', 'landing inferred, not observed'],
  destination_country: 'GT',
  border_city: null,
  review_state: 'unreviewed',
  reviewer: null,
  reviewed_at: null,
  review_note: null,
  counted: true,
  count_method: countMethod('estimated', 'unreviewed'),
  configured_destination: null,
  diverted_from: null,
  watch_ids: ['ice-air', 'glf5'],
  evidence_id: 'leg:1',
  permalink: null,
  ...o,
});

describe('export formats', () => {
  it('CSV round-trips quotes, commas, line breaks and lists; a formula-looking cell is defused', () => {
    const text = formatLegs([leg({ review_note: 'said "no", then\nyes, later', reviewer: '=HYPERLINK("x")' })], 'csv');
    const [head, row] = [...readCsv(text)].map((r) => r.fields);
    expect(head).toEqual([...EXPORT_COLUMNS]);
    const col = (name: keyof ExportedLeg) => row[EXPORT_COLUMNS.indexOf(name)];
    expect(col('review_note')).toBe('said "no", then\nyes, later');
    expect(col('reviewer')).toBe(`'=HYPERLINK("x")`);
    expect(col('watch_ids')).toBe('ice-air; glf5');
    expect(col('departure_lon')).toBe('-92.5'); // numbers are not defused
    expect(col('landing_inferred')).toBe('true');
    expect(col('trip_id')).toBe('');
  });

  it('JSON and GeoJSON carry the same values; no airports gives a null geometry', () => {
    const legs = [
      leg(),
      leg({ leg_id: 'leg:2', departure_lat: null, departure_lon: null, arrival_lat: null, arrival_lon: null }),
    ];
    expect(JSON.parse(formatLegs(legs, 'json'))).toEqual(legs);
    const fc = JSON.parse(formatLegs(legs, 'geojson'));
    expect(fc.features.map((f: { properties: ExportedLeg }) => f.properties)).toEqual(legs);
    expect(fc.features[1].geometry).toBeNull();
    expect(JSON.parse(formatLegs([], 'geojson'))).toEqual({ type: 'FeatureCollection', features: [] });
    expect(JSON.parse(formatLegs([], 'json'))).toEqual([]);
  });

  it('count method says how the flight is known and whether a person checked it', () => {
    expect(countMethod('confirmed', 'confirmed')).toBe(
      'confirmed: takeoff and landing observed in ADS-B; confirmed by a reviewer',
    );
    expect(countMethod('estimated', 'rejected')).toBe('estimated: inferred from ADS-B; rejected by a reviewer');
  });
});

describe('periods', () => {
  it('a month and the six weeks before it', () => {
    expect(monthPeriod('2026-02')).toEqual({
      from: '2026-02-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
      label: '2026-02',
    });
    expect(priorSixWeeks(monthPeriod('2026-02'))).toEqual({
      from: '2025-12-21T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
    });
    expect(() => monthPeriod('2026-2')).toThrow(PeriodError);
  });

  it('--to as a date includes that day; as a time it is exclusive; --from must come first', () => {
    expect(parsePeriod('2026-11-01', '2026-11-30')).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    expect(parsePeriod('2026-11-01', '2026-11-30T12:00:00Z').to).toBe('2026-11-30T12:00:00.000Z');
    expect(() => parsePeriod('2026-11-30', '2026-11-01')).toThrow(/--from 2026-11-30 is not before --to 2026-11-01/);
  });
});
