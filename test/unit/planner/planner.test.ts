import { planFromConfig, planWatchlist } from '../../../src/ingest/planner';
import { configSchema, type ConfigInput } from '../../../src/config/schema';

const base: ConfigInput = {
  sources: [{ id: 'adsblol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol' }],
  watch: [{ id: 'x', match: { hex: ['abcdef'] } }],
};
const cfg = (over: Partial<ConfigInput>) => configSchema.parse({ ...base, ...over });

describe('planFromConfig', () => {
  it('unions hex, registrations and types of enabled entries, deduped and sorted', () => {
    const plan = planFromConfig(
      cfg({
        watch: [
          { id: 'a', match: { hex: ['ACB2BA', 'a2bd72'] } },
          { id: 'b', match: { hex: ['a2bd72'] } },
          { id: 'c', match: { registrations: ['n917xa', 'B-1234'] } },
          { id: 'd', match: { types: ['GLF5', 'B738'] } },
          { id: 'e', match: { types: ['GLF5'] } },
          { id: 'off', match: { hex: ['ffffff'], types: ['C172'] }, enabled: false },
        ],
      }),
    );
    expect(plan.hex).toEqual(['a2bd72', 'acb2ba']);
    expect(plan.registrations).toEqual(['B-1234', 'N917XA']);
    expect(plan.types).toEqual(['B738', 'GLF5']);
    expect(plan.needsLocalScan).toBe(false);
    expect(plan.areas).toEqual([]);
  });

  it('serves an entry with types AND callsign prefixes by the type query, without a local scan', () => {
    const r = planWatchlist(cfg({ watch: [{ id: 'bbq', match: { types: ['B738'], callsignPrefixes: ['BBQ'] } }] }));
    expect(r.plan.types).toEqual(['B738']);
    expect(r.plan.needsLocalScan).toBe(false);
    expect(r.coverage).toEqual([{ id: 'bbq', index: 0, servedBy: 'types', localKeys: ['callsignPrefixes'] }]);
    expect(r.warnings).toEqual([]);
  });

  it('queries only one key of an entry with several, preferring hex/registrations over types', () => {
    const r = planWatchlist(
      cfg({
        watch: [
          { id: 'gulf', match: { types: ['GLF5'] } },
          // GLF5 is queried anyway, but adsb.fi/ADSBx have no type endpoint: the registration keeps it visible there.
          { id: 'tail', match: { registrations: ['N1'], types: ['GLF5'] } },
          // The registration list is requested anyway: N2 joins it rather than opening a hex request.
          { id: 'both', match: { hex: ['a00001'], registrations: ['N2'] } },
          // Its registration is already queried: costs nothing.
          { id: 'again', match: { hex: ['a00002'], registrations: ['N1'] } },
        ],
      }),
    );
    expect(r.plan.types).toEqual(['GLF5']);
    expect(r.plan.registrations).toEqual(['N1', 'N2']);
    expect(r.plan.hex).toEqual([]);
    expect(r.coverage.map((c) => c.servedBy)).toEqual(['types', 'registrations', 'registrations', 'registrations']);
    // With nothing queried yet, hex wins over a new registration list.
    const alone = planWatchlist(cfg({ watch: [{ id: 'both', match: { hex: ['a00001'], registrations: ['N2'] } }] }));
    expect(alone.plan.hex).toEqual(['a00001']);
    expect(alone.plan.registrations).toEqual([]);
  });

  it('extends a list that is being requested anyway rather than opening a new query kind', () => {
    const r = planWatchlist(
      cfg({
        watch: [
          { id: 'regs', match: { registrations: ['N917XA'] } },
          { id: 'mixed', match: { hex: ['a00001'], registrations: ['N660CP'] } },
        ],
      }),
    );
    expect(r.plan.hex).toEqual([]);
    expect(r.plan.registrations).toEqual(['N660CP', 'N917XA']);
  });

  it('marks callsign-prefix / operator / squawk / flag-only entries as needing a local scan and keeps the areas', () => {
    const areas = [{ id: 'kaex', lat: 31.3274, lon: -92.5498, radiusNm: 60, note: 'hub' }];
    const r = planWatchlist(
      cfg({
        areas,
        watch: [
          { id: 'gxa', match: { callsignPrefixes: ['GXA'] }, exclude: { types: ['C172'] } },
          { id: 'ops', match: { operators: ['Global Crossing'] } },
          { id: 'sq', match: { squawks: ['7700'] } },
          { id: 'mil', match: { flags: ['military'] } },
          { id: 'pat', match: { callsignPattern: '^RCH\\d+' } },
        ],
      }),
    );
    expect(r.plan.needsLocalScan).toBe(true);
    expect(r.plan.areas).toEqual([{ id: 'kaex', lat: 31.3274, lon: -92.5498, radiusNm: 60 }]);
    expect(r.coverage.every((c) => c.servedBy === 'local')).toBe(true);
    expect(r.coverage.map((c) => c.localKeys)).toEqual([
      ['callsignPrefixes'],
      ['operators'],
      ['squawks'],
      ['flags'],
      ['callsignPattern'],
    ]);
    expect(r.warnings).toEqual([]); // areas cover them
  });

  it('warns, naming the entry and what to add, when a local-only entry has no areas and no broad source', () => {
    const r = planWatchlist(
      cfg({
        watch: [
          { id: 'gulf', match: { types: ['GLF5'] } },
          { id: 'globalx', match: { callsignPrefixes: ['GXA'] } },
        ],
      }),
    );
    expect(r.plan.needsLocalScan).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].entryId).toBe('globalx');
    expect(r.warnings[0].message).toMatch(/watch\[1\] "globalx" matches only on callsignPrefixes/);
    expect(r.warnings[0].message).toMatch(/can never match/);
    expect(r.warnings[0].message).toMatch(/areas:/);
    expect(r.warnings[0].message).toMatch(/hex\/registrations\/types/);
  });

  it('does not warn when the primary source returns everything (own receiver), and names a broad fallback', () => {
    const watch = [{ id: 'globalx', match: { callsignPrefixes: ['GXA'] } }];
    const receiverFirst = planWatchlist(
      cfg({ watch, sources: [{ id: 'rx', kind: 'receiver', url: 'http://127.0.0.1:8080/data/aircraft.json' }] }),
    );
    expect(receiverFirst.warnings).toEqual([]);
    const receiverFallback = planWatchlist(
      cfg({
        watch,
        sources: [
          { id: 'adsblol', kind: 'readsb-v2', baseUrl: 'https://api.adsb.lol' },
          { id: 'rx', kind: 'receiver', url: 'http://127.0.0.1:8080/data/aircraft.json' },
        ],
      }),
    );
    expect(receiverFallback.warnings).toHaveLength(1);
    expect(receiverFallback.warnings[0].message).toMatch(/only fallback source "rx" \(receiver\)/);
  });

  it('ignores disabled entries entirely', () => {
    const r = planWatchlist(
      cfg({
        watch: [
          { id: 'on', match: { hex: ['abcdef'] } },
          { id: 'off', match: { squawks: ['7700'] }, enabled: false },
        ],
      }),
    );
    expect(r.plan.needsLocalScan).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(r.coverage.map((c) => c.id)).toEqual(['on']);
  });
});
