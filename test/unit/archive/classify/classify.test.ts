/** Leg classification in the groups' vocabulary (src/domain/leg-classification.ts) with the default rules. */
import { classifySchema } from '../../../../src/config/classify-schema';
import { classifyTrip, type ClassifiableLeg } from '../../../../src/domain/leg-classification';

const rules = classifySchema.parse(undefined);
const COUNTRY: Record<string, string> = {
  KAEX: 'US',
  KHRL: 'US',
  KIWA: 'US',
  KELP: 'US',
  KMIA: 'US',
  KSAT: 'US',
  KJFK: 'US',
  KORD: 'US',
  PANC: 'US',
  KSAN: 'US',
  MGGT: 'GT',
  MHLM: 'HN',
  MSLP: 'SV',
  RKSI: 'KR',
  ZYTX: 'CN',
  MROC: 'CR',
  SKBO: 'CO',
};
const leg = (from: string | null, to: string | null, o: Partial<ClassifiableLeg> = {}): ClassifiableLeg => ({
  from: from ? { icao: from, country: COUNTRY[from] } : null,
  to: to ? { icao: to, country: COUNTRY[to] } : null,
  takeoffInferred: false,
  landingInferred: false,
  ...o,
});
const cats = (...legs: ClassifiableLeg[]) => classifyTrip(legs, rules).map((c) => c.category);

describe('classifyTrip', () => {
  it('a direct international leg to a country of return is a removal, with the country', () => {
    const [c] = classifyTrip([leg('KAEX', 'MGGT')], rules);
    expect(c).toMatchObject({ category: 'removal', destinationCountry: 'GT', confidence: 'confirmed' });
    expect(c.reasons[0]).toMatch(/KAEX \(US\) to MGGT \(GT\), a country of return/);
  });

  it('hub → hub feeding a removal is a connection; the way back is return', () => {
    expect(cats(leg('KAEX', 'KHRL'), leg('KHRL', 'MGGT'), leg('MGGT', 'KHRL'))).toEqual([
      'connection',
      'removal',
      'return',
    ]);
  });

  it('fuel stops abroad feed the removal; only the landing in the country of return counts', () => {
    const c = classifyTrip([leg('KAEX', 'PANC'), leg('PANC', 'RKSI'), leg('RKSI', 'ZYTX')], rules);
    expect(c.map((x) => x.category)).toEqual(['connection', 'connection', 'removal']);
    expect(c[1].reasons[0]).toMatch(/fuel or crew stop/);
    expect(c[2].destinationCountry).toBe('CN');
  });

  it('a multi-stop removal counts each country of return; positioning abroad after it is return', () => {
    expect(cats(leg('KAEX', 'MGGT'), leg('MGGT', 'MSLP'), leg('MSLP', 'MROC'), leg('MROC', 'KMIA'))).toEqual([
      'removal',
      'removal',
      'return',
      'return',
    ]);
  });

  it('a domestic leg to a border city is lateral, naming the city', () => {
    const [c] = classifyTrip([leg('KAEX', 'KSAN')], rules);
    expect(c).toMatchObject({ category: 'lateral', borderCity: 'San Diego' });
  });

  it('a border-city hub that the removal departs from is a connection, not lateral', () => {
    expect(cats(leg('KAEX', 'KELP'), leg('KELP', 'MGGT'))).toEqual(['connection', 'removal']);
    expect(cats(leg('KAEX', 'KELP'))).toEqual(['lateral']);
  });

  it('a domestic leg between two hubs is a shuffle; with one hub or none it is other, saying so', () => {
    expect(cats(leg('KAEX', 'KIWA'))).toEqual(['shuffle']);
    const [one] = classifyTrip([leg('KAEX', 'KJFK')], rules);
    expect(one).toMatchObject({ category: 'other' });
    expect(one.reasons[0]).toMatch(/only one end is a detention hub/);
    expect(classifyTrip([leg('KJFK', 'KORD')], rules)[0].reasons[0]).toMatch(/no detention hub/);
  });

  it('a landing abroad outside the countries of return is other; unknown departure is never a removal', () => {
    expect(classifyTrip([leg('KMIA', 'MROC')], rules)[0].reasons[0]).toMatch(/CR, not a configured country/);
    const [u] = classifyTrip([leg(null, 'MGGT')], rules);
    expect(u).toMatchObject({ category: 'other', confidence: 'estimated' });
    expect(u.reasons.join(' ')).toMatch(/departure unknown/);
  });

  it('an empty list of countries of return means any other country', () => {
    const any = { ...rules, destinationCountries: [] };
    expect(classifyTrip([leg('KMIA', 'MROC')], any)[0].category).toBe('removal');
  });

  it('a leg home from abroad with no removal seen is return', () => {
    expect(cats(leg('MROC', 'KMIA'))).toEqual(['return']);
  });

  it('confidence is confirmed only when takeoff and landing were observed, and says why not', () => {
    const [c] = classifyTrip([leg('KAEX', 'MGGT', { landingInferred: true, takeoffEstimated: true })], rules);
    expect(c.confidence).toBe('estimated');
    expect(c.reasons).toEqual(expect.arrayContaining(['landing inferred, not observed', 'takeoff time estimated']));
    expect(classifyTrip([leg('KAEX', 'MGGT')], rules)[0].reasons).toContain('takeoff and landing observed');
  });

  it('is case-insensitive about codes and countries in legs and rules', () => {
    const lower = { icao: 'kaex', country: 'us' };
    const [c] = classifyTrip(
      [{ from: lower, to: { icao: 'mggt', country: 'gt' }, takeoffInferred: false, landingInferred: false }],
      rules,
    );
    expect(c.category).toBe('removal');
  });
});

describe('classify config', () => {
  it('defaults name the hubs and border cities from public reporting', () => {
    expect(rules.hubs).toEqual(expect.arrayContaining(['KAEX', 'KHRL', 'KIWA', 'KELP', 'KMIA']));
    expect(rules.borderCities.map((b) => b.name)).toEqual(
      expect.arrayContaining(['El Paso', 'San Diego', 'Tucson', 'Brownsville']),
    );
    expect(rules.homeCountry).toBe('US');
  });

  it('names the bad value and its path', () => {
    const r = classifySchema.safeParse({ hubs: ['KAEX', 'ALEX1'], borderCities: [{ name: 'X', airports: [] }] });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        'hubs.1: "ALEX1" is not a 4-letter ICAO airport code',
        'borderCities.0.airports: needs at least one airport',
      ]),
    );
  });
});
